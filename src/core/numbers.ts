/**
 * Small numeric helpers that behave identically in the DeviceScript VM and in node
 * (the VM lacks Number.isFinite, and its Math.round differs from JavaScript's on -x.5).
 */

/** True when v is a number other than NaN and the infinities. */
export function isFiniteNumber(v: any): boolean {
    return typeof v === "number" && v - v === 0
}

/** Rounds half up, identically in the VM and in node. */
export function roundHalfUp(x: number): number {
    return Math.floor(x + 0.5)
}

/** Clamps x into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
    return x < lo ? lo : x > hi ? hi : x
}

/** A new array of n copies of v (never set `length` on an empty array: it corrupts the VM heap). */
export function filledArray(n: number, v: number): number[] {
    const a: number[] = []
    for (let i = 0; i < n; i++) a.push(v)
    return a
}

/** Non-negative remainder of x / m for m > 0. */
export function wrap(x: number, m: number): number {
    const r = x % m
    return r < 0 ? r + m : r
}
