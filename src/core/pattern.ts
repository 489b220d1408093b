import { CompiledPattern, ROW_WIDTH } from "./compiled-pattern"
import { compileSegments, waveParams } from "./compile"
import { filledArray } from "./numbers"
import { SignalSampler } from "./sampler"
import { WholePlan, planWholeSignal, useWholeSignal, waveTablesAndPieces } from "./tables"
import { validatePattern } from "./validate"
import { Bytes } from "./wire"
import { ZONES_PER_FOOT } from "./zones"

export { CompiledPattern, ROW_WIDTH, WAVE_NONE, WAVE_PIECES, WAVE_TABLE } from "./compiled-pattern"

/** The outcome of loading a pattern: the compiled pattern, or the reason it was refused. */
export class PatternResult {
    constructor(
        readonly pattern: CompiledPattern,
        readonly error: string
    ) {}
}

/** Allocates n zeroed bytes: a Buffer in the VM, a Uint8Array or Buffer in node. */
export type ByteAllocator = (n: number) => Bytes

/** The fallback allocator: a number array holds the same byte values, at 8 bytes each. */
function numberBytes(n: number): Bytes {
    return filledArray(n, 0)
}

/**
 * Validates and compiles a pattern for a frame period, all at once. Never throws: a bad pattern
 * gives a result whose `error` names the field and the rule. In the VM, a large pattern can take
 * more than one slice (128K operations): the firmware uses PatternLoader and yields between steps.
 * @param spec a PatternSpec, typically parsed from JSON
 * @param framePeriodMs the frame period it will play at
 * @param alloc where the frame table's bytes go (pass `n => Buffer.alloc(n)` in the VM; the
 *   default, a number array, holds the same values at eight times the memory)
 */
export function loadPattern(spec: any, framePeriodMs: number, alloc?: ByteAllocator): PatternResult {
    const loader = new PatternLoader(spec, framePeriodMs, alloc)
    while (!loader.step()) {}
    return loader.result
}

/** Rows a loader samples per step: about 20K VM operations. */
const ROWS_PER_STEP = 64

/**
 * Loads a pattern in steps, each well within a VM slice: validation, then the segments and
 * the table plan, then the table a few dozen rows at a time. The firmware yields between
 * steps; node just loops. Never throws.
 */
export class PatternLoader {
    /** The outcome, once `step` returned true. */
    result: PatternResult = null
    private stage = 0
    private p: CompiledPattern = null
    private plan: WholePlan = null
    private bytes: Bytes = null
    private pos = 0
    private sampler: SignalSampler = null
    private readonly alloc: ByteAllocator

    /**
     * @param spec a PatternSpec, typically parsed from JSON
     * @param framePeriodMs the frame period it will play at
     * @param alloc where the frame table's bytes go (see loadPattern)
     */
    constructor(
        readonly spec: any,
        readonly framePeriodMs: number,
        alloc?: ByteAllocator
    ) {
        this.alloc = alloc ? alloc : numberBytes
    }

    /** Does the next piece of work; returns true when `result` is set. */
    step(): boolean {
        if (this.result) return true
        try {
            this.advance()
        } catch (e: any) {
            // validation should make this unreachable; never let it escape to the caller
            this.result = new PatternResult(
                null,
                `pattern: could not be compiled (${e && e.message ? e.message : "unknown error"})`
            )
        }
        return this.result !== null
    }

    private advance() {
        if (this.stage === 0) {
            const error = validatePattern(this.spec, this.framePeriodMs)
            if (error) this.result = new PatternResult(null, error)
            this.stage = 1
        } else if (this.stage === 1) {
            this.p = compileSegments(this.spec, this.framePeriodMs)
            this.plan = planWholeSignal(this.p, this.p.zoneSpecs, this.p.zoneTracks, this.framePeriodMs)
            this.stage = 2
        } else if (this.stage === 2) {
            if (!this.plan)
                waveTablesAndPieces(this.p, this.p.zoneSpecs, this.p.zoneTracks, this.framePeriodMs)
            else this.bytes = this.alloc((this.plan.rows + 1) * ROW_WIDTH)
            this.stage = this.plan ? 3 : 4
        } else if (this.stage === 3) {
            if (this.sampleStep()) {
                useWholeSignal(this.p, this.plan, this.bytes)
                this.stage = 4
            }
        } else {
            // the zone specs were only needed while loading: let the heap have them back
            this.p.zoneSpecs = null
            this.p.zoneTracks = null
            this.result = new PatternResult(this.p, null)
        }
    }

    /** Samples or copies the next rows of the current position; true when every position is done. */
    private sampleStep(): boolean {
        const plan = this.plan
        const p = this.p
        const pos = this.pos
        const N = plan.rows
        const ref = plan.refOf[pos]
        const out = this.bytes
        let done: boolean
        if (ref === pos) {
            if (!this.sampler) {
                const z = pos % ZONES_PER_FOOT
                this.sampler = new SignalSampler(
                    p.store,
                    plan.zoneTracks[z],
                    p.trackDelayMs[pos],
                    waveParams(plan.zoneSpecs[z]),
                    p.wavePhaseMs[pos],
                    plan.sampleFrames * this.framePeriodMs
                )
            }
            done = this.sampler.runRows(ROWS_PER_STEP, N, out, ROW_WIDTH, pos)
        } else {
            // a shifted copy of its reference: all rows in one step (a copy is cheap)
            const off = plan.offsets[pos]
            for (let r = 0; r < N; r++) {
                let from = r + off
                if (from >= N) from -= N
                out[r * ROW_WIDTH + pos] = out[from * ROW_WIDTH + ref]
            }
            done = true
        }
        if (!done) return false
        out[N * ROW_WIDTH + pos] = out[pos]
        this.sampler = null
        this.pos++
        return this.pos >= ROW_WIDTH
    }
}
