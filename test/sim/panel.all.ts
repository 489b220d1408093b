// The panel on the device, in real time: button press to the first changed frame through the
// frame loop (its own run: it needs a quiet heap and the VM's clock).
import "./session/latency.test"
