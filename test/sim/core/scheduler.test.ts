import { describe, test, expect, beforeEach } from "@devicescript/test"
import { makeConfig } from "../../../src/core/scheduler/config"
import { Scheduler, STATE_IDLE, STATE_PAUSED, STATE_RUNNING } from "../../../src/core/scheduler/scheduler"
import { BUILTIN_PATTERN_COUNT, builtinPatternAt, builtinPattern } from "../../../src/core/pattern/library"
import { FrameClock } from "../../../src/core/frame/clock"
import { Frame } from "../../../src/core/frame/frame"
import { Layer } from "../../../src/core/scheduler/layer"
import { waveValue } from "../../../src/core/pattern/waves"
import { intensityGain } from "../../../src/core/scheduler/intensity"
import { ZONE_ARCH, ZONE_HEEL } from "../../../src/core/util/zones"
import { breathe, expectNear, load, runFrames } from "../helpers"

const P = 20

/** The levels of a frame as one value to record and compare. */
function levelsKey(f: Frame): string {
    return f.levels.join(",")
}

/** A pattern holding every zone at one level. */
function constant(level: number): any {
    return {
        id: "c" + Math.floor(level * 100),
        name: "Constant",
        durationMs: 1000,
        loop: true,
        zones: { heel: { level }, arch: { level }, ball: { level }, toes: { level } },
    }
}

/** A scheduler at 20 ms frames, full intensity, no ramps or slew unless asked. */
function scheduler(changes: any): Scheduler {
    const c = makeConfig({ framePeriodMs: P, softStartMs: 0, softStopMs: 0, slewFullScaleMs: 0 })
    if (changes) {
        const keys = Object.keys(changes)
        for (let i = 0; i < keys.length; i++) (c as any)[keys[i]] = changes[keys[i]]
    }
    const s = new Scheduler(c)
    s.setIntensity(5, 100, 0)
    return s
}

/** A looping pattern of one wave on the heel. */
function heelWave(id: string, shape: string, periodMs: number, durationMs: number): any {
    return { id, name: id, durationMs, loop: true, zones: { heel: { wave: { shape, periodMs } } } }
}

/** Fails unless channel c of the scheduler's last frame is the layer's own value at frame k. */
function expectOwnValue(s: Scheduler, layer: Layer, c: number, k: number) {
    expectNear(s.output.levels[c], layer.valueAt(c, k) * 255, 0.5001, `channel ${c} at frame ${k}`)
}

async function started(spec: any, changes: any): Promise<Scheduler> {
    const s = scheduler(changes)
    s.setPattern(await load(spec, P), 0)
    s.start(0)
    return s
}

describe("scheduler: levels", () => {
    beforeEach(breathe)
    test("quantizes to 8 bits, rounding half up", async () => {
        expect((await started(constant(1), null)).frame(1).levels[0]).toBe(255)
        expect((await started(constant(0.5), null)).frame(1).levels[0]).toBe(128)
        expect((await started(constant(0.2), null)).frame(1).levels[3]).toBe(51)
        expect((await started(constant(0), null)).frame(1).levels[7]).toBe(0)
    })
    test("intensity levels 1-5 and the fine trim scale every channel", async () => {
        const s = await started(constant(0.5), null)
        s.setIntensity(1, 100, 0)
        expect(s.frame(1).levels[0]).toBe(46)
        s.setIntensity(5, 50, 0)
        expect(s.frame(2).levels[0]).toBe(64)
        s.setIntensity(9, 300, 0)
        expect(s.frame(3).levels[0]).toBe(128)
        s.setIntensity(3, 100, 0)
        expect(s.frame(4).levels[0]).toBe(87)
    })
    test("per-zone focus gain: more on a sore zone, none on another, clipped at full", async () => {
        const s = await started(constant(0.5), null)
        s.setFocus(ZONE_ARCH, 2, 0)
        s.setFocus(ZONE_HEEL, 0, 0)
        const f = s.frame(1)
        expect(f.levels[ZONE_ARCH]).toBe(255)
        expect(f.levels[4 + ZONE_ARCH]).toBe(255)
        expect(f.levels[ZONE_HEEL]).toBe(0)
        expect(f.levels[2]).toBe(128)
        s.setFocus(ZONE_ARCH, 1.5, 0)
        expect(s.frame(2).levels[ZONE_ARCH]).toBe(191)
        s.setFocus(ZONE_ARCH, 50, 0)
        s.setIntensity(5, 100, 0)
        expect(s.frame(3).levels[ZONE_ARCH]).toBe(255)
    })
    test("an overlay adds a focus pulse on the chosen zones only", async () => {
        const s = await started(constant(0.2), null)
        s.setOverlay(await load(builtinPattern("focus-pulse"), P), 1 << ZONE_ARCH, 1, 0)
        let maxArch = 0
        await runFrames(s, 1, 120, k => {
            const f = s.output
            if (f.levels[ZONE_ARCH] > maxArch) maxArch = f.levels[ZONE_ARCH]
            expect(f.levels[ZONE_HEEL]).toBe(51)
        })
        expect(maxArch).toBe(51 + 153)
        s.setOverlay(null, 0, 0, 120)
        expect(s.frame(121).levels[ZONE_ARCH]).toBe(51)
    })
})

describe("scheduler: short waves", () => {
    beforeEach(breathe)
    test("a wave of fewer than ten frames plays every frame from its table (it once crashed the frame path)", async () => {
        // a shallow one: a full-depth sine that fast is refused by the slew rule
        const spec = heelWave("fast", "sine", 160, 1000)
        spec.zones.heel.level = 0.3
        const p = await load(spec, P)
        expect(p.simple).toBe(true)
        expect(p.sampleFrames).toBe(1)
        const s = await started(spec, null)
        const alone = new Layer(8, P)
        alone.play(p, 0)
        let lo = 255
        let hi = 0
        await runFrames(s, 1, 41, k => {
            const v = s.output.levels[0]
            expectOwnValue(s, alone, 0, k)
            if (v < lo) lo = v
            if (v > hi) hi = v
        })
        expect(lo < 5 && hi > 70).toBe(true)
    })
})

describe("scheduler: ramps, slew and crossfades", () => {
    beforeEach(breathe)
    test("soft start ramps up and soft stop ramps down to idle with heaters off", async () => {
        const s = await started(constant(1), { softStartMs: 1000, softStopMs: 500 })
        s.setHeaterDuty(0, 1)
        expect(s.frame(0).levels[0]).toBe(0)
        expect(s.frame(25).levels[0]).toBe(128)
        let last = 128
        await runFrames(s, 26, 60, k => {
            expect(s.output.levels[0] >= last).toBe(true)
            last = s.output.levels[0]
        })
        expect(last).toBe(255)
        expect(s.output.heaters & 1).toBe(1)
        s.stop(100)
        expect(s.frame(100).heaters).toBe(0)
        expect(s.frame(112).levels[0] < 255).toBe(true)
        expect(s.frame(125).levels[0]).toBe(0)
        expect(s.sessionState()).toBe(STATE_IDLE)
        expect(s.frame(126).heaterPower).toBe(false)
    })
    test("the slew limit bounds every step, and the level still gets there", async () => {
        const square = heelWave("sq", "square", 2000, 2000)
        const s = await started(square, { slewFullScaleMs: 120 })
        const step = Math.ceil((255 * P) / 120)
        let prev = 0
        let top = 0
        let bottom = 255
        await runFrames(s, 0, 300, k => {
            const v = s.output.levels[0]
            expect(Math.abs(v - prev) <= step).toBe(true)
            if (k > 100 && v > top) top = v
            if (k > 100 && v < bottom) bottom = v
            prev = v
        })
        expect(top).toBe(255)
        expect(bottom).toBe(0)
    })
    test("a crossfade moves by at most one crossfade step per frame and lands on the new pattern", async () => {
        const s = await started(constant(0.2), { crossfadeMs: 750 })
        s.frame(99)
        s.setPattern(await load(constant(0.8), P), 100)
        const frames = Math.ceil(750 / P)
        const step = Math.ceil((0.6 * 255) / frames)
        let prev = s.output.levels[0]
        await runFrames(s, 100, 100 + frames + 5, k => {
            const v = s.output.levels[0]
            expect(Math.abs(v - prev) <= step).toBe(true)
            prev = v
        })
        expect(prev).toBe(204)
    })
    test("a pattern change during a crossfade fades on from where the blend is, without a jump", async () => {
        const s = await started(constant(0.2), { crossfadeMs: 750 })
        s.frame(99)
        s.setPattern(await load(constant(1), P), 100)
        await runFrames(s, 100, 120, k => {})
        const mid = s.output.levels[0]
        s.setPattern(await load(constant(0), P), 120)
        const step = Math.ceil(255 / Math.ceil(750 / P))
        let prev = mid
        await runFrames(s, 120, 170, k => {
            const v = s.output.levels[0]
            expect(Math.abs(v - prev) <= step).toBe(true)
            prev = v
        })
        expect(prev).toBe(0)
    })
    test("pause stands the pattern still and resume continues where it left off", async () => {
        const spec = {
            id: "ramp",
            name: "Ramp",
            durationMs: 20000,
            loop: true,
            zones: {
                heel: {
                    keyframes: [
                        [0, 0],
                        [20000, 1],
                    ],
                },
            },
        }
        const s = await started(spec, { softStopMs: 200, softStartMs: 200 })
        await runFrames(s, 0, 100, k => {})
        s.pause(100)
        await runFrames(s, 100, 200, k => {})
        expect(s.sessionState()).toBe(STATE_PAUSED)
        expect(s.output.levels[0]).toBe(0)
        s.resume(300)
        expect(s.sessionState()).toBe(STATE_RUNNING)
        await runFrames(s, 300, 350, k => {})
        // paused from frame 110 (end of the soft stop) to 300: the pattern lost 190 frames
        const ref = new Layer(8, P)
        ref.play(await load(spec, P), 0)
        const expected = Math.floor(ref.valueAt(0, 349 - 190) * 255 + 0.5)
        expect(s.output.levels[0]).toBe(expected)
    })
})

describe("scheduler: two feet", () => {
    beforeEach(breathe)
    test("a pattern is marked feet-alike exactly when it has no foot offset", async () => {
        for (let i = 0; i < BUILTIN_PATTERN_COUNT; i++) {
            const spec = builtinPatternAt(i)
            const p = await load(spec, P)
            expect(p.mirror).toBe(!spec.footOffsetMs)
            await breathe()
        }
    })
    test("the right foot follows its own signal whenever a layer's feet differ, and the feet fall back in step after", async () => {
        const kneading = builtinPattern("kneading")
        const s = await started(builtinPattern("gentle-circles"), { slewFullScaleMs: 120 })
        const alone = new Layer(8, P)
        alone.play(await load(kneading, P), 300)
        await runFrames(s, 1, 300, k => {
            for (let c = 0; c < 4; c++) expect(s.output.levels[c + 4]).toBe(s.output.levels[c])
        })
        s.setPattern(await load(kneading, P), 300)
        let differ = 0
        await runFrames(s, 300, 700, k => {
            for (let c = 0; c < 4; c++) if (s.output.levels[c + 4] !== s.output.levels[c]) differ++
            // once the crossfade is over, every channel is kneading's own value (the slew limit
            // never binds on it at full intensity)
            if (k >= 340)
                for (let c = 0; c < 8; c++)
                    expectNear(
                        s.output.levels[c],
                        alone.valueAt(c, k) * 255,
                        0.5001,
                        `channel ${c} at frame ${k}`
                    )
        })
        expect(differ > 100).toBe(true)
        s.setPattern(await load(builtinPattern("gentle-circles"), P), 700)
        await runFrames(s, 700, 760, k => {})
        for (let c = 0; c < 4; c++) expect(s.output.levels[c + 4]).toBe(s.output.levels[c])
    })
})

describe("scheduler: time", () => {
    beforeEach(breathe)
    test("no drift: the frame at 15:00 is frame 45,000 and carries the values of t = 900,000 ms", async () => {
        const spec = builtinPattern("gentle-circles")
        const pattern = await load(spec, P)
        const s = scheduler({ slewFullScaleMs: 120, softStartMs: 2000 })
        s.setPattern(pattern, 0)
        s.start(0)
        await runFrames(s, 0, 45001, k => {})
        const k = 900000 / P
        expect(s.output.index).toBe(45000)
        expect(k).toBe(45000)
        // reference: the pattern's definition evaluated at t = 900,000 ms, from times, not
        // frames: each zone's level times its sine at its phase (the right foot the same: no
        // foot offset)
        const t = 900000
        const zoneOrder = ["heel", "arch", "ball", "toes"]
        for (let c = 0; c < 8; c++) {
            const zs = spec.zones[zoneOrder[c % 4]]
            const w = zs.wave
            const x = (t + Math.floor(w.phase * w.periodMs + 0.5)) % w.periodMs
            const v = zs.level * waveValue(w.shape, x, w.periodMs, w.depth, 0.25, 1)
            expect(s.output.levels[c]).toBe(Math.floor(v * intensityGain(5) * 255 + 0.5))
        }
        // and a scheduler that jumps straight to frame 45,000 produces the same frame
        const fresh = scheduler(null)
        fresh.setPattern(pattern, 0)
        fresh.start(0)
        const f = fresh.frame(45000)
        for (let c = 0; c < 8; c++) expect(f.levels[c]).toBe(s.output.levels[c])
    })
    test("frames are a pure function of k: sequential, skipping and fresh schedulers agree", async () => {
        // one scheduler at a time (the heap is small): the sequential one records its frames at
        // the sample points, then a skipping one and fresh ones must match them
        for (let i = 0; i < BUILTIN_PATTERN_COUNT; i++) {
            const pattern = await load(builtinPatternAt(i), P)
            await breathe()
            const next = await load(builtinPatternAt((i + 1) % BUILTIN_PATTERN_COUNT), P)
            await breathe()
            const recorded: string[] = []
            for (let pass = 0; pass < 2; pass++) {
                const s = scheduler(null)
                s.setPattern(pattern, 0)
                s.start(0)
                let n = 0
                for (let k = 0; k < 400; k++) {
                    if (k === 150) s.setPattern(next, k)
                    const sample = k % 7 === 0 || k === 150
                    if (pass === 0 || sample) {
                        const f = s.frame(k)
                        if (sample) {
                            if (pass === 0) recorded.push(levelsKey(f))
                            else expect(levelsKey(f)).toBe(recorded[n])
                            n++
                        }
                    }
                    if (k % 10 === 0) await breathe()
                }
            }
            // schedulers that start at the sampled frame, the crossfade long over
            const points = [203, 399]
            for (let p = 0; p < points.length; p++) {
                const k = points[p]
                const fresh = scheduler(null)
                fresh.start(0)
                fresh.setPattern(next, 150)
                const f = fresh.frame(k)
                const n = (k - (k % 7)) / 7 + 1 // samples before k: k % 7 === 0 up to k, plus 150
                expect(levelsKey(f)).toBe(recorded[n])
                await breathe()
            }
        }
    })
    test("determinism: the same intents give the same frames, bit for bit", async () => {
        const a = scheduler({ slewFullScaleMs: 120, softStartMs: 1000 })
        const b = scheduler({ slewFullScaleMs: 120, softStartMs: 1000 })
        for (let r = 0; r < 2; r++) {
            const s = r === 0 ? a : b
            s.setPattern(await load(builtinPattern("kneading"), P), 0)
            s.setHeaterDuty(2, 0.4)
            s.start(0)
        }
        const pb = await load(builtinPattern("energize"), P)
        for (let k = 0; k < 600; k++) {
            if (k === 200) {
                a.setPattern(pb, k)
                b.setPattern(pb, k)
            }
            const fa = a.frame(k)
            const fb = b.frame(k)
            expect(fa.sameOutputs(fb)).toBe(true)
            if (k % 20 === 0) await breathe()
        }
    })
    test("the frame clock skips to the current frame when late and never replays", () => {
        const clock = new FrameClock(20)
        clock.start(1000)
        expect(clock.due(1000)).toBe(0)
        expect(clock.due(1010)).toBe(-1)
        expect(clock.due(1020)).toBe(1)
        expect(clock.due(1135)).toBe(6)
        expect(clock.skipped).toBe(4)
        expect(clock.due(1139)).toBe(-1)
        expect(clock.msUntilNext(1139)).toBe(1)
        expect(clock.due(1000 + 20 * 45000)).toBe(45000)
    })
})
