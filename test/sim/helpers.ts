import * as ds from "@devicescript/core"
import { expect } from "@devicescript/test"
import { CompiledPattern, PatternLoader, loadPattern } from "../../src/core/pattern/loader"
import { Scheduler } from "../../src/core/scheduler/scheduler"

/** Allocates the bytes of a pattern's frame table, as the firmware does. */
export function bytes(n: number): Buffer {
    return Buffer.alloc(n)
}

/**
 * Loads a small pattern that must be valid, all at once, failing the test with the validator's
 * message if not (a large one can exceed a VM slice: use `load`).
 */
export function mustLoad(spec: any, framePeriodMs: number): CompiledPattern {
    const r = loadPattern(spec, framePeriodMs, bytes)
    if (r.error) throw new Error("pattern refused: " + r.error)
    return r.pattern
}

/** Loads a pattern that must be valid as the firmware does: a loader step per VM slice. */
export async function load(spec: any, framePeriodMs: number): Promise<CompiledPattern> {
    const loader = new PatternLoader(spec, framePeriodMs, bytes)
    while (!loader.step()) await ds.sleep(0)
    const r = loader.result
    if (r.error) throw new Error("pattern refused: " + r.error)
    return r.pattern
}

/** Fails unless |a - b| <= tolerance. */
export function expectNear(a: number, b: number, tolerance: number, what: string) {
    if (!(Math.abs(a - b) <= tolerance)) throw new Error(`${what}: expected ${b} +- ${tolerance}, got ${a}`)
}

/** Fails unless the text contains the part. */
export function expectContains(text: string, part: string) {
    if (typeof text !== "string" || text.indexOf(part) < 0)
        throw new Error(
            `expected a message containing "${part}", got ${text === null ? "null" : '"' + text + '"'}`
        )
}

/** Yields to the VM: the watchdog panics after ~128K ops without an await. */
export async function breathe() {
    await ds.sleep(0)
}

/**
 * Computes frames from..to-1 (inclusive of from), calling `each(k)` after every frame,
 * yielding to the VM every `chunk` frames.
 */
export async function runFrames(s: Scheduler, from: number, to: number, each: (k: number) => void) {
    let n = 0
    for (let k = from; k < to; k++) {
        s.frame(k)
        each(k)
        if (++n % 20 === 0) await ds.sleep(0)
    }
}

export { expect }
