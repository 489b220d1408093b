import { SegmentRun, SegmentStore } from "./segments"
import { validatePattern } from "./validate"
import { waveTable } from "./waves"
import { ZONE_NAMES, ZONES_PER_FOOT } from "./zones"

/**
 * A pattern compiled for playing: every zone's keyframe track and the envelope as runs of
 * segments, every zone's wave as a modulation table. Built once when a pattern is loaded; the
 * scheduler only reads it.
 */
export class CompiledPattern {
    /** All segments of this pattern. */
    readonly store = new SegmentStore()
    /** Per zone: the keyframe track (repeats with the pattern when it loops). */
    readonly tracks: SegmentRun[] = []
    /** Per zone: the wave's modulation table (WAVE_STEPS + 1 entries, see waves.ts), or null. */
    readonly waveTables: number[][] = []
    /** Per zone: wave period in ms (0 without a wave). */
    readonly wavePeriodMs: number[] = []
    /** Per zone: wave phase offset in ms (0..period). */
    readonly wavePhaseMs: number[] = []
    /** Per zone: track delay in ms. */
    readonly delayMs: number[] = []
    /** Envelope over play time, or null. */
    envelope: SegmentRun = null

    constructor(
        readonly id: string,
        readonly name: string,
        readonly description: string,
        readonly reason: string,
        readonly durationMs: number,
        readonly loop: boolean,
        readonly footOffsetMs: number
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
 * Validates and compiles a pattern. Never throws: a bad pattern gives a result whose `error`
 * names the field and the rule.
 * @param spec a PatternSpec, typically parsed from JSON
 * @param framePeriodMs the frame period it will play at
 */
export function loadPattern(spec: any, framePeriodMs: number): PatternResult {
    const error = validatePattern(spec, framePeriodMs)
    if (error) return new PatternResult(null, error)
    try {
        return new PatternResult(compile(spec), null)
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

/** True when two valid zone specs have the same track (keyframes and easing, or constant level). */
function sameTrack(a: any, b: any): boolean {
    if (!a || !b) return !a && !b
    if (!a.keyframes || !b.keyframes) {
        if (a.keyframes || b.keyframes) return false
        return (a.level === undefined ? 1 : a.level) === (b.level === undefined ? 1 : b.level)
    }
    if ((a.ease === "smooth") !== (b.ease === "smooth") || a.keyframes.length !== b.keyframes.length)
        return false
    for (let i = 0; i < a.keyframes.length; i++)
        if (a.keyframes[i][0] !== b.keyframes[i][0] || a.keyframes[i][1] !== b.keyframes[i][1]) return false
    return true
}

/** True when two valid wave specs have the same table: shape, depth and duty (period and phase aside). */
function sameWaveTable(a: any, b: any): boolean {
    if (!a || !b) return false
    return (
        a.shape === b.shape &&
        (a.depth === undefined ? 1 : a.depth) === (b.depth === undefined ? 1 : b.depth) &&
        (a.duty === undefined ? 0.25 : a.duty) === (b.duty === undefined ? 0.25 : b.duty)
    )
}

/**
 * Compiles a valid spec. Zones that share a track or a wave shape (phases and delays aside)
 * share its segments or table: most patterns move one shape across the foot, so this keeps a
 * pattern to a few hundred bytes of heap.
 */
function compile(spec: any): CompiledPattern {
    const p = new CompiledPattern(
        spec.id,
        spec.name,
        spec.description === undefined ? "" : spec.description,
        spec.reason === undefined ? "" : spec.reason,
        spec.durationMs,
        spec.loop,
        spec.footOffsetMs === undefined ? 0 : spec.footOffsetMs
    )
    const store = p.store
    const zoneSpecs: any[] = []
    for (let z = 0; z < ZONES_PER_FOOT; z++) {
        const zs = spec.zones[ZONE_NAMES[z]]
        zoneSpecs.push(zs)
        let track: SegmentRun = null
        let table: number[] = null
        for (let y = 0; y < z; y++) {
            if (!track && sameTrack(zoneSpecs[y], zs)) track = p.tracks[y]
            if (!table && zs && zoneSpecs[y] && sameWaveTable(zoneSpecs[y].wave, zs.wave))
                table = p.waveTables[y]
        }
        if (!track) {
            const first = store.count()
            if (!zs) store.add(0, 0, 0, false)
            else if (zs.keyframes) appendKeyframes(store, zs.keyframes, zs.ease === "smooth")
            else {
                const level = zs.level === undefined ? 1 : zs.level
                store.add(0, level, level, false)
            }
            track = new SegmentRun(first, store.count() - first, p.durationMs, p.loop)
        }
        p.tracks.push(track)
        p.delayMs.push(zs && zs.delayMs !== undefined ? zs.delayMs : 0)
        const w = zs ? zs.wave : null
        if (w && !table) {
            const depth = w.depth === undefined ? 1 : w.depth
            const duty = w.duty === undefined ? 0.25 : w.duty
            table = waveTable(w.shape, depth, duty)
        }
        p.waveTables.push(w ? table : null)
        p.wavePeriodMs.push(w ? w.periodMs : 0)
        const phase = w && w.phase !== undefined ? w.phase : 0
        p.wavePhaseMs.push(w ? Math.floor(phase * w.periodMs + 0.5) % w.periodMs : 0)
    }
    if (spec.envelope) {
        const eFirst = store.count()
        appendKeyframes(store, spec.envelope, false)
        p.envelope = new SegmentRun(eFirst, store.count() - eFirst, 0, false)
    }
    return p
}
