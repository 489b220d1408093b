import { describe, test, expect, beforeEach, afterEach } from "@devicescript/test"
import { Layer } from "../../../src/core/scheduler/layer"
import { BUILTIN_PATTERN_COUNT, builtinPatternAt } from "../../../src/core/pattern/library"
import { cosTurn } from "../../../src/core/pattern/waves"
import { breathe, expectNear, load } from "../helpers"

// 10 ms frames, so that the quarter points of 1000 ms waves fall on frames
const P = 10
// patterns play from 8-bit tables: a value is exact to half a step (0.5 / 255)
const EPS = 0.002

/** A one-zone pattern on the heel (channel 0; channel 4 on the right foot). */
function heel(zone: any, durationMs: number, loop: boolean, footOffsetMs: number): any {
    return { id: "t", name: "T", durationMs, loop, footOffsetMs, zones: { heel: zone } }
}

/** The layer of the last spec asked for: loading is costly in the VM's test mode. */
let lastSpec: any = null
let lastLayer: Layer = null

/** Drops the cached layer: its heap is needed by the suites that follow. */
function forget() {
    lastSpec = null
    lastLayer = null
}

/** Value of channel c at time tMs (a whole number of frames) of a layer playing spec from frame 0. */
async function valueAt(spec: any, c: number, tMs: number): Promise<number> {
    if (spec !== lastSpec) {
        lastLayer = null
        const layer = new Layer(8, P)
        layer.play(await load(spec, P), 0)
        lastSpec = spec
        lastLayer = layer
    }
    return lastLayer.valueAt(c, tMs / P)
}

function wave(shape: string, periodMs: number, phase: number, depth: number): any {
    return heel({ wave: { shape, periodMs, phase, depth } }, periodMs, true, 0)
}

describe("interpolation and waves", () => {
    beforeEach(breathe)
    afterEach(forget)
    test("linear keyframes interpolate and hold", async () => {
        const p = heel(
            {
                keyframes: [
                    [200, 0.2],
                    [1200, 1],
                    [1600, 0.6],
                ],
            },
            2000,
            true,
            0
        )
        expectNear(await valueAt(p, 0, 0), 0.2, EPS, "held before the first keyframe")
        expectNear(await valueAt(p, 0, 200), 0.2, EPS, "at the first keyframe")
        expectNear(await valueAt(p, 0, 700), 0.6, EPS, "halfway up")
        expectNear(await valueAt(p, 0, 1200), 1, EPS, "at the peak")
        expectNear(await valueAt(p, 0, 1400), 0.8, EPS, "halfway down")
        expectNear(await valueAt(p, 0, 1800), 0.6, EPS, "held after the last keyframe")
    })
    test("smooth keyframes follow smoothstep at the chord ends", async () => {
        const p = heel(
            {
                keyframes: [
                    [0, 0],
                    [1000, 1],
                ],
                ease: "smooth",
            },
            2000,
            true,
            0
        )
        expectNear(await valueAt(p, 0, 250), 0.15625, EPS, "u = 1/4")
        expectNear(await valueAt(p, 0, 500), 0.5, EPS, "u = 1/2")
        expectNear(await valueAt(p, 0, 750), 0.84375, EPS, "u = 3/4")
        // eased: slower than linear near the ends
        expect((await valueAt(p, 0, 100)) < 0.1).toBe(true)
    })
    test("the table-free cosine is accurate", async () => {
        expectNear(cosTurn(0), 1, 1e-12, "cos 0")
        expectNear(cosTurn(0.125), 0.7071067811865476, 1e-12, "cos pi/4")
        expectNear(cosTurn(0.25), 0, 1e-12, "cos pi/2")
        expectNear(cosTurn(0.5), -1, 1e-12, "cos pi")
        expectNear(cosTurn(0.9), 0.8090169943749475, 1e-12, "cos 1.8 pi")
    })
    test("sine, triangle, square, pulse and ramp at known times", async () => {
        const sine = wave("sine", 1000, 0, 1)
        expectNear(await valueAt(sine, 0, 0), 0, EPS, "sine starts at its lowest point")
        expectNear(await valueAt(sine, 0, 250), 0.5, EPS, "sine quarter")
        expectNear(await valueAt(sine, 0, 500), 1, EPS, "sine half")
        expectNear(
            await valueAt(sine, 0, 760),
            0.5 + 0.5 * (1 - cosTurn(0.76)) - 0.5,
            2e-3,
            "sine between chord ends"
        )
        const tri = wave("triangle", 1000, 0, 1)
        expectNear(await valueAt(tri, 0, 260), 0.52, EPS, "triangle rising")
        expectNear(await valueAt(tri, 0, 500), 1, EPS, "triangle peak")
        expectNear(await valueAt(tri, 0, 800), 0.4, EPS, "triangle falling")
        const sq = wave("square", 1000, 0, 1)
        expect(await valueAt(sq, 0, 480)).toBe(1)
        expect(await valueAt(sq, 0, 500)).toBe(0)
        const pulse = heel({ wave: { shape: "pulse", periodMs: 1000, duty: 0.25 } }, 1000, true, 0)
        expect(await valueAt(pulse, 0, 200)).toBe(1)
        expect(await valueAt(pulse, 0, 260)).toBe(0)
        const ramp = wave("ramp", 1000, 0, 1)
        expectNear(await valueAt(ramp, 0, 500), 0.5, EPS, "ramp")
    })
    test("depth, level and phase shape the modulation", async () => {
        const half = wave("sine", 1000, 0, 0.5)
        expectNear(await valueAt(half, 0, 0), 0.5, EPS, "depth 0.5 bottom")
        expectNear(await valueAt(half, 0, 500), 1, EPS, "depth 0.5 top")
        const leveled = heel(
            { level: 0.6, wave: { shape: "triangle", periodMs: 1000, depth: 1 } },
            4000,
            true,
            0
        )
        expectNear(await valueAt(leveled, 0, 500), 0.6, EPS, "level scales the wave")
        const shifted = wave("triangle", 1000, 0.25, 1)
        expectNear(await valueAt(shifted, 0, 0), 0.5, EPS, "a quarter period ahead")
        expectNear(await valueAt(shifted, 0, 250), 1, EPS, "peak a quarter period early")
    })
})

describe("phase and loop arithmetic", () => {
    beforeEach(breathe)
    afterEach(forget)
    test("a looping track repeats with its duration", async () => {
        const p = heel(
            {
                keyframes: [
                    [0, 0],
                    [1000, 1],
                ],
            },
            2000,
            true,
            0
        )
        expectNear(await valueAt(p, 0, 500), 0.5, EPS, "first pass")
        expectNear(await valueAt(p, 0, 2500), 0.5, EPS, "second pass")
        expectNear(await valueAt(p, 0, 2000 * 450 + 500), 0.5, EPS, "pass 451")
    })
    test("a zone delay shifts the track and wraps around the loop", async () => {
        const p = heel(
            {
                keyframes: [
                    [0, 0],
                    [1000, 1],
                ],
                delayMs: 500,
            },
            2000,
            true,
            0
        )
        expectNear(await valueAt(p, 0, 0), 1, EPS, "t=0 shows the end of the previous pass")
        expectNear(await valueAt(p, 0, 500), 0, EPS, "the track starts 500 ms late")
        expectNear(await valueAt(p, 0, 1000), 0.5, EPS, "halfway")
    })
    test("the right foot is offset by footOffsetMs, tracks and waves alike", async () => {
        const p = heel(
            {
                keyframes: [
                    [0, 0],
                    [1000, 1],
                ],
            },
            2000,
            true,
            300
        )
        expectNear(await valueAt(p, 4, 800), 0.5, EPS, "right heel 300 ms behind")
        expectNear(await valueAt(p, 0, 800), 0.8, EPS, "left heel on time")
        const w = heel({ wave: { shape: "triangle", periodMs: 1000 } }, 1000, true, 250)
        expectNear(await valueAt(w, 4, 750), 1, EPS, "right foot wave peaks 250 ms later")
        expectNear(await valueAt(w, 0, 500), 1, EPS, "left foot wave peak")
    })
    test("waves run on play time, continuous across pattern loops", async () => {
        const p = heel({ level: 1, wave: { shape: "triangle", periodMs: 1500 } }, 1000, true, 0)
        expectNear(await valueAt(p, 0, 1200), 0.4, EPS, "1200 ms into a 1500 ms period, not 200")
    })
    test("a pattern that does not loop holds its end and reports done", async () => {
        const spec = heel(
            {
                keyframes: [
                    [0, 0],
                    [1000, 1],
                ],
                delayMs: 400,
            },
            2000,
            false,
            0
        )
        expectNear(await valueAt(spec, 0, 0), 0, EPS, "before the delayed start: first value")
        expectNear(await valueAt(spec, 0, 900), 0.5, EPS, "delayed")
        expectNear(await valueAt(spec, 0, 60000), 1, EPS, "held long after the end")
        const layer = new Layer(8, P)
        layer.play(await load(spec, P), 0)
        expect(layer.isDone(199)).toBe(false)
        expect(layer.isDone(200)).toBe(true)
    })
    test("an envelope scales over play time and holds its last value", async () => {
        const spec = heel({ level: 1 }, 1000, true, 0)
        spec.envelope = [
            [0, 1],
            [10000, 0.5],
        ]
        const layer = new Layer(8, P)
        layer.play(await load(spec, P), 0)
        expectNear(layer.envelopeAt(500), 0.75, EPS, "halfway")
        expectNear(layer.envelopeAt(5000), 0.5, EPS, "held")
    })
    test("values are a pure function of the frame: sequential, skipping and fresh layers agree to the bit", async () => {
        for (let i = 0; i < BUILTIN_PATTERN_COUNT; i++) {
            const pattern = await load(builtinPatternAt(i), P)
            await breathe()
            const seq = new Layer(8, P)
            const skip = new Layer(8, P)
            seq.play(pattern, 10)
            skip.play(pattern, 10)
            for (let k = 10; k < 610; k++) {
                for (let c = 0; c < 8; c++) {
                    const v = seq.valueAt(c, k)
                    if (k % 37 === 0) {
                        expect(skip.valueAt(c, k)).toBe(v)
                        const fresh = new Layer(8, P)
                        fresh.play(pattern, 10)
                        expect(fresh.valueAt(c, k)).toBe(v)
                    }
                }
                if (k % 10 === 0) await breathe()
            }
        }
    })
})
