// The session suite: the state machine, the timer, settings, button gestures, the LED.
import "./session/machine.test"
import "./session/timer.test"
import "./session/gestures.test"
import "./session/led.test"
import "./session/actions.test"
import "./session/soak.test"
