// The core suite: pattern validation, interpolation and waves, layers, the scheduler.
import "./core/validate.test"
import "./core/layer.test"
import "./core/scheduler.test"
import "./core/power.test"
import "./core/output.test"
import "./core/soak.test"
