/*
 * The control service and storage, wired into the firmware: `startStorage` before anything can
 * heat (it latches stored faults), `startControl` once the session exists.
 */
import { startServer } from "@devicescript/server"
import { Session } from "../core/session/session"
import { SafetySupervisor } from "../core/safety/supervisor"
import { Storage } from "../storage/index"
import { SessionKeeper } from "../storage/session-keeper"
import { PatternCatalog } from "./catalog"
import { MassagerControlServer } from "./server"
import { TelemetryTap } from "./telemetry-tap"

export * from "./catalog"
export * from "./results"
export * from "./server"
export * from "./telemetry"
export * from "./telemetry-tap"
export * from "./upload"

/** Telemetry reports a second: 4 (every 250 ms); see docs/control.md for the packet budget. */
export const TELEMETRY_PERIOD_MS = 250

/**
 * Loads every store (faults first: they latch before anything can heat). Call at boot, before
 * the frame loop can heat.
 */
export async function startStorage(supervisor: SafetySupervisor, framePeriodMs: number): Promise<Storage> {
    const storage = new Storage(supervisor, framePeriodMs)
    await storage.load()
    const faults = async () => {
        await storage.faults.run()
    }
    faults.start()
    return storage
}

/**
 * Restores the saved choices into the session (never starting one), starts the control
 * service, its telemetry and the settings keeper; returns the server. Add its `deps.tap` as the
 * frame loop's last guard so telemetry reports what reaches the board.
 */
export async function startControl(
    session: Session,
    supervisor: SafetySupervisor,
    storage: Storage,
    channels: number,
    framePeriodMs: number
): Promise<MassagerControlServer> {
    const catalog = new PatternCatalog(storage.patterns, framePeriodMs)
    const keeper = new SessionKeeper(session, storage, catalog)
    await keeper.restore()
    const tap = new TelemetryTap(channels)
    const server = new MassagerControlServer({ session, supervisor, storage, catalog, tap })
    console.log("control: ready as " + startServer(server, { roleName: "massagerControl" }))
    const keeping = async () => {
        await keeper.run()
    }
    keeping.start()
    const telemetry = async () => {
        await server.run(TELEMETRY_PERIOD_MS)
    }
    telemetry.start()
    return server
}
