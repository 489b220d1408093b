// The hardware side: the frame loop, the Foot IO port and board.
import "./hw/frame-loop.test"
import "./hw/heat-path.test"
