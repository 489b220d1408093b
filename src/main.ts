/*
 * The firmware, one image for the board and the simulator. At boot every output is off: the
 * hardware port is selected (src/hw/select-port.ts: the ESP32 board's own port on the device,
 * the Foot IO board in the simulator), the frame loop runs, sending all-off frames, the thermistors are sampled and watched, faults latched before the last stop
 * are latched again (a lost store latches "records lost": docs/storage.md) before anything can
 * heat, and the user's saved choices are restored. The session is the only owner of intent: the
 * buttons (src/panel) and the control service (src/control) ask it; it sets the scheduler's and
 * heat's intent and sees every frame after the safety supervisor (timer, faults). Nothing moves
 * or heats until the user starts a session: not at boot, not after a restart, not from restored
 * settings.
 */
import * as ds from "@devicescript/core"
import { DEFAULT_CONFIG } from "./core/scheduler/config"
import { Scheduler } from "./core/scheduler/scheduler"
import { HeatManager } from "./core/thermal/heat-manager"
import { SafetySupervisor } from "./core/safety/supervisor"
import { Session } from "./core/session/session"
import { FrameLoop } from "./frame-loop"
import { HeatSampler } from "./heat-sampler"
import { selectPort } from "./hw/select-port"
import { Esp32Port } from "./hw/esp32/esp32-port"
import { startControl, startStorage } from "./control/index"
import { startBoardPanel } from "./panel/board-panel"

const scheduler = new Scheduler(DEFAULT_CONFIG)
const supervisor = new SafetySupervisor(scheduler.channels)
const port = await selectPort(scheduler.channels)
if (port instanceof Esp32Port) port.link(supervisor)
const heat = new HeatManager(scheduler, supervisor, null)
const loop = new FrameLoop(scheduler, port, supervisor)
const session = new Session(scheduler, heat, supervisor, loop.clock)
loop.addGuard(session)

// ---- storage and the control service (src/storage, src/control) ----
// faults latched before a restart stay latched: storage restores them before anything can heat
const storage = await startStorage(supervisor, scheduler.periodMs)
const control = await startControl(session, supervisor, storage, scheduler.channels, scheduler.periodMs)
// the last guard: telemetry reports the frames as they leave for the board
loop.addGuard(control.deps.tap)
// ---- end of storage and control ----

// ---- the buttons and the status light (src/panel); the mode button steps through the catalog ----
// (the image's function code sits close to the VM verifier's 64 KB limit, check 1051: measure a
// change with docs/devicescript-vm.md, "Code size")
startBoardPanel(session, control.deps.catalog)

const sampler = new HeatSampler(port, heat)
const sampling = async () => {
    await sampler.run()
}
sampling.start()
await loop.run()
