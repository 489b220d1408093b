import { CompiledPattern, WAVE_NONE } from "./compiled-pattern"
import { wrap } from "./numbers"
import { SegmentRun, SegmentStore } from "./segments"
import { MAX_FEET, ZONE_NAMES, ZONES_PER_FOOT } from "./zones"

/*
 * Compiling a validated pattern: keyframe tracks into segments, and where each position's track
 * and wave stand at play time 0. The tables come after (tables.ts), in the loader's steps.
 */

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
export function waveParams(zs: any): any[] {
    const w = zs.wave
    if (!w) return ["none", 1, 0, 0.25]
    return [w.shape, w.periodMs, w.depth === undefined ? 1 : w.depth, w.duty === undefined ? 0.25 : w.duty]
}

export function sameParams(a: any[], b: any[]): boolean {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
}

export function compileSegments(spec: any, P: number): CompiledPattern {
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
