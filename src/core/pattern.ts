import { SegmentRun, SegmentStore } from "./segments"
import { validatePattern } from "./validate"
import { MAX_TABLE_FRAMES, appendWavePieces, frameTable } from "./waves"
import { MAX_FEET, ZONE_NAMES, ZONES_PER_FOOT } from "./zones"
import { SignalSampler } from "./sampler"
import { filledArray, wrap } from "./numbers"
import { Bytes } from "./wire"

/** How a channel's wave is played. */
export const WAVE_NONE = 0
/** From a per-frame table (periods of whole frames; all tables of a pattern share one length). */
export const WAVE_TABLE = 1
/** From linear pieces (long periods, periods that are not whole frames, or over the table budget). */
export const WAVE_PIECES = 2

/** Positions per row of a simple pattern's frames: 4 zones of 2 feet. */
export const ROW_WIDTH = MAX_FEET * ZONES_PER_FOOT

/**
 * Most per-frame wave table entries a pattern that does not fit a whole-signal table may hold
 * (8 bytes each in the VM's heap; built in one loader step).
 */
export const MAX_TABLE_ENTRIES = 320

/**
 * Most samples a whole-signal table may compute (distinct signals times rows): every row of
 * every position, so in effect no limit; the loader spreads them over steps.
 */
export const MAX_SAMPLES = 2048

/**
 * A pattern compiled for playing at one frame period. A channel's level at play time t is
 * `level * track(t - trackDelay) * wave(t + wavePhase)`. Tracks with keyframes and the envelope
 * are runs of segments; a zone without keyframes has a constant level and no track, so most
 * channels of most patterns are a bare wave. Everything is per channel position (zone, foot): the right foot
 * carries the foot offset. Built once when a pattern is loaded; the scheduler only reads it.
 */
export class CompiledPattern {
    /** All segments of this pattern: tracks, wave pieces, envelope. */
    readonly store = new SegmentStore()
    /** Per position: the keyframe track, or null when the level is constant (see `level`). */
    readonly tracks: SegmentRun[] = []
    /** Per position: the constant level (1 with a keyframe track). */
    readonly level: number[] = []
    /** Per position: track delay in ms (zone delay plus foot offset). */
    readonly trackDelayMs: number[] = []
    /** Per position: WAVE_NONE, WAVE_TABLE or WAVE_PIECES. */
    readonly waveKind: number[] = []
    /**
     * Per position, in a pattern that is not simple: its wave's per-frame table (WAVE_TABLE):
     * entry m is the wave at play time m * framePeriodMs (phase and foot offset included).
     */
    readonly waveTables: number[][] = []
    /** The tables repeat every tableFrames frames (1 when there are none). */
    tableFrames = 1
    /** Frames between table entries: 1, or more for long loops (the frame path interpolates). */
    sampleFrames = 1
    /**
     * True when the whole pattern plays from `frames`: the frame path's fast case (see
     * wholeSignalTables).
     */
    simple = false
    /**
     * For a simple pattern: the signal of every position (track times wave, level aside) as bytes
     * 0..255, row-major: row r holds the 8 positions at play time r * sampleFrames * period, and a
     * guard row after the last repeats row 0 for interpolation.
     */
    frames: Bytes = null
    /** Rows of `frames` before the guard row. */
    rows = 0
    /** Per position: the pieces (WAVE_PIECES). */
    readonly wavePieces: SegmentRun[] = []
    /** Per position: wave period in ms (1 without a wave). */
    readonly wavePeriodMs: number[] = []
    /** Per position: wave time at play time 0, in ms (phase minus foot offset, wrapped to the period). */
    readonly wavePhaseMs: number[] = []
    /** Envelope over play time, or null. */
    envelope: SegmentRun = null
    /** The zones as specified (missing ones as silent), and their tracks: kept for the loader. */
    zoneSpecs: any[] = null
    zoneTracks: SegmentRun[] = null

    constructor(
        readonly id: string,
        readonly name: string,
        readonly description: string,
        readonly reason: string,
        readonly durationMs: number,
        readonly loop: boolean,
        readonly footOffsetMs: number,
        readonly framePeriodMs: number
    ) {}
}

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

/** Appends keyframes as a run: held before the first and after the last, eased if asked. */
function appendKeyframes(store: SegmentStore, kfs: number[][], smooth: boolean) {
    const first = kfs[0]
    if (first[0] > 0) store.add(0, first[1], first[1], false)
    for (let i = 0; i + 1 < kfs.length; i++) store.add(kfs[i][0], kfs[i][1], kfs[i + 1][1], smooth)
    const last = kfs[kfs.length - 1]
    store.add(last[0], last[1], last[1], false)
}

/** True when two valid zone specs have the same keyframes and easing. */
function sameKeyframes(a: any, b: any): boolean {
    if (!a || !b || !a.keyframes || !b.keyframes) return false
    if ((a.ease === "smooth") !== (b.ease === "smooth") || a.keyframes.length !== b.keyframes.length)
        return false
    for (let i = 0; i < a.keyframes.length; i++)
        if (a.keyframes[i][0] !== b.keyframes[i][0] || a.keyframes[i][1] !== b.keyframes[i][1]) return false
    return true
}

/** What a zone's wave plays: [shape, period, depth, duty]. */
function waveParams(zs: any): any[] {
    const w = zs.wave
    if (!w) return ["none", 1, 0, 0.25]
    return [w.shape, w.periodMs, w.depth === undefined ? 1 : w.depth, w.duty === undefined ? 0.25 : w.duty]
}

function sameParams(a: any[], b: any[]): boolean {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
}

/** Shares tables and pieces between positions that play the same wave. */
class WaveCache {
    readonly params: any[][] = []
    readonly phases: number[] = []
    readonly tables: number[][] = []
    readonly pieces: SegmentRun[] = []
    entries = 0
}

function gcd(a: number, b: number): number {
    while (b > 0) {
        const t = a % b
        a = b
        b = t
    }
    return a
}

/**
 * Most entries of one table; longer loops are sampled every few frames and interpolated.
 */
export const MAX_TABLE_LENGTH = 256

/** Longest repetition, in frames, that whole-signal tables cover. */
export const MAX_SIGNAL_FRAMES = 12000

/** Fewest table entries per wave period: fewer would distort the wave. */
export const MIN_SAMPLES_PER_WAVE = 10

/** True when a keyframe track has no gap shorter than `gapMs` (sampling would blur it). */
function gapsAtLeast(kfs: number[][], gapMs: number): boolean {
    for (let i = 0; i + 1 < kfs.length; i++) if (kfs[i + 1][0] - kfs[i][0] < gapMs) return false
    return true
}

/**
 * Samples every position's whole signal (level aside: track times wave) on the frame grid,
 * as bytes (0..255: within one step of the exact level after gains), so that the pattern
 * plays from one table (`simple`, `frames`): the frame path reads one byte per channel. It applies when the signal repeats within MAX_SIGNAL_FRAMES frames (a looping
 * pattern whose duration and wave periods are whole frames). Long repetitions are sampled
 * every `sampleFrames` frames and interpolated: at most MAX_TABLE_LENGTH entries, yet at
 * least MIN_SAMPLES_PER_WAVE per wave period and one per keyframe gap. A position that is a
 * shifted copy of another (a zone delay, a wave phase, the foot offset) shares its table from
 * an offset, so only the distinct signals are computed. The table takes (rows + 1) * 8 bytes,
 * at most about 2 KB. Returns null when it does not apply or would sample more than
 * MAX_SAMPLES; the pattern then plays from segments and per-frame wave tables.
 */
/** How a pattern's whole-signal table is built: sizes, and which positions copy which. */
class WholePlan {
    /** Rows before the guard row. */
    readonly rows: number
    zoneSpecs: any[] = null
    zoneTracks: SegmentRun[] = null
    /**
     * @param frames repetition in frames
     * @param sampleFrames frames between rows
     * @param refOf per position: the position it copies (itself when it is sampled)
     * @param offsets per position: rows it reads ahead of its reference
     */
    constructor(
        readonly frames: number,
        readonly sampleFrames: number,
        readonly refOf: number[],
        readonly offsets: number[]
    ) {
        this.rows = frames / sampleFrames
    }
}

/** Points every position at the finished table. */
function useWholeSignal(p: CompiledPattern, plan: WholePlan, bytes: Bytes) {
    for (let pos = 0; pos < MAX_FEET * ZONES_PER_FOOT; pos++) {
        p.tracks[pos] = null
        p.waveKind[pos] = WAVE_TABLE
        p.waveTables[pos] = null
        p.wavePieces[pos] = null
    }
    p.frames = bytes
    p.rows = plan.rows
    p.tableFrames = plan.frames
    p.sampleFrames = plan.sampleFrames
    p.simple = true
}

function planWholeSignal(
    p: CompiledPattern,
    zoneSpecs: any[],
    zoneTracks: SegmentRun[],
    P: number
): WholePlan {
    // the repetition: the loop when a track moves, and every wave period
    let n = 1
    for (let z = 0; z < zoneSpecs.length; z++)
        if (zoneTracks[z]) {
            if (!p.loop || p.durationMs % P !== 0) return null
            n = p.durationMs / P
        }
    let shortestWave = MAX_SIGNAL_FRAMES
    for (let z = 0; z < zoneSpecs.length; z++) {
        const w = zoneSpecs[z].wave
        if (!w) continue
        if (w.periodMs % P !== 0) return null
        const f = w.periodMs / P
        n = (n / gcd(n, f)) * f
        if (n > MAX_SIGNAL_FRAMES) return null
        if (f < shortestWave) shortestWave = f
    }
    // the fewest frames between samples that keeps the table within MAX_TABLE_LENGTH rows and
    // divides the repetition, within a bounded search (a prime repetition finds none)
    let D = Math.ceil(n / MAX_TABLE_LENGTH)
    const maxD = D + 64
    while (n % D !== 0 && D < maxD) D++
    if (n % D !== 0) return null
    if (shortestWave / D < MIN_SAMPLES_PER_WAVE) return null
    for (let z = 0; z < zoneSpecs.length; z++)
        if (zoneSpecs[z].keyframes && !gapsAtLeast(zoneSpecs[z].keyframes, D * P)) return null
    const N = n / D
    const step = D * P
    const spanMs = n * P
    // which positions share a table, and from where
    const refOf: number[] = []
    const offsets: number[] = []

    let refs = 0
    for (let pos = 0; pos < MAX_FEET * ZONES_PER_FOOT; pos++) {
        const z = pos % ZONES_PER_FOOT
        const run = zoneTracks[z]
        const w = zoneSpecs[z].wave
        let ref = -1
        let offset = 0
        for (let r = 0; r < pos && ref < 0; r++) {
            if (refOf[r] !== r) continue
            const rz = r % ZONES_PER_FOOT
            if (zoneTracks[rz] !== run || !sameParams(waveParams(zoneSpecs[rz]), waveParams(zoneSpecs[z])))
                continue
            // this position is the reference delayed by s ms: track(t - s - dr) * wave(t - s + pr)
            const s = run
                ? p.trackDelayMs[pos] - p.trackDelayMs[r]
                : w
                  ? p.wavePhaseMs[r] - p.wavePhaseMs[pos]
                  : 0
            if (w && wrap(p.wavePhaseMs[pos] + s - p.wavePhaseMs[r], w.periodMs) !== 0) continue
            const sw = wrap(s, spanMs)
            if (sw % step !== 0) continue
            ref = r
            offset = (N - sw / step) % N
        }
        if (ref < 0) {
            ref = pos

            refs++
        }
        refOf.push(ref)
        offsets.push(offset)
    }
    if (refs * N > MAX_SAMPLES) return null
    const plan = new WholePlan(n, D, refOf, offsets)
    plan.zoneSpecs = zoneSpecs
    plan.zoneTracks = zoneTracks
    return plan
}

/**
 * Plays each position's wave from a table (whole frames, sharing a common length) or from
 * pieces, and its track (if any) from segments. A constant position without a wave reads a
 * table of ones, so that a pattern of constant levels and table waves is `simple`.
 */
function waveTablesAndPieces(p: CompiledPattern, zoneSpecs: any[], zoneTracks: SegmentRun[], P: number) {
    const cache = new WaveCache()
    const n = commonTableFrames(zoneSpecs, P)
    p.tableFrames = n
    let ones: number[] = null
    let simple = true
    for (let pos = 0; pos < MAX_FEET * ZONES_PER_FOOT; pos++) {
        const z = pos % ZONES_PER_FOOT
        const zs = zoneSpecs[z]
        const params = waveParams(zs)
        const period = p.wavePeriodMs[pos]
        const wavePhase = p.wavePhaseMs[pos]
        let table: number[] = null
        let run: SegmentRun = null
        if (zs.wave && period % P === 0 && n % (period / P) === 0) {
            for (let i = 0; i < cache.params.length; i++)
                if (cache.tables[i] && cache.phases[i] === wavePhase && sameParams(cache.params[i], params))
                    table = cache.tables[i]
            if (!table && cache.entries + n <= MAX_TABLE_ENTRIES) {
                table = frameTable(params[0], period, params[2], params[3], P, wavePhase, n)
                cache.params.push(params)
                cache.phases.push(wavePhase)
                cache.tables.push(table)
                cache.pieces.push(null)
                cache.entries += n
            }
        }
        if (zs.wave && !table) {
            for (let i = 0; i < cache.params.length; i++)
                if (cache.pieces[i] && sameParams(cache.params[i], params)) run = cache.pieces[i]
            if (!run) {
                const first = p.store.count()
                const count = appendWavePieces(p.store, params[0], period, params[2], params[3], 1)
                run = new SegmentRun(first, count, period, true)
                cache.params.push(params)
                cache.phases.push(0)
                cache.tables.push(null)
                cache.pieces.push(run)
            }
        }
        if (!zs.wave && !zoneTracks[z]) {
            if (!ones) ones = filledArray(n, 1)
            table = ones
        }
        p.waveKind[pos] = table ? WAVE_TABLE : run ? WAVE_PIECES : WAVE_NONE
        p.waveTables[pos] = table
        p.wavePieces[pos] = run
        if (!table || zoneTracks[z]) simple = false
    }
    p.simple = simple
}

/**
 * The common table length: the least common multiple of the periods, in frames, of the waves
 * that fit a table (whole frames, at most MAX_TABLE_FRAMES); waves that would push it past
 * MAX_TABLE_FRAMES play from pieces. Returns 1 when no wave fits.
 */
function commonTableFrames(zoneSpecs: any[], P: number): number {
    let n = 1
    for (let z = 0; z < zoneSpecs.length; z++) {
        const w = zoneSpecs[z].wave
        if (!w || w.periodMs % P !== 0) continue
        const f = w.periodMs / P
        const lcm = (n / gcd(n, f)) * f
        if (lcm <= MAX_TABLE_FRAMES) n = lcm
    }
    return n
}

function compileSegments(spec: any, P: number): CompiledPattern {
    const footOffset = spec.footOffsetMs === undefined ? 0 : spec.footOffsetMs
    const p = new CompiledPattern(
        spec.id,
        spec.name,
        spec.description === undefined ? "" : spec.description,
        spec.reason === undefined ? "" : spec.reason,
        spec.durationMs,
        spec.loop,
        footOffset,
        P
    )
    const store = p.store
    const zoneTracks: SegmentRun[] = []
    const zoneSpecs: any[] = []
    for (let z = 0; z < ZONES_PER_FOOT; z++) {
        let zs = spec.zones[ZONE_NAMES[z]]
        if (!zs) zs = { level: 0 }
        zoneSpecs.push(zs)
        let track: SegmentRun = null
        if (zs.keyframes) {
            for (let y = 0; y < z; y++) if (!track && sameKeyframes(zoneSpecs[y], zs)) track = zoneTracks[y]
            if (!track) {
                const first = store.count()
                appendKeyframes(store, zs.keyframes, zs.ease === "smooth")
                track = new SegmentRun(first, store.count() - first, p.durationMs, p.loop)
            }
        }
        zoneTracks.push(track)
    }
    // where each position's track and wave stand at play time 0
    for (let pos = 0; pos < MAX_FEET * ZONES_PER_FOOT; pos++) {
        const z = pos % ZONES_PER_FOOT
        const footDelay = ((pos - z) / ZONES_PER_FOOT) * footOffset
        const zs = zoneSpecs[z]
        const w = zs.wave
        const period = w ? w.periodMs : 1
        const phase = w && w.phase !== undefined ? w.phase : 0
        p.tracks.push(zoneTracks[z])
        p.level.push(zs.keyframes ? 1 : zs.level === undefined ? 1 : zs.level)
        p.trackDelayMs.push((zs.delayMs === undefined ? 0 : zs.delayMs) + footDelay)
        p.wavePeriodMs.push(period)
        p.wavePhaseMs.push(wrap(Math.floor(phase * period + 0.5) - footDelay, period))
        p.waveKind.push(WAVE_NONE)
        p.waveTables.push(null)
        p.wavePieces.push(null)
    }
    p.zoneSpecs = zoneSpecs
    p.zoneTracks = zoneTracks
    if (spec.envelope) {
        const eFirst = store.count()
        appendKeyframes(store, spec.envelope, false)
        p.envelope = new SegmentRun(eFirst, store.count() - eFirst, 0, false)
    }
    return p
}
