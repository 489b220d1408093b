import { describe, test, expect } from "@devicescript/test"
import { gentlePattern, kneadingPattern, rig } from "./rig"
import { BUTTON_COUNT, GestureRecognizer } from "../../../src/core/panel/gestures"
import { PanelActions, PatternCycler } from "../../../src/core/panel/actions"
import { ledColour } from "../../../src/core/panel/led"
import { Prng } from "../../../src/core/util/prng"
import { FaultCode } from "../../../src/core/safety/faults"
import { CompiledPattern } from "../../../src/core/pattern/loader"
import { Session } from "../../../src/core/session/session"
import { SESSION_FAULT, SESSION_OFF, SESSION_PAUSED, SESSION_RUNNING } from "../../../src/core/session/states"
import { breathe } from "../helpers"

class Alternate implements PatternCycler {
    flip = false
    constructor(
        readonly session: Session,
        readonly a: CompiledPattern,
        readonly b: CompiledPattern
    ) {}
    nextPattern(nowMs: number): number {
        this.flip = !this.flip
        return this.session.setPattern(
            this.flip ? "kneading" : "gentle-start",
            this.flip ? this.b : this.a,
            nowMs
        )
    }
}

const BAD = [NaN, -1, 0, 2.5, 7, 99, 1e9, -1e9]

describe("session soak", () => {
    test("20,000 random button edges and commands: no heat outside a running session, no panic", async () => {
        const r = await rig()
        const s = r.session
        const rnd = new Prng(1234)
        const actions = new PanelActions(s, new Alternate(s, await gentlePattern(), await kneadingPattern()))
        const g = new GestureRecognizer(actions)
        const down: boolean[] = [false, false, false, false, false]
        let t = 1000
        let sessions = 0
        let faults = 0
        for (let i = 0; i < 20000; i++) {
            t += 1 + Math.floor(rnd.next() * 60)
            const roll = rnd.next()
            if (roll < 0.6) {
                const b = Math.floor(rnd.next() * BUTTON_COUNT)
                down[b] = !down[b]
                g.edge(b, down[b], t)
            } else if (roll < 0.95) {
                const v =
                    rnd.next() < 0.5 ? BAD[Math.floor(rnd.next() * BAD.length)] : Math.floor(rnd.next() * 7)
                const c = Math.floor(rnd.next() * 12)
                if (c === 0 && s.start(t) === 0) sessions++
                else if (c === 1) s.stop(t)
                else if (c === 2) s.pause(t)
                else if (c === 3) s.resume(t)
                else if (c === 4) s.extend(v * 5, t)
                else if (c === 5) s.setMinutes(v * 5, t)
                else if (c === 6) s.setIntensity(v, t)
                else if (c === 7) s.setHeatLevel(v, t)
                else if (c === 8) s.setFocus(v, rnd.next() * 3 - 0.5, t)
                else if (c === 9) s.clearFault(t)
                else if (c === 10) s.setLocked(rnd.next() < 0.3, t)
                else s.setPattern("", null, t)
            } else if (roll < 0.951) {
                r.supervisor.restoreLatched(FaultCode.Overtemp, -1, t, 50)
                faults++
            }
            g.tick(t)
            if (i % 4 === 0) {
                const f = r.frameAt(t)
                const st = s.state
                if (st !== SESSION_RUNNING && r.heat.level !== 0)
                    throw new Error(`heat ${r.heat.level} in state ${st} at ${t}`)
                if (st !== SESSION_RUNNING && st !== SESSION_PAUSED && r.supervisor.heating())
                    throw new Error(`heat session open in state ${st} at ${t}`)
                if (st !== SESSION_RUNNING && st !== SESSION_PAUSED && f.heaters !== 0)
                    throw new Error(`heater bits in state ${st} at ${t}`)
                if (st === SESSION_FAULT && r.supervisor.activeFault() === FaultCode.None)
                    throw new Error("fault state without a fault at " + t)
                ledColour(st, s.heatLevel, s.activeFault, s.locked, t)
            }
            if (i % 40 === 0) await breathe()
        }
        console.log(
            `soak: ${sessions} sessions started by command, ${faults} faults, ${actions.count} gestures`
        )
        expect(sessions > 5).toBe(true)
        expect(actions.count > 500).toBe(true)
        expect(s.state >= SESSION_OFF && s.state <= SESSION_FAULT).toBe(true)
    })
})
