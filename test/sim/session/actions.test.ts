import { describe, test, expect } from "@devicescript/test"
import { Rig, gentlePattern, kneadingPattern, rig } from "./rig"
import {
    BUTTON_DOWN,
    BUTTON_HEAT,
    BUTTON_MODE,
    BUTTON_POWER,
    BUTTON_UP,
    GestureRecognizer,
} from "../../../src/core/panel/gestures"
import { PanelActions, PatternCycler } from "../../../src/core/panel/actions"
import { CompiledPattern } from "../../../src/core/pattern/loader"
import { FaultCode } from "../../../src/core/safety/faults"
import {
    REFUSED_LOCKED,
    SESSION_FAULT,
    SESSION_FINISHING,
    SESSION_IDLE,
    SESSION_OFF,
    SESSION_OK,
    SESSION_PAUSED,
    SESSION_RUNNING,
} from "../../../src/core/session/states"
import { Session } from "../../../src/core/session/session"
import { breathe } from "../helpers"

/** Alternates between two loaded patterns. */
class TwoPatterns implements PatternCycler {
    constructor(
        readonly session: Session,
        readonly a: CompiledPattern,
        readonly b: CompiledPattern
    ) {}
    nextPattern(nowMs: number): number {
        const toB = this.session.patternId !== "kneading"
        return this.session.setPattern(toB ? "kneading" : "gentle-start", toB ? this.b : this.a, nowMs)
    }
}

/** The panel on a rig: buttons pressed by time, frames computed as time passes. */
class Panel {
    readonly gestures: GestureRecognizer
    readonly actions: PanelActions
    constructor(
        readonly r: Rig,
        cycler: PatternCycler
    ) {
        this.actions = new PanelActions(r.session, cycler)
        this.gestures = new GestureRecognizer(this.actions)
    }
    /** Holds button b for ms from the next frame, ticking and computing every frame. */
    async hold(b: number, ms: number) {
        const r = this.r
        this.gestures.edge(b, true, r.t + 20)
        await this.wait(ms)
        this.gestures.edge(b, false, r.t + 20)
        await this.wait(100)
    }
    async wait(ms: number) {
        const r = this.r
        const end = r.t + ms
        let n = 0
        while (r.t < end) {
            r.frameAt(r.t + 20)
            this.gestures.tick(r.t)
            if (++n % 3 === 0) await breathe()
        }
    }
}

async function panel(): Promise<Panel> {
    const r = await rig()
    r.frameAt(1000)
    return new Panel(r, new TwoPatterns(r.session, await gentlePattern(), await kneadingPattern()))
}

describe("buttons: what they do", () => {
    test("power: short starts, short stops; the motors move, then stop", async () => {
        const p = await panel()
        const s = p.r.session
        await p.hold(BUTTON_POWER, 100)
        expect(s.state).toBe(SESSION_RUNNING)
        await p.wait(2500)
        expect(p.r.motorSum() > 0).toBe(true)
        await p.hold(BUTTON_POWER, 100)
        expect(s.state).toBe(SESSION_FINISHING)
        await p.wait(1700)
        expect(s.state).toBe(SESSION_OFF)
        expect(p.r.motorSum()).toBe(0)
    })
    test("power: long pauses, short resumes, long on paused stops", async () => {
        const p = await panel()
        const s = p.r.session
        await p.hold(BUTTON_POWER, 100)
        await p.hold(BUTTON_POWER, 1200)
        expect(s.state).toBe(SESSION_PAUSED)
        await p.hold(BUTTON_POWER, 100)
        expect(s.state).toBe(SESSION_RUNNING)
        await p.hold(BUTTON_POWER, 1200)
        await p.hold(BUTTON_POWER, 1200)
        expect(s.state).toBe(SESSION_FINISHING)
    })
    test("up and down step the intensity, auto-repeat runs to the top", async () => {
        const p = await panel()
        const s = p.r.session
        await p.hold(BUTTON_POWER, 100)
        await p.hold(BUTTON_UP, 100)
        expect(s.intensity).toBe(2)
        await p.hold(BUTTON_UP, 1500)
        expect(s.intensity).toBe(5)
        await p.hold(BUTTON_DOWN, 100)
        expect(s.intensity).toBe(4)
    })
    test("heat cycles off, low, medium, high, off", async () => {
        const p = await panel()
        const s = p.r.session
        const seen: number[] = []
        for (let i = 0; i < 5; i++) {
            await p.hold(BUTTON_HEAT, 100)
            seen.push(s.heatLevel)
        }
        expect(seen.join(",")).toBe("1,2,3,0,1")
    })
    test("mode: short plays the next pattern; long steps the length when idle, extends when running", async () => {
        const p = await panel()
        const s = p.r.session
        await p.hold(BUTTON_MODE, 100)
        expect(s.patternId).toBe("kneading")
        await p.hold(BUTTON_MODE, 100)
        expect(s.patternId).toBe("gentle-start")
        await p.hold(BUTTON_MODE, 1200)
        expect(s.minutes()).toBe(20)
        await p.hold(BUTTON_POWER, 100)
        await p.hold(BUTTON_MODE, 1200)
        expect(s.minutes()).toBe(25)
    })
    test("lock: a child cannot raise the heat or the intensity, but power still stops", async () => {
        const p = await panel()
        const s = p.r.session
        await p.hold(BUTTON_POWER, 100)
        // up + down for 3 s
        p.gestures.edge(BUTTON_UP, true, p.r.t + 20)
        p.gestures.edge(BUTTON_DOWN, true, p.r.t + 60)
        await p.wait(3200)
        p.gestures.edge(BUTTON_UP, false, p.r.t + 20)
        p.gestures.edge(BUTTON_DOWN, false, p.r.t + 20)
        await p.wait(100)
        expect(s.locked).toBe(true)
        const level = s.intensity
        await p.hold(BUTTON_HEAT, 100)
        expect(p.actions.lastResult).toBe(REFUSED_LOCKED)
        await p.hold(BUTTON_UP, 1500)
        await p.hold(BUTTON_MODE, 100)
        await p.hold(BUTTON_MODE, 1200)
        expect(s.heatLevel).toBe(0)
        expect(s.intensity).toBe(level)
        expect(s.patternId).toBe("gentle-start")
        expect(s.minutes()).toBe(15)
        expect(s.state).toBe(SESSION_RUNNING)
        await p.hold(BUTTON_POWER, 100)
        expect(s.state).toBe(SESSION_FINISHING)
        // and unlock
        p.gestures.edge(BUTTON_DOWN, true, p.r.t + 20)
        p.gestures.edge(BUTTON_UP, true, p.r.t + 40)
        await p.wait(3200)
        expect(s.locked).toBe(false)
    })
    test("locked and idle: power does not start", async () => {
        const p = await panel()
        p.r.session.setLocked(true, p.r.t)
        await p.hold(BUTTON_POWER, 100)
        expect(p.r.session.state).toBe(SESSION_IDLE)
        expect(p.actions.lastResult).toBe(REFUSED_LOCKED)
    })
    test("a long press of power clears a latched fault whose cause is gone", async () => {
        const p = await panel()
        const s = p.r.session
        p.r.supervisor.restoreLatched(FaultCode.Overtemp, -1, p.r.t, 50)
        await p.wait(100)
        expect(s.state).toBe(SESSION_FAULT)
        await p.hold(BUTTON_POWER, 100)
        expect(s.state).toBe(SESSION_FAULT)
        await p.hold(BUTTON_POWER, 1200)
        expect(p.actions.lastResult).toBe(SESSION_OK)
        expect(s.state).toBe(SESSION_IDLE)
        expect(p.r.supervisor.activeFault()).toBe(FaultCode.None)
    })
})
