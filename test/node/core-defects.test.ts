/*
 * The five scheduler defects of issue 8, each reproduced as found, then pinned. Each test failed
 * before its fix (see the commit that fixed it).
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import {
    CompiledPattern,
    DEFAULT_CONFIG,
    HeaterSlicer,
    Prng,
    Scheduler,
    frameMilliamps,
    builtinPatternAt,
    loadPattern,
    makeConfig,
    validatePattern,
} from "../../src/core"

const P = DEFAULT_CONFIG.framePeriodMs

/** A pattern of one constant level on every zone. */
function flat(id: string, level: number): CompiledPattern {
    const zones = { heel: { level }, arch: { level }, ball: { level }, toes: { level } }
    const r = loadPattern({ id, name: id, durationMs: 1000, loop: true, zones }, P)
    assert.equal(r.error, null)
    return r.pattern
}

function fullGain(s: Scheduler) {
    s.setIntensity(5, 100, 0)
}

test(
    "defect 1: one pattern change while paused arrives within the crossfade after resume",
    { timeout: 120000 },
    () => {
        const s = new Scheduler(DEFAULT_CONFIG)
        fullGain(s)
        s.setPattern(flat("a", 0.2), 0)
        s.start(0)
        for (let k = 0; k < 250; k++) s.frame(k)
        s.pause(250)
        for (let k = 250; k < 400; k++) s.frame(k)
        s.setPattern(flat("b", 0.8), 400)
        for (let k = 400; k < 500; k++) s.frame(k)
        s.resume(500)
        const settle = 500 + Math.ceil(DEFAULT_CONFIG.softStartMs / P) + 1
        for (let k = 500; k <= settle; k++) s.frame(k)
        assert.deepEqual(s.output.levels, [204, 204, 204, 204, 204, 204, 204, 204])
    }
)

test(
    "defect 1: two and three changes while paused: the last arrives, the output moves",
    { timeout: 120000 },
    () => {
        for (const changes of [2, 3]) {
            const s = new Scheduler(DEFAULT_CONFIG)
            fullGain(s)
            s.setPattern(flat("a", 0.2), 0)
            s.start(0)
            for (let k = 0; k < 250; k++) s.frame(k)
            s.pause(250)
            for (let k = 250; k < 400; k++) s.frame(k)
            const levels = [0.9, 0.5, 0.6]
            for (let i = 0; i < changes; i++) {
                s.setPattern(flat("p" + i, levels[i]), 400 + 10 * i)
                for (let k = 400 + 10 * i; k < 410 + 10 * i; k++) s.frame(k)
            }
            s.resume(500)
            const settle = 500 + Math.ceil(DEFAULT_CONFIG.softStartMs / P) + 1
            let last = -1
            let moves = 0
            for (let k = 500; k <= settle; k++) {
                s.frame(k)
                if (s.output.levels[0] !== last) moves++
                last = s.output.levels[0]
            }
            const want = Math.floor(levels[changes - 1] * 255 + 0.5)
            assert.equal(s.output.levels[0], want, `${changes} changes`)
            assert.ok(moves > 20, `${changes} changes: the output froze (${moves} distinct steps)`)
        }
    }
)

test(
    "defect 2: a small duty is served under a tight heater cap (7 x 100 % and 3 %, 2 on)",
    { timeout: 120000 },
    () => {
        const W = 50
        const h = new HeaterSlicer(8, W, 2)
        for (let c = 0; c < 7; c++) h.setDuty(c, 1)
        h.setDuty(7, 0.03)
        let on = 0
        for (let k = 0; k < 100000; k++) if (h.maskAt(k) & (1 << 7)) on++
        // fair (water-filling): the small pad asks less than an equal share, so it gets all it asks
        assert.ok(Math.abs(on - 3000) <= W, `the 3 % pad was on in ${on} of 100000 frames`)
    }
)

test(
    "defect 2: with the defaults a small pad gets what it asks while the others share the rest",
    { timeout: 120000 },
    () => {
        const W = DEFAULT_CONFIG.heaterWindowFrames
        const h = new HeaterSlicer(8, W, DEFAULT_CONFIG.maxHeatersOn)
        for (let c = 0; c < 7; c++) h.setDuty(c, 1)
        h.setDuty(7, 0.1)
        const on = [0, 0, 0, 0, 0, 0, 0, 0]
        const frames = 100000
        for (let k = 0; k < frames; k++) {
            const m = h.maskAt(k)
            for (let c = 0; c < 8; c++) if (m & (1 << c)) on[c]++
        }
        assert.ok(Math.abs(on[7] / frames - 0.1) < 0.002, `small pad ${on[7] / frames}`)
        const rest = (6 - 0.1) / 7
        for (let c = 0; c < 7; c++)
            assert.ok(Math.abs(on[c] / frames - rest) < 0.002, `pad ${c} ${on[c] / frames}`)
    }
)

test(
    "defect 3: heat from the first frame of a session, also in the slicer's first window",
    { timeout: 120000 },
    () => {
        for (const k0 of [0, 1, 17, 49, 50, 1234]) {
            const s = new Scheduler(DEFAULT_CONFIG)
            s.setPattern(flat("a", 0.5), k0)
            s.setHeaterDuty(2, 0.5, k0)
            s.start(k0)
            assert.notEqual(s.frame(k0).heaters, 0, `session started at frame ${k0}`)
        }
    }
)

test(
    "defect 4: the budget scales motors before the slew limit: no step exceeds it",
    { timeout: 120000 },
    () => {
        const cfg = makeConfig({ budgetMilliamps: 500, maxHeatersOn: 0 })
        const S = Math.ceil((255 * P) / cfg.slewFullScaleMs)
        const library = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(i => loadPattern(builtinPatternAt(i), P).pattern)
        const rng = new Prng(7)
        const s = new Scheduler(cfg)
        fullGain(s)
        s.setPattern(library[0], 0)
        s.start(0)
        const prev = [0, 0, 0, 0, 0, 0, 0, 0]
        let worst = 0
        for (let k = 0; k < 20000; k++) {
            if (rng.int(40) === 0) s.setPattern(library[rng.int(library.length)], k)
            if (rng.int(40) === 0) s.setFocus(rng.int(4), rng.next() * 2, k)
            const f = s.frame(k)
            for (let c = 0; c < 8; c++) {
                const step = Math.abs(f.levels[c] - prev[c])
                if (step > worst) worst = step
                prev[c] = f.levels[c]
            }
            assert.ok(frameMilliamps(cfg, f) <= cfg.budgetMilliamps + 1e-9, `frame ${k} over budget`)
        }
        assert.ok(worst <= S, `a step of ${worst} against a slew limit of ${S}`)
    }
)

test(
    "defect 5: the validator refuses a wave the slew limit cannot play, naming the field",
    { timeout: 120000 },
    () => {
        const spec = (periodMs: number) => ({
            id: "fast",
            name: "Fast",
            durationMs: 1000,
            loop: true,
            zones: { heel: { level: 1, wave: { shape: "sine", periodMs } } },
        })
        const e = validatePattern(spec(80), P)
        assert.ok(e && e.startsWith("pattern.zones.heel.wave.periodMs:"), `got ${e}`)
        assert.ok(/slew/.test(e), e)
    }
)
