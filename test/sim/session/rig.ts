import { DEFAULT_CONFIG } from "../../../src/core/scheduler/config"
import { Scheduler } from "../../../src/core/scheduler/scheduler"
import { FrameClock } from "../../../src/core/frame/clock"
import { Frame } from "../../../src/core/frame/frame"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { HeatManager } from "../../../src/core/thermal/heat-manager"
import { CompiledPattern } from "../../../src/core/pattern/loader"
import { builtinPattern } from "../../../src/core/pattern/library"
import { Session } from "../../../src/core/session/session"
import { SessionListener } from "../../../src/core/session/states"
import { breathe, load } from "../helpers"

let gentle: CompiledPattern = null
let kneading: CompiledPattern = null

/** The built-in gentle-start pattern, loaded once per run. */
export async function gentlePattern(): Promise<CompiledPattern> {
    if (!gentle) gentle = await load(builtinPattern("gentle-start"), DEFAULT_CONFIG.framePeriodMs)
    return gentle
}

/** The built-in kneading pattern, loaded once per run. */
export async function kneadingPattern(): Promise<CompiledPattern> {
    if (!kneading) kneading = await load(builtinPattern("kneading"), DEFAULT_CONFIG.framePeriodMs)
    return kneading
}

/** Records the first 200 session events as "event:detail" strings (a soak hears many more). */
export class EventLog implements SessionListener {
    readonly events: string[] = []
    sessionEvent(event: number, detail: number, nowMs: number) {
        if (this.events.length < 200) this.events.push(event + ":" + detail)
    }
    /** True when an "event:detail" was heard. */
    has(event: number, detail: number): boolean {
        return this.events.indexOf(event + ":" + detail) >= 0
    }
}

/**
 * The firmware's intent path without the VM's clock: scheduler, supervisor, heat manager and a
 * session on a frame clock whose frame 0 is at 0 ms. `frameAt` computes the frame covering a
 * time and shows it to the supervisor, then the session, as the frame loop does.
 */
export class Rig {
    readonly scheduler = new Scheduler(DEFAULT_CONFIG)
    readonly supervisor = new SafetySupervisor(this.scheduler.channels)
    readonly heat = new HeatManager(this.scheduler, this.supervisor, null)
    readonly clock = new FrameClock(DEFAULT_CONFIG.framePeriodMs)
    readonly session: Session
    readonly log = new EventLog()
    /** ms of the last frame computed. */
    t = 0
    /** Index of the last frame computed, -1 before any. */
    k = -1

    constructor() {
        this.clock.start(0)
        this.session = new Session(this.scheduler, this.heat, this.supervisor, this.clock)
        this.session.addListener(this.log)
    }

    /** Computes the frame covering tMs (later than the last), as the frame loop does. */
    frameAt(tMs: number): Frame {
        const k = this.clock.indexAt(tMs)
        this.k = k
        this.t = tMs
        const f = this.scheduler.frame(k)
        this.supervisor.inspect(f, tMs)
        this.session.inspect(f, tMs)
        return f
    }

    /** Computes every frame from the next one to the one covering tMs, yielding as it goes. */
    async runTo(tMs: number) {
        const P = this.clock.periodMs
        let n = 0
        for (let t = (this.k + 1) * P; t <= tMs; t += P) {
            this.frameAt(t)
            if (++n % 8 === 0) await breathe()
        }
    }

    /** The sum of the last frame's motor levels. */
    motorSum(): number {
        const l = this.scheduler.output.levels
        let s = 0
        for (let c = 0; c < l.length; c++) s += l[c]
        return s
    }
}

/** A rig with the gentle-start pattern chosen as at boot, off, after frame 0. */
export async function rig(): Promise<Rig> {
    const r = new Rig()
    r.session.restorePattern("gentle-start", await gentlePattern(), 0)
    r.frameAt(0)
    return r
}
