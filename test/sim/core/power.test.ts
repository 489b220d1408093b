import { Prng } from "../../../src/core/util/prng"
import { describe, test, expect, beforeEach } from "@devicescript/test"
import { makeConfig } from "../../../src/core/scheduler/config"
import { Scheduler, frameMilliamps } from "../../../src/core/scheduler/scheduler"
import { HeaterSlicer, bitCount, limitHeaters } from "../../../src/core/scheduler/heaters"
import { BUILTIN_PATTERN_COUNT, builtinPatternAt, builtinPattern } from "../../../src/core/pattern/library"
import { breathe, load } from "../helpers"

const P = 20

function bits(mask: number): number {
    let n = 0
    for (let c = 0; c < 8; c++) if (mask & (1 << c)) n++
    return n
}

/** Counts on-frames of each heater over `frames` frames. */
async function onCounts(h: HeaterSlicer, frames: number, maxOnSeen: number[]): Promise<number[]> {
    const counts = [0, 0, 0, 0, 0, 0, 0, 0]
    for (let k = 0; k < frames; k++) {
        const m = h.maskAt(k)
        const n = bits(m)
        expect(n).toBe(bitCount(m))
        if (n > maxOnSeen[0]) maxOnSeen[0] = n
        for (let c = 0; c < 8; c++) if (m & (1 << c)) counts[c]++
        if (k % 100 === 0) await breathe()
    }
    return counts
}

describe("heater slicing", () => {
    beforeEach(breathe)
    test("each heater gets its duty of the frames, exactly on average", async () => {
        const h = new HeaterSlicer(8, 50, 4)
        h.setDuty(0, 0.5)
        h.setDuty(3, 0.33)
        h.setDuty(6, 0.05)
        const maxOn = [0]
        const counts = await onCounts(h, 5000, maxOn)
        expect(counts[0]).toBe(2500)
        expect(Math.abs(counts[3] - 1650) <= 1).toBe(true)
        expect(Math.abs(counts[6] - 250) <= 1).toBe(true)
        expect(counts[1]).toBe(0)
    })
    test("never more heaters on than allowed; a full demand is cut to an equal share", async () => {
        const h = new HeaterSlicer(8, 50, 3)
        for (let c = 0; c < 8; c++) h.setDuty(c, 1)
        const maxOn = [0]
        const counts = await onCounts(h, 2000, maxOn)
        expect(maxOn[0]).toBe(3)
        for (let c = 0; c < 8; c++) expect(Math.abs(counts[c] - (2000 * 3) / 8) <= 40).toBe(true)
    })
    test("pads are staggered: four quarter duties never overlap", async () => {
        const h = new HeaterSlicer(8, 48, 4)
        for (let c = 0; c < 4; c++) h.setDuty(c, 0.25)
        const maxOn = [0]
        await onCounts(h, 480, maxOn)
        expect(maxOn[0]).toBe(1)
    })
    test("bad duties are clamped: NaN and negatives to 0, above 1 to 1", () => {
        const h = new HeaterSlicer(8, 50, 8)
        h.setDuty(0, NaN)
        h.setDuty(1, -3)
        h.setDuty(2, 7)
        h.setDuty(99, 1)
        expect(h.duty[0]).toBe(0)
        expect(h.duty[1]).toBe(0)
        expect(h.duty[2]).toBe(1)
    })
    test("limitHeaters keeps the allowed number, rotating who is dropped", () => {
        expect(limitHeaters(255, 2, 8, 0)).toBe(3)
        expect(limitHeaters(255, 2, 8, 6)).toBe(192)
        expect(limitHeaters(0b1010, 1, 8, 2)).toBe(0b1000)
        expect(limitHeaters(255, 0, 8, 5)).toBe(0)
    })
})

describe("power budget", () => {
    beforeEach(breathe)
    test("motors alone over the budget are scaled down to fit", async () => {
        const s = new Scheduler(
            makeConfig({ framePeriodMs: P, softStartMs: 0, budgetMilliamps: 500, motorMilliamps: 120 })
        )
        s.setIntensity(5, 100, 0)
        s.setPattern(
            await load(
                {
                    id: "full",
                    name: "Full",
                    durationMs: 1000,
                    loop: true,
                    zones: { heel: { level: 1 }, arch: { level: 1 }, ball: { level: 1 }, toes: { level: 1 } },
                },
                P
            ),
            0
        )
        s.start(0)
        for (let k = 0; k < 10; k++) s.frame(k)
        const f = s.output
        expect(frameMilliamps(s.config, f) <= 500).toBe(true)
        expect(frameMilliamps(s.config, f) > 480).toBe(true)
    })
    test("100,000 frames of randomized intents never exceed the budget or the heater cap", async () => {
        const budget = 1400
        const cfg = makeConfig({
            framePeriodMs: P,
            budgetMilliamps: budget,
            maxHeatersOn: 3,
            heaterMilliamps: 300,
        })
        const s = new Scheduler(cfg)
        const rng = new Prng(2026)
        // patterns are loaded when an intent asks for one, as on the device (the heap holds a few)
        const focus = await load(builtinPattern("focus-pulse"), P)
        s.setPattern(await load(builtinPatternAt(0), P), 0)
        s.start(0)
        let worst = 0
        let heaterFrames = 0
        let limited = 0
        for (let k = 0; k < 100000; k++) {
            if (rng.int(400) === 0) {
                // a random intent change
                const what = rng.int(7)
                if (what === 0)
                    s.setPattern(await load(builtinPatternAt(rng.int(BUILTIN_PATTERN_COUNT)), P), k)
                else if (what === 1) s.setIntensity(1 + rng.int(5), rng.int(101), k)
                else if (what === 2) s.setFocus(rng.int(4), rng.next() * 2.5, k)
                else if (what === 3) s.setOverlay(rng.int(2) === 0 ? focus : null, rng.int(16), rng.next(), k)
                else if (what === 4) for (let c = 0; c < 8; c++) s.setHeaterDuty(c, rng.next() * 1.2)
                else if (what === 5) s.pause(k)
                else s.sessionState() === 0 ? s.start(k) : s.resume(k)
            }
            const f = s.frame(k)
            const ma = frameMilliamps(s.config, f)
            if (ma > worst) worst = ma
            const on = bits(f.heaters)
            if (on > 0) heaterFrames++
            if (on > 3) throw new Error(`frame ${k}: ${on} heaters on`)
            if (ma > budget) throw new Error(`frame ${k}: ${ma} mA over the ${budget} mA budget`)
            if (s.sessionState() === 1 && on < bitCount(s.heaters.maskAt(k))) limited++
            if (k % 25 === 0) await breathe()
        }
        console.log(
            `    worst frame ${worst} mA of ${budget}; heaters on in ${heaterFrames} frames; budget cut heaters in ${limited}`
        )
        expect(heaterFrames > 10000).toBe(true)
        expect(limited > 0).toBe(true)
    })
})
