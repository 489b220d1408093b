/*
 * The firmware. At boot every output is off: the frame loop runs, sending all-off frames to the
 * Foot IO board, the thermistors are sampled and watched, faults latched before the last stop
 * are latched again, and nothing moves or heats until the
 * user starts a session (the buttons and the control service that start sessions are not built
 * yet).
 */
import * as ds from "@devicescript/core"
import { DEFAULT_CONFIG } from "./core/config"
import { Scheduler } from "./core/scheduler"
import { HeatManager } from "./core/thermal/heat-manager"
import { SafetySupervisor } from "./core/thermal/supervisor"
import { FaultReporter } from "./fault-report"
import { FaultStore } from "./fault-store"
import { FrameLoop } from "./frame-loop"
import { HeatSampler } from "./heat-sampler"
import { FootIoPort } from "./hw/foot-io-port"

const scheduler = new Scheduler(DEFAULT_CONFIG)
const port = new FootIoPort(new ds.FootIo(), scheduler.channels)
const supervisor = new SafetySupervisor(scheduler.channels)
const heat = new HeatManager(scheduler, supervisor, null)
const loop = new FrameLoop(scheduler, port)
loop.addGuard(supervisor)
// faults latched before a restart stay latched: restore them before anything can heat
const faults = new FaultStore(supervisor)
await faults.restore()
const saving = async () => {
    await faults.run()
}
saving.start()
const reporter = new FaultReporter(supervisor)
const reporting = async () => {
    await reporter.run()
}
reporting.start()
const sampler = new HeatSampler(port, heat)
const sampling = async () => {
    await sampler.run()
}
sampling.start()
await loop.run()
