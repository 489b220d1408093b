import { CompiledPattern } from "./compiled-pattern"
import { sameParams, waveParams } from "./compile"
import { filledArray, wrap } from "../util/numbers"
import { SegmentRun } from "./segments"
import { MAX_TABLE_FRAMES, appendWavePieces, frameTable } from "./waves"
import { Bytes } from "../frame/wire"
import { MAX_FEET, ZONES_PER_FOOT } from "../util/zones"

/*
 * How a compiled pattern plays: from one byte table of its whole signal (the fast case), or
 * from segments with per-frame wave tables or wave pieces (the general case).
 */

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
 * every `sampleFrames` frames and interpolated: at most MAX_TABLE_LENGTH entries, yet (when
 * interpolated) at least MIN_SAMPLES_PER_WAVE per wave period, and one per keyframe gap. A position that is a
 * shifted copy of another (a zone delay, a wave phase, the foot offset) shares its table from
 * an offset, so only the distinct signals are computed. The table takes (rows + 1) * 8 bytes,
 * at most about 2 KB. Returns null when it does not apply or would sample more than
 * MAX_SAMPLES; the pattern then plays from segments and per-frame wave tables.
 */
/** How a pattern's whole-signal table is built: sizes, and which positions copy which. */
export class WholePlan {
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

/** Points every position at the finished table (its chunks, see CompiledPattern.chunks). */
export function useWholeSignal(p: CompiledPattern, plan: WholePlan, chunks: Bytes[]) {
    for (let pos = 0; pos < MAX_FEET * ZONES_PER_FOOT; pos++) {
        p.tracks[pos] = null
        p.waveTables[pos] = null
        p.wavePieces[pos] = null
    }
    p.chunks = chunks
    p.rows = plan.rows
    p.tableFrames = plan.frames
    p.sampleFrames = plan.sampleFrames
    p.simple = true
    p.mirror = feetAlike(p)
}

/** True when every right-foot position equals its left-foot zone, in level and in every row. */
function feetAlike(p: CompiledPattern): boolean {
    for (let z = 0; z < ZONES_PER_FOOT; z++) if (p.level[z] !== p.level[z + ZONES_PER_FOOT]) return false
    const W = MAX_FEET * ZONES_PER_FOOT
    for (let c = 0; c < p.chunks.length; c++) {
        const bytes = p.chunks[c]
        for (let i = 0; i < bytes.length; i += W)
            for (let z = 0; z < ZONES_PER_FOOT; z++)
                if (bytes[i + z] !== bytes[i + z + ZONES_PER_FOOT]) return false
    }
    return true
}

export function planWholeSignal(
    p: CompiledPattern,
    zoneSpecs: any[],
    zoneTracks: SegmentRun[],
    P: number
): WholePlan {
    // the repetition: the loop when a track moves, and every wave period
    let n = 1
    for (let z = 0; z < zoneSpecs.length; z++)
        if (zoneTracks[z]) {
            if (!p.loop) return null
            if (p.durationMs % P !== 0) return null
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
    while (n % D !== 0) {
        if (D >= maxD) return null
        D++
    }
    // sampled tables interpolate, which would distort a short wave; a table of every frame
    // (D = 1) holds exactly what the frame path would compute, however short the wave
    if (D > 1) if (shortestWave / D < MIN_SAMPLES_PER_WAVE) return null
    for (let z = 0; z < zoneSpecs.length; z++) {
        const kfs = zoneSpecs[z].keyframes
        if (kfs) if (!gapsAtLeast(kfs, D * P)) return null
    }
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
        for (let r = 0; r < pos; r++) {
            if (refOf[r] !== r) continue
            const rz = r % ZONES_PER_FOOT
            if (zoneTracks[rz] !== run) continue
            if (!sameParams(waveParams(zoneSpecs[rz]), waveParams(zoneSpecs[z]))) continue
            // this position is the reference delayed by s ms: track(t - s - dr) * wave(t - s + pr)
            const s = run
                ? p.trackDelayMs[pos] - p.trackDelayMs[r]
                : w
                  ? p.wavePhaseMs[r] - p.wavePhaseMs[pos]
                  : 0
            if (w) if (wrap(p.wavePhaseMs[pos] + s - p.wavePhaseMs[r], w.periodMs) !== 0) continue
            const sw = wrap(s, spanMs)
            if (sw % step !== 0) continue
            ref = r
            offset = (N - sw / step) % N
            break
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
 * table of ones.
 */
export function waveTablesAndPieces(
    p: CompiledPattern,
    zoneSpecs: any[],
    zoneTracks: SegmentRun[],
    P: number
) {
    const cache = new WaveCache()
    const n = commonTableFrames(zoneSpecs, P)
    p.tableFrames = n
    let ones: number[] = null
    for (let pos = 0; pos < MAX_FEET * ZONES_PER_FOOT; pos++) {
        const z = pos % ZONES_PER_FOOT
        const zs = zoneSpecs[z]
        const params = waveParams(zs)
        const period = p.wavePeriodMs[pos]
        const wavePhase = p.wavePhaseMs[pos]
        let table: number[] = null
        let run: SegmentRun = null
        let fits = false
        if (zs.wave) if (period % P === 0) fits = n % (period / P) === 0
        if (fits) {
            for (let i = 0; i < cache.params.length; i++)
                if (cache.tables[i])
                    if (cache.phases[i] === wavePhase)
                        if (sameParams(cache.params[i], params)) table = cache.tables[i]
            if (!table)
                if (cache.entries + n <= MAX_TABLE_ENTRIES) {
                    table = frameTable(params[0], period, params[2], params[3], P, wavePhase, n)
                    cache.params.push(params)
                    cache.phases.push(wavePhase)
                    cache.tables.push(table)
                    cache.pieces.push(null)
                    cache.entries += n
                }
        }
        if (zs.wave)
            if (!table) {
                for (let i = 0; i < cache.params.length; i++)
                    if (cache.pieces[i]) if (sameParams(cache.params[i], params)) run = cache.pieces[i]
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
        if (!zs.wave)
            if (!zoneTracks[z]) {
                if (!ones) ones = filledArray(n, 1)
                table = ones
            }
        p.waveTables[pos] = table
        p.wavePieces[pos] = run
    }
    // `simple` means "plays from the byte table `frames`", which this path does not build: a
    // pattern of constant levels and table waves plays them through Layer.signalAt
    p.simple = false
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
        if (!w) continue
        if (w.periodMs % P !== 0) continue
        const f = w.periodMs / P
        const lcm = (n / gcd(n, f)) * f
        if (lcm <= MAX_TABLE_FRAMES) n = lcm
    }
    return n
}
