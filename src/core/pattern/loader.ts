import { CHUNK_ROWS, CompiledPattern, ROW_WIDTH } from "./compiled-pattern"
import { compileSegments, waveParams } from "./compile"
import { filledArray } from "../util/numbers"
import { SignalSampler } from "./sampler"
import { WholePlan, planWholeSignal, useWholeSignal, waveTablesAndPieces } from "./tables"
import { validatePattern } from "./validate"
import { Bytes } from "../frame/wire"
import { ZONES_PER_FOOT } from "../util/zones"

export { CHUNK_ROWS, CompiledPattern, ROW_WIDTH, tableByte } from "./compiled-pattern"

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
    private chunks: Bytes[] = null
    private pos = 0
    /** The first row of the chunk the sampler writes next. */
    private chunkRow = 0
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
        const P = this.framePeriodMs
        try {
            if (this.stage === 0) {
                const error = validatePattern(this.spec, P)
                if (error) this.result = new PatternResult(null, error)
                this.stage = 1
            } else if (this.stage === 1) {
                const p = compileSegments(this.spec, P)
                this.p = p
                this.plan = planWholeSignal(p, p.zoneSpecs, p.zoneTracks, P)
                this.stage = 2
            } else if (this.stage === 2) {
                if (this.plan) {
                    // the table in chunks of CHUNK_ROWS rows and a guard row (the last one
                    // shorter): small blocks, which a fragmented heap still has
                    const N = this.plan.rows
                    const chunks: Bytes[] = []
                    for (let r = 0; r < N; r += CHUNK_ROWS)
                        chunks.push(this.alloc(((N - r < CHUNK_ROWS ? N - r : CHUNK_ROWS) + 1) * ROW_WIDTH))
                    this.chunks = chunks
                    this.stage = 3
                } else {
                    waveTablesAndPieces(this.p, this.p.zoneSpecs, this.p.zoneTracks, P)
                    this.stage = 4
                }
            } else if (this.stage === 3) {
                if (this.sampleStep()) {
                    useWholeSignal(this.p, this.plan, this.chunks)
                    this.stage = 4
                }
            } else {
                // the zone specs were only needed while loading: let the heap have them back
                this.p.zoneSpecs = null
                this.p.zoneTracks = null
                this.result = new PatternResult(this.p, null)
            }
        } catch (e: any) {
            // validation should make this unreachable; never let it escape to the caller
            let m = "unknown error"
            if (e) if (e.message) m = e.message
            this.result = new PatternResult(null, `pattern: could not be compiled (${m})`)
        }
        return this.result !== null
    }

    /**
     * Samples the next chunk of the current position (about 10K VM operations), or copies it
     * from its reference; true when every position is done.
     */
    private sampleStep(): boolean {
        const plan = this.plan
        const p = this.p
        const pos = this.pos
        const N = plan.rows
        const ref = plan.refOf[pos]
        const chunks = this.chunks
        const W = ROW_WIDTH
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
            // the chunk of the sampler's next row
            const c = (this.chunkRow / CHUNK_ROWS) | 0
            done = this.sampler.runRows(CHUNK_ROWS, N, chunks[c], W, pos, c * CHUNK_ROWS)
            this.chunkRow += CHUNK_ROWS
        } else {
            // a shifted copy of its reference: all rows in one step (a copy is cheap)
            const off = plan.offsets[pos]
            for (let r = 0; r < N; r++) {
                let from = r + off
                if (from >= N) from -= N
                const fc = (from / CHUNK_ROWS) | 0
                const rc = (r / CHUNK_ROWS) | 0
                chunks[rc][(r - rc * CHUNK_ROWS) * W + pos] = chunks[fc][(from - fc * CHUNK_ROWS) * W + ref]
            }
            done = true
        }
        if (!done) return false
        // each chunk's guard row: the next chunk's first row (the table's first after the last)
        for (let c = 0; c < chunks.length; c++) {
            const next = c + 1 < chunks.length ? chunks[c + 1] : chunks[0]
            chunks[c][(chunks[c].length / W - 1) * W + pos] = next[pos]
        }
        this.chunkRow = 0
        this.sampler = null
        this.pos++
        return this.pos >= ROW_WIDTH
    }
}
