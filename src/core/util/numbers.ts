/**
 * Small numeric helpers that behave identically in the DeviceScript VM and in node
 * (the VM lacks Number.isFinite, and its Math.round differs from JavaScript's on -x.5).
 */

/** True when v is a number other than NaN and the infinities. */
export function isFiniteNumber(v: any): boolean {
    if (typeof v !== "number") return false
    return v - v === 0
}

/** True when v is a whole number within lo..hi (lo and hi included). */
export function isWholeIn(v: any, lo: number, hi: number): boolean {
    if (!isIn(v, lo, hi)) return false
    return Math.floor(v) === v
}

/** True when v is a number within lo..hi (lo and hi included). */
export function isIn(v: any, lo: number, hi: number): boolean {
    if (typeof v !== "number") return false
    if (v < lo) return false
    return v <= hi
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
