import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { Frame } from "../../../src/core/frame/frame"
import { FrameGuard } from "../../../src/core/frame/guard"
import { rawOf } from "../../../src/core/physics/thermistor"
import { SESSION_RUNNING } from "../../../src/core/session/states"
import { builtinPatternAt } from "../../../src/core/pattern/library"
import { fletcher16 } from "../../../src/storage/checksum"
import { Session } from "../../../src/core/session/session"
import { Prng } from "../../../src/core/util/prng"
import { controlRig } from "./rig"

/** Counts frames that would heat outside a running session. */
class HeatWatch implements FrameGuard {
    violations = 0
    heatedFrames = 0
    constructor(readonly session: Session) {}
    inspect(f: Frame, tMs: number) {
        if (f.heaterPower && f.heaters !== 0) {
            this.heatedFrames++
            if (this.session.state !== SESSION_RUNNING) this.violations++
        }
    }
}

/** Operations in the soak. */
const OPS = 100000

describe("soak", () => {
    test("100,000 random commands, uploads and sessions: no panic, no heat outside a session", async () => {
        const r = await controlRig(true)
        const watch = new HeatWatch(r.session)
        r.loop.addGuard(watch)
        const s = r.server
        const prng = new Prng(12345)
        const rnd = (n: number) => prng.int(n)
        const ids = ["kneading", "deep-rolling", "gentle-start", "nope", "", "soak-a"]
        const small: any = builtinPatternAt(0)
        small.id = "soak-a"
        small.reason = "soak"
        const goodJson = Buffer.from(JSON.stringify(small))
        const goodSum = fletcher16(goodJson, 0, goodJson.length)
        const junk = [undefined, null, -1, 0, 1, 2, 3, 5, 7, 30, 35, 200, 255, 256, 1e9, 2.5, "x"]
        const pick = () => junk[rnd(junk.length)]
        // progress every 10 s: where the soak is (op, its code, and which await of the few slow
        // ones), so that a run that stalls says where. (Two runs through the suite stalled
        // until its 900 s limit with the VM's loopback overflowing, none since this line came
        // in; the cause is not found: see docs/devicescript-vm.md.)
        let cur = -1
        let curOp = -1
        let phase = ""
        const progress = setInterval(
            () => console.log(`soak: op ${cur} (code ${curOp}) ${phase} at ${ds.millis()} ms`),
            10000
        )
        let sessions = 0
        let uploads = 0
        for (let i = 0; i < OPS; i++) {
            const op = rnd(24)
            cur = i
            curOp = op
            const q = i + 1
            if (op === 0) {
                if ((await s.start([q, rnd(3) === 0 ? pick() : 5 * rnd(7)]))[1] === 0) sessions++
            } else if (op === 1) await s.stop([q])
            else if (op === 2) await s.pause([q])
            else if (op === 3) await s.resume([q])
            else if (op === 4) await s.extend([q, pick()])
            else if (op === 5 && rnd(20) === 0) await s.setPattern([q, ids[rnd(ids.length)]])
            else if (op === 6) await s.setIntensity([q, pick()])
            else if (op === 7) await s.setHeat([q, pick()])
            else if (op === 8) await s.setFocus([q, pick(), pick(), pick(), pick()])
            else if (op === 9) await s.setLock([q, rnd(4) === 0 ? 1 : 0])
            else if (op === 10) await s.clearFault([q])
            else if (op === 11) await s.listPatterns([q, pick()])
            else if (op === 12) await s.patternReason([q, pick()])
            else if (op === 13) await s.readUsage([q])
            else if (op === 14) await s.uploadBegin([q, pick(), pick()])
            else if (op === 15) await s.uploadChunk([q, pick(), rnd(2) ? Buffer.alloc(rnd(240)) : pick()])
            else if (op === 16) await s.uploadCommit([q])
            else if (op === 17) await s.uploadAbort([q])
            else if (op === 18 && rnd(50) === 0) await s.deletePattern([q, ids[rnd(ids.length)]])
            else if (op === 19 && rnd(200) === 0) {
                // a whole valid upload, now and then (it writes flash)
                await s.uploadBegin([q, goodJson.length, goodSum])
                for (let off = 0; off < goodJson.length; off += 200)
                    await s.uploadChunk([
                        q + 1 + off,
                        off,
                        goodJson.slice(off, Math.min(goodJson.length, off + 200)),
                    ])
                phase = "commit"
                if ((await s.uploadCommit([q + 7]))[1] === 0) uploads++
                phase = ""
            } else if (op === 20) await s.set_intensity(pick())
            else if (op === 21) await s.set_focus([pick(), pick(), pick(), pick()])
            else if (op === 22) await s.start([q])
            else if (op === 23) await s.setClock([q, 0, pick()])
            if (i % 32 === 0) {
                // cool pads, sampled as the board would, so heat can be asked for
                const t = ds.millis()
                for (let p = 0; p < r.scheduler.channels; p++) r.heat.onSample(p, rawOf(30), rawOf(30), t)
            }
            // yield often: every answer goes out on the VM's loopback, whose receive queue holds
            // only a few packets; a fiber that sends 32 answers between yields overflows it
            // ("loopback rx ovf") and once in a while a run stalled there until the suite's limit
            if (i % 8 === 0) await ds.sleep(0)
        }
        await ds.sleep(100)
        phase = "after"
        console.log(
            `soak: ${OPS} ops, ${s.handled} answered, ${s.refused} refused, ${sessions} sessions, ${uploads} uploads, ${watch.heatedFrames} heated frames, ${r.loop.frames} frames`
        )
        expect(watch.violations).toBe(0)
        expect(s.handled >= OPS / 2).toBe(true)
        expect(sessions > 10).toBe(true)
        phase = "delete"
        await s.deletePattern([0, "soak-a"])
        phase = "stop"
        await r.stop()
        phase = "done"
        clearInterval(progress)
    })
})
