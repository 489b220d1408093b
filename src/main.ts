/*
 * The firmware. At boot every output is off: the frame loop runs, sending all-off frames to the
 * Foot IO board (a keep-alive every 400 ms), and nothing moves or heats until a session starts.
 * Sessions are started by the buttons and the control service (not built yet).
 */
import * as ds from "@devicescript/core"
import { DEFAULT_CONFIG } from "./core/config"
import { Scheduler } from "./core/scheduler"
import { FrameLoop } from "./frame-loop"
import { FootIoPort } from "./hw/foot-io-port"

const scheduler = new Scheduler(DEFAULT_CONFIG)
const port = new FootIoPort(new ds.FootIo(), scheduler.channels)
const loop = new FrameLoop(scheduler, port)
await loop.run()
