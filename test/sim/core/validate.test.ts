import { Prng } from "../../../src/core/util/prng"
import { describe, test, expect, beforeEach } from "@devicescript/test"
import { validatePattern } from "../../../src/core/pattern/validate"
import { PatternLoader, loadPattern } from "../../../src/core/pattern/loader"
import { BUILTIN_PATTERN_COUNT, builtinPatternAt } from "../../../src/core/pattern/library"
import { DEFAULT_CONFIG } from "../../../src/core/scheduler/config"
import { MAX_KEYFRAMES } from "../../../src/core/pattern/limits"
import { breathe, bytes, expectContains } from "../helpers"

const P = 20

/** A valid pattern to break one field at a time. */
function base(): any {
    return {
        id: "test",
        name: "Test",
        durationMs: 2000,
        loop: true,
        zones: {
            heel: {
                keyframes: [
                    [0, 0],
                    [1000, 1],
                ],
            },
            arch: { level: 0.5, wave: { shape: "sine", periodMs: 1000, phase: 0.25, depth: 0.5 } },
        },
    }
}

function keyframes(n: number): number[][] {
    const kfs: number[][] = []
    for (let i = 0; i < n; i++) kfs.push([i * 10, 0.5])
    return kfs
}

describe("pattern validation", () => {
    beforeEach(breathe)
    test("the base pattern and every built-in pattern are valid at 20 ms and at the default frame period", () => {
        expect(validatePattern(base(), P)).toBe(null)
        for (let i = 0; i < BUILTIN_PATTERN_COUNT; i++) {
            expect(validatePattern(builtinPatternAt(i), P)).toBe(null)
            expect(validatePattern(builtinPatternAt(i), DEFAULT_CONFIG.framePeriodMs)).toBe(null)
        }
    })
    test("levels outside 0..1 are refused, naming the field", () => {
        const p = base()
        p.zones.heel.keyframes[1][1] = 1.5
        expectContains(
            validatePattern(p, P),
            "pattern.zones.heel.keyframes[1] level: must be within 0..1 (got 1.5)"
        )
        const q = base()
        q.zones.arch.level = -0.1
        expectContains(validatePattern(q, P), "pattern.zones.arch.level: must be within 0..1")
        const r = base()
        r.envelope = [[0, 2]]
        expectContains(validatePattern(r, P), "pattern.envelope[0] level")
    })
    test("keyframe times that do not increase are refused", () => {
        const p = base()
        p.zones.heel.keyframes = [
            [0, 0],
            [800, 1],
            [800, 0.5],
        ]
        expectContains(
            validatePattern(p, P),
            "pattern.zones.heel.keyframes[2] time: times must increase (800 after 800)"
        )
        const q = base()
        q.zones.heel.keyframes = [
            [500, 0],
            [100, 1],
        ]
        expectContains(validatePattern(q, P), "times must increase")
        const r = base()
        r.zones.heel.keyframes = [
            [0, 0],
            [2500, 1],
        ]
        expectContains(
            validatePattern(r, P),
            "pattern.zones.heel.keyframes[1] time: must be within 0..2000 ms"
        )
    })
    test("an unknown zone is refused", () => {
        const p = base()
        p.zones.knee = { level: 1 }
        expectContains(
            validatePattern(p, P),
            "pattern.zones.knee: unknown zone (zones are heel, arch, ball, toes)"
        )
    })
    test("too many keyframes are refused", () => {
        const p = base()
        p.zones.heel.keyframes = keyframes(MAX_KEYFRAMES + 1)
        expectContains(validatePattern(p, P), "too many keyframes (33; at most 32)")
        const q = base()
        q.zones.heel.keyframes = keyframes(MAX_KEYFRAMES)
        expect(validatePattern(q, P)).toBe(null)
    })
    test("a duration of 0 or over the limit is refused", () => {
        const p = base()
        p.durationMs = 0
        expectContains(validatePattern(p, P), "pattern.durationMs: must not be 0")
        p.durationMs = 600001
        expectContains(
            validatePattern(p, P),
            "pattern.durationMs: must be within 100..600000 ms (got 600001)"
        )
        p.durationMs = 1500.5
        expectContains(validatePattern(p, P), "whole number")
    })
    test("a wave period too short for the frame rate is refused", () => {
        const p = base()
        p.zones.arch.wave.periodMs = 60
        expectContains(
            validatePattern(p, P),
            "pattern.zones.arch.wave.periodMs: 60 ms is too short to render at 20 ms frames (at least 80 ms)"
        )
        // (a shallow wave: a deep one that fast is refused by the slew rule, below)
        p.zones.arch.wave.depth = 0.1
        p.zones.arch.wave.periodMs = 80
        expect(validatePattern(p, P)).toBe(null)
        expectContains(validatePattern(p, 40), "too short to render at 40 ms frames")
    })
    test("a wave too fast for the slew limit is refused, naming the field and the bound", () => {
        const p = base()
        // level 0.5, depth 0.5: a sine needs pi x 0.25 x 120 ms = 95 ms
        p.zones.arch.wave.periodMs = 94
        expectContains(
            validatePattern(p, P),
            "pattern.zones.arch.wave.periodMs: 94 ms is too fast for the slew limit"
        )
        expectContains(validatePattern(p, P), "needs at least 95 ms")
        p.zones.arch.wave.periodMs = 95
        expect(validatePattern(p, P)).toBe(null)
    })
    test("NaN and infinities are refused wherever a number goes", () => {
        const p = base()
        p.zones.heel.keyframes[0][1] = NaN
        expectContains(validatePattern(p, P), "(got NaN)")
        const q = base()
        q.durationMs = NaN
        expectContains(validatePattern(q, P), "pattern.durationMs")
        const r = base()
        r.zones.arch.wave.depth = 1 / 0
        expectContains(validatePattern(r, P), "pattern.zones.arch.wave.depth")
        const s = base()
        s.zones.heel.keyframes[1][0] = NaN
        expectContains(validatePattern(s, P), "keyframes[1] time")
    })
    test("wrong types, unknown fields and bad names get a message naming the field", () => {
        const cases: any[] = [
            ["id", "Has Spaces", "pattern.id: only lowercase"],
            ["id", "", "pattern.id: must not be empty"],
            ["name", 42, "pattern.name: must be text (got 42)"],
            ["loop", "yes", "pattern.loop: must be true or false"],
            ["zones", null, "pattern.zones: must be an object"],
            ["zones", {}, "pattern.zones: must hold at least one"],
            ["colour", "red", "pattern.colour: unknown field"],
            ["footOffsetMs", 5000, "pattern.footOffsetMs: must be within 0..2000 ms"],
        ]
        for (let i = 0; i < cases.length; i++) {
            const p = base()
            p[cases[i][0]] = cases[i][1]
            expectContains(validatePattern(p, P), cases[i][2])
        }
        const w = base()
        w.zones.arch.wave.shape = "zigzag"
        expectContains(
            validatePattern(w, P),
            "pattern.zones.arch.wave.shape: must be one of sine, triangle, square, pulse, ramp"
        )
        const d = base()
        d.zones.arch.wave.duty = 0.5
        expectContains(validatePattern(d, P), "only a pulse has a duty")
        const b = base()
        b.zones.heel.level = 0.5
        expectContains(validatePattern(b, P), "give either level or keyframes, not both")
        const k = base()
        k.zones.heel.keyframes = [[0, 0], [100]]
        expectContains(
            validatePattern(k, P),
            "pattern.zones.heel.keyframes[1]: must be a [time ms, level] pair"
        )
    })
    test("the heaviest patterns the validator accepts load in steps that each fit a VM slice (128K operations)", async () => {
        // a VM slice runs at most 128K operations between awaits: loading must fit in one
        const names = ["heel", "arch", "ball", "toes"]
        for (let variant = 0; variant < 2; variant++) {
            await breathe()
            const p: any = {
                id: "heavy",
                name: "Heavy",
                // variant 0 plays from one table (4 sampled signals of 128 rows, copied to the
                // right foot); variant 1's waves are not whole frames: it plays from segments
                durationMs: variant === 0 ? 2560 : 3200,
                loop: true,
                footOffsetMs: variant === 0 ? 0 : 50,
                envelope: keyframes(MAX_KEYFRAMES),
                zones: {},
            }
            for (let z = 0; z < 4; z++) {
                const kfs: number[][] = []
                for (let i = 0; i < MAX_KEYFRAMES; i++) kfs.push([i * 50, ((i * 7 + z) % 10) / 10])
                p.zones[names[z]] = {
                    keyframes: kfs,
                    ease: "smooth",
                    delayMs: z * 10,
                    wave: {
                        shape: z % 2 === 0 ? "sine" : "triangle",
                        periodMs: variant === 0 ? 640 : 650,
                        phase: z * 0.1,
                        depth: 0.5,
                    },
                }
            }
            // as the firmware loads: one loader step per VM slice; a step over the slice panics
            const loader = new PatternLoader(p, P, bytes)
            let steps = 0
            while (!loader.step()) {
                steps++
                await breathe()
            }
            expect(loader.result.error).toBe(null)
            expect(loader.result.pattern.simple).toBe(variant === 0)
            expect(steps > 2).toBe(true)
        }
    })
    test("garbage never throws and always gets a message", () => {
        const garbage: any[] = [
            null,
            undefined,
            42,
            "pattern",
            true,
            [],
            [1, 2],
            {},
            { zones: 5 },
            { id: {} },
        ]
        for (let i = 0; i < garbage.length; i++) {
            const e = validatePattern(garbage[i], P)
            expect(typeof e).toBe("string")
            const r = loadPattern(garbage[i], P)
            expect(r.pattern).toBe(null)
            expect(typeof r.error).toBe("string")
        }
    })
    test("a fuzz of mutated built-in patterns: every outcome is a message or a pattern that loads", async () => {
        const rng = new Prng(12345)
        const junk: any[] = [-1, 0, 0.5, 1, 2, 1e9, NaN, "x", null, [], {}, true, [0, 1], [[0, 0.5]]]
        let refused = 0
        let accepted = 0
        for (let round = 0; round < 120; round++) {
            const src: any = builtinPatternAt(rng.int(BUILTIN_PATTERN_COUNT))
            const p: any = JSON.parse(JSON.stringify(src))
            // replace one field somewhere in the pattern with junk
            const zoneNames = Object.keys(p.zones)
            const z: any = p.zones[zoneNames[rng.int(zoneNames.length)]]
            const target = rng.int(3) === 0 ? p : rng.int(2) === 0 ? z : z.wave ? z.wave : z
            const keys = Object.keys(target)
            target[keys[rng.int(keys.length)]] = junk[rng.int(junk.length)]
            const loader = new PatternLoader(p, P, bytes)
            while (!loader.step()) await breathe()
            const r = loader.result
            if (r.error === null) {
                expect(r.pattern === null).toBe(false)
                accepted++
            } else {
                expect(typeof r.error).toBe("string")
                expect(r.error.indexOf("pattern") === 0).toBe(true)
                refused++
            }
            await breathe()
        }
        expect(refused > 30).toBe(true)
        expect(accepted > 5).toBe(true)
    })
})
