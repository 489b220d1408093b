// Heat: the thermistor, heat levels and control, the safety supervisor's rules, the fault store.
import "./heat/thermistor.test"
import "./heat/supervisor.test"
import "./heat/history.test"
import "./heat/control.test"
