import * as ds from "@devicescript/core"
import { expect } from "@devicescript/test"
import { DEFAULT_CONFIG } from "../../../src/core/scheduler/config"
import { Scheduler } from "../../../src/core/scheduler/scheduler"
import { HeatManager } from "../../../src/core/thermal/heat-manager"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { Session } from "../../../src/core/session/session"
import { PatternCatalog } from "../../../src/control/catalog"
import { MassagerControlServer } from "../../../src/control/server"
import { TelemetryTap } from "../../../src/control/telemetry-tap"
import { FrameLoop } from "../../../src/frame-loop"
import { Storage } from "../../../src/storage/index"
import { FaultStore } from "../../../src/storage/fault-store"
import { SessionKeeper } from "../../../src/storage/session-keeper"
import { MemoryPort } from "../../doubles/memory-port"

/** The firmware's control path in the VM, without the bus: tests call the server's handlers. */
export class ControlRig {
    scheduler: Scheduler
    heat: HeatManager
    supervisor: SafetySupervisor
    session: Session
    storage: Storage
    server: MassagerControlServer
    keeper: SessionKeeper
    tap: TelemetryTap
    port: MemoryPort
    loop: FrameLoop

    /** Stops the frame loop (every output off). */
    async stop() {
        this.loop.stop()
        await ds.sleep(40)
    }
}

/**
 * A rig on a provisioned store (an empty fault list, unless `provision` is false), its frame
 * loop running with the supervisor, the session and the telemetry tap as guards.
 */
export async function controlRig(provision: boolean): Promise<ControlRig> {
    if (provision) await FaultStore.provision()
    const scheduler = new Scheduler(DEFAULT_CONFIG)
    const supervisor = new SafetySupervisor(scheduler.channels)
    const heat = new HeatManager(scheduler, supervisor, null)
    const port = new MemoryPort(scheduler.channels)
    const loop = new FrameLoop(scheduler, port, supervisor)
    const session = new Session(scheduler, heat, supervisor, loop.clock)
    loop.addGuard(session)
    const storage = new Storage(supervisor, scheduler.periodMs)
    await storage.load()
    const catalog = new PatternCatalog(storage.patterns, scheduler.periodMs)
    const keeper = new SessionKeeper(session, storage, catalog)
    await keeper.restore()
    const tap = new TelemetryTap(scheduler.channels)
    loop.addGuard(tap)
    const server = new MassagerControlServer({ session, supervisor, storage, catalog, tap })
    const running = async () => {
        await loop.run()
    }
    running.start()
    await ds.sleep(30)
    const r = new ControlRig()
    r.scheduler = scheduler
    r.heat = heat
    r.supervisor = supervisor
    r.session = session
    r.storage = storage
    r.server = server
    r.keeper = keeper
    r.tap = tap
    r.port = port
    r.loop = loop
    return r
}

/** The session's change counter and state in one number: a refusal must leave it as it was. */
export function mark(r: ControlRig): number {
    return r.session.changes * 16 + r.session.state
}

/**
 * A refused command: its code, a reason a client can read, and nothing changed (`before` is
 * `mark(r)` taken before the command ran: arguments are evaluated in order, so
 * `refusedUnchanged(r, mark(r), await s.cmd(...), code)` marks first).
 */
export function refusedUnchanged(r: ControlRig, before: number, answer: any[], code: number) {
    expect(codeOf(answer)).toBe(code)
    expect(typeof answer[2]).toBe("string")
    expect((answer[2] as string).length > 0).toBe(true)
    expect(mark(r)).toBe(before)
}

/** The answer's code. */
export function codeOf(answer: any[]): number {
    return answer[1]
}

let shared: ControlRig = null

/**
 * One rig for a whole suite (a rig per test runs the 64 KB heap out), brought back to rest:
 * no session, unlocked, no upload.
 */
export async function restingRig(): Promise<ControlRig> {
    if (!shared) shared = await controlRig(true)
    const r = shared
    const s = r.session
    s.setLocked(false, ds.millis())
    s.stop(ds.millis())
    for (let i = 0; i < 300 && s.state !== 0 && s.state !== 1; i++) await ds.sleep(20)
    await r.server.uploadAbort([0])
    return r
}
