import { SegmentStore } from "./segments"

/** The wave shapes patterns may use. */
export const WAVE_SHAPES = ["sine", "triangle", "square", "pulse", "ramp"]

const PI = 3.141592653589793

/**
 * cos(2 pi u) for u in [0, 1] from a Taylor series: the VM has no Math.cos, and plain
 * arithmetic gives identical values in the VM and in node. Error below 1e-12.
 */
export function cosTurn(u: number): number {
    let x = 2 * PI * u
    if (x > PI) x = 2 * PI - x
    // cos(x) = -cos(pi - x) keeps the series argument under pi/2
    let sign = 1
    if (x > PI / 2) {
        x = PI - x
        sign = -1
    }
    const x2 = x * x
    let term = 1
    let sum = 1
    for (let n = 1; n <= 8; n++) {
        term = (-term * x2) / ((2 * n - 1) * (2 * n))
        sum += term
    }
    return sign * sum
}

/** The sine of u turns (u in [0, 1)): the cosine of u + 3/4 turn, wrapped. */
export function sinTurn(u: number): number {
    let v = u + 0.75
    if (v >= 1) v -= 1
    return cosTurn(v)
}

/** A wave shape at phase u in [0, 1): every shape spans 0..1. */
export function shapeAt(shape: string, u: number, duty: number): number {
    if (shape === "sine") return (1 - cosTurn(u)) / 2
    if (shape === "triangle") return u < 0.5 ? 2 * u : 2 - 2 * u
    if (shape === "square") return u < 0.5 ? 1 : 0
    if (shape === "pulse") return u < duty ? 1 : 0
    return u
}

/** Longest wave, in frames, that is played from a per-frame table; longer ones play from pieces. */
export const MAX_TABLE_FRAMES = 160

/** Linear pieces per period of a sine played from pieces. */
export const SINE_PIECES = 24

/** A wave's value `level * (1 - depth + depth * shape(x / period))` at local time x ms. */
export function waveValue(
    shape: string,
    x: number,
    periodMs: number,
    depth: number,
    duty: number,
    level: number
): number {
    return level * (1 - depth + depth * shapeAt(shape, x / periodMs, duty))
}

/**
 * A wave's modulation `1 - depth + depth * shape` sampled at every frame: entry j is its value
 * at local time j * framePeriodMs + offsetMs (modulo the period), for j in 0..n-1. A channel plays
 * it with one index per frame: no arithmetic on the frame path. A sine's entries come from a
 * rotation (one cosine for the start, one for the step), so a table costs a few operations an
 * entry to build.
 * @param periodMs a multiple of framePeriodMs
 * @param n entries: a multiple of the period in frames
 */
export function frameTable(
    shape: string,
    periodMs: number,
    depth: number,
    duty: number,
    framePeriodMs: number,
    offsetMs: number,
    n: number
): number[] {
    const table: number[] = []
    if (shape === "sine") {
        const u0 = offsetMs / periodMs
        const du = framePeriodMs / periodMs
        let c = cosTurn(u0)
        let s = sinTurn(u0)
        const cd = cosTurn(du)
        const sd = sinTurn(du)
        for (let j = 0; j < n; j++) {
            table.push(1 - depth + (depth * (1 - c)) / 2)
            const c1 = c * cd - s * sd
            s = s * cd + c * sd
            c = c1
        }
    } else {
        const base = 1 - depth
        for (let j = 0; j < n; j++) {
            const u = ((j * framePeriodMs + offsetMs) % periodMs) / periodMs
            table.push(base + depth * shapeAt(shape, u, duty))
        }
    }
    return table
}

/**
 * Appends one period of a wave as segments over [0, periodMs) (for waves too long, or not a
 * whole number of frames, for a frame table). Sine pieces are at least 4 ms long, so their
 * boundaries are distinct whole milliseconds.
 * @returns segments appended
 */
export function appendWavePieces(
    store: SegmentStore,
    shape: string,
    periodMs: number,
    depth: number,
    duty: number,
    level: number
): number {
    const n0 = store.count()
    const lo = level * (1 - depth)
    const hi = level
    if (shape === "sine") {
        let pieces = Math.floor(periodMs / 4)
        if (pieces > SINE_PIECES) pieces = SINE_PIECES
        let x0 = 0
        let v0 = lo
        for (let j = 1; j <= pieces; j++) {
            const x1 = j === pieces ? periodMs : Math.floor((j * periodMs) / pieces)
            const v1 = waveValue(shape, (j * periodMs) / pieces, periodMs, depth, duty, level)
            store.add(x0, v0, v1, false)
            x0 = x1
            v0 = v1
        }
    } else if (shape === "triangle") {
        const h = Math.floor(periodMs / 2)
        store.add(0, lo, hi, false)
        store.add(h, hi, lo, false)
    } else if (shape === "ramp") {
        store.add(0, lo, hi, false)
    } else {
        // square and pulse
        let on = shape === "square" ? Math.floor(periodMs / 2) : Math.floor(duty * periodMs + 0.5)
        if (on < 1) on = 1
        if (on > periodMs - 1) on = periodMs - 1
        store.add(0, hi, hi, false)
        store.add(on, lo, lo, false)
    }
    return store.count() - n0
}
