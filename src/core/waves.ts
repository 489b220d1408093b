/** The wave shapes patterns may use. */
export const WAVE_SHAPES = ["sine", "triangle", "square", "pulse", "ramp"]

/** Steps of a wave table; a table holds WAVE_STEPS + 1 entries (the last repeats the first). */
export const WAVE_STEPS = 64

const PI = 3.141592653589793

/**
 * cos(2 pi u) for u in [0, 1] from a Taylor series: the VM has no Math.cos, and plain
 * arithmetic gives identical values in the VM and in node. Error below 1e-9.
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
    for (let n = 1; n <= 10; n++) {
        term = (-term * x2) / ((2 * n - 1) * (2 * n))
        sum += term
    }
    return sign * sum
}

/** The unit sine (1 - cos)/2 at the table steps, computed once: the series is the costly part. */
let unitSine: number[] = null

function sineStep(j: number): number {
    if (unitSine === null) {
        unitSine = []
        for (let i = 0; i <= WAVE_STEPS; i++) unitSine.push((1 - cosTurn(i / WAVE_STEPS)) / 2)
    }
    return unitSine[j]
}

/** A wave shape at phase u in [0, 1): every shape spans 0..1. */
export function shapeAt(shape: string, u: number, duty: number): number {
    if (shape === "sine") return (1 - cosTurn(u)) / 2
    if (shape === "triangle") return u < 0.5 ? 2 * u : 2 - 2 * u
    if (shape === "square") return u < 0.5 ? 1 : 0
    if (shape === "pulse") return u < duty ? 1 : 0
    return u
}

/**
 * The table of a wave's modulation `1 - depth + depth * shape(u)` at u = j / WAVE_STEPS.
 * The frame path interpolates linearly between entries: a sine is within 0.1% of exact, and
 * the edges of square, pulse and ramp take 1/64 of a period. Sine and triangle start at their
 * lowest point, square and pulse start on, ramp rises from 0 and drops.
 */
export function waveTable(shape: string, depth: number, duty: number): number[] {
    const table: number[] = []
    for (let j = 0; j < WAVE_STEPS; j++) {
        const w = shape === "sine" ? sineStep(j) : shapeAt(shape, j / WAVE_STEPS, duty)
        table.push(1 - depth + depth * w)
    }
    table.push(table[0])
    return table
}
