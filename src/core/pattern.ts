import { SegmentRun, SegmentStore } from "./segments"
import { validatePattern } from "./validate"
import { MAX_TABLE_FRAMES, appendWavePieces, frameTable } from "./waves"
import { MAX_FEET, ZONE_NAMES, ZONES_PER_FOOT } from "./zones"
import { wrap } from "./numbers"

/** How a channel's wave is played. */
export const WAVE_NONE = 0
/** From a per-frame table with a cursor (periods of whole frames, up to MAX_TABLE_FRAMES). */
export const WAVE_TABLE = 1
/** From linear pieces (longer periods, or periods that are not whole frames). */
export const WAVE_PIECES = 2

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
    /** Per position: the per-frame table (WAVE_TABLE). */
    readonly waveTables: number[][] = []
    /** Per position: the pieces (WAVE_PIECES). */
    readonly wavePieces: SegmentRun[] = []
    /** Per position: wave period in ms (1 without a wave). */
    readonly wavePeriodMs: number[] = []
    /** Per position: wave time at play time 0, in ms (phase minus foot offset, wrapped to the period). */
    readonly wavePhaseMs: number[] = []
    /** Envelope over play time, or null. */
    envelope: SegmentRun = null

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

/**
 * Validates and compiles a pattern for a frame period. Never throws: a bad pattern gives a
 * result whose `error` names the field and the rule.
 * @param spec a PatternSpec, typically parsed from JSON
 * @param framePeriodMs the frame period it will play at
 */
export function loadPattern(spec: any, framePeriodMs: number): PatternResult {
    const error = validatePattern(spec, framePeriodMs)
    if (error) return new PatternResult(null, error)
    try {
        return new PatternResult(compile(spec, framePeriodMs), null)
    } catch (e: any) {
        // validation should make this unreachable; never let it escape to the caller
        return new PatternResult(
            null,
            `pattern: could not be compiled (${e && e.message ? e.message : "unknown error"})`
        )
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
    if ((a.ease === "smooth") !== (b.ease === "smooth") || a.keyframes.length !== b.keyframes.length) return false
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
    readonly offsets: number[] = []
    readonly tables: number[][] = []
    readonly pieces: SegmentRun[] = []
}

function compile(spec: any, P: number): CompiledPattern {
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
    const cache = new WaveCache()
    for (let pos = 0; pos < MAX_FEET * ZONES_PER_FOOT; pos++) {
        const z = pos % ZONES_PER_FOOT
        const footDelay = ((pos - z) / ZONES_PER_FOOT) * footOffset
        const zs = zoneSpecs[z]
        p.tracks.push(zoneTracks[z])
        p.level.push(zs.keyframes ? 1 : zs.level === undefined ? 1 : zs.level)
        p.trackDelayMs.push((zs.delayMs === undefined ? 0 : zs.delayMs) + footDelay)
        const params = waveParams(zs)
        const period: number = params[1]
        const phase = zs.wave && zs.wave.phase !== undefined ? zs.wave.phase : 0
        const wavePhase = wrap(Math.floor(phase * period + 0.5) - footDelay, period)
        p.wavePhaseMs.push(wavePhase)
        p.wavePeriodMs.push(period)
        const tableFrames = period / P
        if (!zs.wave && zoneTracks[z]) {
            p.waveKind.push(WAVE_NONE)
            p.waveTables.push(null)
            p.wavePieces.push(null)
        } else if (!zs.wave || (period % P === 0 && tableFrames <= MAX_TABLE_FRAMES)) {
            // the table's entries fall where this position's frames fall: wave times = offset mod P
            const offset = zs.wave ? wavePhase % P : 0
            let table: number[] = null
            for (let i = 0; i < cache.params.length; i++)
                if (cache.tables[i] && cache.offsets[i] === offset && sameParams(cache.params[i], params))
                    table = cache.tables[i]
            if (!table) {
                table = zs.wave ? frameTable(params[0], period, params[2], params[3], P, offset) : [1]
                cache.params.push(params)
                cache.offsets.push(offset)
                cache.tables.push(table)
                cache.pieces.push(null)
            }
            p.waveKind.push(WAVE_TABLE)
            p.waveTables.push(table)
            p.wavePieces.push(null)
        } else {
            let run: SegmentRun = null
            for (let i = 0; i < cache.params.length; i++)
                if (cache.pieces[i] && sameParams(cache.params[i], params)) run = cache.pieces[i]
            if (!run) {
                const first = store.count()
                const n = appendWavePieces(store, params[0], period, params[2], params[3], 1)
                run = new SegmentRun(first, n, period, true)
                cache.params.push(params)
                cache.offsets.push(0)
                cache.tables.push(null)
                cache.pieces.push(run)
            }
            p.waveKind.push(WAVE_PIECES)
            p.waveTables.push(null)
            p.wavePieces.push(run)
        }
    }
    if (spec.envelope) {
        const eFirst = store.count()
        appendKeyframes(store, spec.envelope, false)
        p.envelope = new SegmentRun(eFirst, store.count() - eFirst, 0, false)
    }
    return p
}
