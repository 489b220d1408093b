import { SegmentStore } from "./segments"
import { SINE_PIECES } from "./limits"

/** The wave shapes patterns may use. */
export const WAVE_SHAPES = ["sine", "triangle", "square", "pulse", "ramp"]

const PI = 3.141592653589793

/**
 * cos(2 pi u) for u in [0, 1] from a Taylor series: the VM has no Math.cos, and plain
 * arithmetic gives identical values in the VM and in node. Error below 1e-9.
 */
export function cosTurn(u: number): number {
    let x = 2 * PI * u
    if (x > PI) x = 2 * PI - x
    // cos(x) = cos(pi - y) = -cos(y) keeps the series argument under pi/2
    let sign = 1
    if (x > PI / 2) {
        x = PI - x
        sign = -1
    }
    const x2 = x * x
    let term = 1
    let sum = 1
    for (let n = 1; n <= 10; n++) {
        term = (-term * x2) / ((2 * n - 1) * (2 * n))
        sum += term
    }
    return sign * sum
}

/**
 * Appends one period of a wave as segments over [0, periodMs): the modulation
 * `1 - depth + depth * shape(x / periodMs)`, where every shape spans 0..1. Sine and triangle
 * start at their lowest point, square and pulse start on, ramp rises from 0 and drops.
 * @returns segments appended
 */
export function appendWave(
    store: SegmentStore,
    shape: string,
    periodMs: number,
    depth: number,
    duty: number
): number {
    const base = 1 - depth
    const n0 = store.count()
    if (shape === "sine") {
        // pieces of at least 4 ms, so that boundaries are distinct whole milliseconds
        let pieces = Math.floor(periodMs / 4)
        if (pieces > SINE_PIECES) pieces = SINE_PIECES
        let x0 = 0
        let v0 = base
        for (let j = 1; j <= pieces; j++) {
            const x1 = j === pieces ? periodMs : Math.floor((j * periodMs) / pieces)
            const v1 = base + (depth * (1 - cosTurn(j / pieces))) / 2
            store.line(x0, v0, x1, v1)
            x0 = x1
            v0 = v1
        }
    } else if (shape === "triangle") {
        const h = Math.floor(periodMs / 2)
        store.line(0, base, h, base + depth)
        store.line(h, base + depth, periodMs, base)
    } else if (shape === "square" || shape === "pulse") {
        let on = shape === "square" ? Math.floor(periodMs / 2) : Math.floor(duty * periodMs + 0.5)
        if (on < 1) on = 1
        if (on > periodMs - 1) on = periodMs - 1
        store.hold(0, base + depth)
        store.hold(on, base)
    } else {
        store.line(0, base, periodMs, base + depth)
    }
    return store.count() - n0
}
