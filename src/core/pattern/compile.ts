import { CompiledPattern } from "./compiled-pattern"
import { wrap } from "../util/numbers"
import { SegmentRun, SegmentStore } from "./segments"
import { MAX_FEET, ZONE_NAMES, ZONES_PER_FOOT } from "../util/zones"

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
    if (!a) return false
    if (!b) return false
    const ka = a.keyframes
    const kb = b.keyframes
    if (!ka) return false
    if (!kb) return false
    if ((a.ease === "smooth") !== (b.ease === "smooth")) return false
    if (ka.length !== kb.length) return false
    for (let i = 0; i < ka.length; i++) {
        if (ka[i][0] !== kb[i][0]) return false
        if (ka[i][1] !== kb[i][1]) return false
    }
    return true
}

/** What a zone's wave plays: [shape, period, depth, duty]. */
export function waveParams(zs: any): any[] {
    const w = zs.wave
    if (!w) return ["none", 1, 0, 0.25]
    let depth = w.depth
    if (depth === undefined) depth = 1
    let duty = w.duty
    if (duty === undefined) duty = 0.25
    return [w.shape, w.periodMs, depth, duty]
}

export function sameParams(a: any[], b: any[]): boolean {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
}

export function compileSegments(spec: any, P: number): CompiledPattern {
    let footOffset = spec.footOffsetMs
    if (footOffset === undefined) footOffset = 0
    const p = new CompiledPattern(spec.id, spec.durationMs, spec.loop, footOffset, P)
    const store = p.store
    const zoneTracks: SegmentRun[] = []
    const zoneSpecs: any[] = []
    for (let z = 0; z < ZONES_PER_FOOT; z++) {
        let zs = spec.zones[ZONE_NAMES[z]]
        if (!zs) zs = { level: 0 }
        zoneSpecs.push(zs)
        let track: SegmentRun = null
        if (zs.keyframes) {
            for (let y = 0; y < z; y++)
                if (sameKeyframes(zoneSpecs[y], zs)) {
                    track = zoneTracks[y]
                    break
                }
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
        let period = 1
        let phase = 0
        if (w) {
            period = w.periodMs
            if (w.phase !== undefined) phase = w.phase
        }
        let level = zs.level
        if (level === undefined) level = 1
        if (zs.keyframes) level = 1
        let delay = zs.delayMs
        if (delay === undefined) delay = 0
        p.tracks.push(zoneTracks[z])
        p.level.push(level)
        p.trackDelayMs.push(delay + footDelay)
        p.wavePeriodMs.push(period)
        p.wavePhaseMs.push(wrap(Math.floor(phase * period + 0.5) - footDelay, period))
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
