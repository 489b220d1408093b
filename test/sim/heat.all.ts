// Heat: the thermistor, heat levels and control, the safety supervisor's rules.
import "./heat/thermistor.test"
import "./heat/supervisor.test"
import "./heat/control.test"
