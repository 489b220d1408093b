/**
 * Massage patterns as data: what a built-in pattern or a user's custom pattern holds before
 * validation. Times are milliseconds, levels are 0..1. Pattern files are JSON of this shape.
 *
 * A zone's level at pattern time t is `track(t - delayMs) * (1 - depth + depth * wave)`:
 * the keyframe track (or the constant `level`) shapes it slowly, and the optional waveform
 * modulates it. Motion across the foot comes from different delays and wave phases per zone.
 */

/** Waveform shapes; every shape goes from 0 to 1 and starts at 0 (at phase 0). */
export type WaveShape = "sine" | "triangle" | "square" | "pulse" | "ramp"

/** A periodic modulation of a zone's level. */
export interface WaveSpec {
    shape: WaveShape
    /** Period in ms; it runs on play time, so it stays continuous across pattern loops. */
    periodMs: number
    /** Phase offset as a fraction of the period, 0..1 (0.25 = a quarter period ahead). */
    phase?: number
    /** How deep the modulation goes: 0 = none, 1 = from silence to the full level. Default 1. */
    depth?: number
    /** For "pulse": the fraction of the period that is on, 0.05..0.95. Default 0.25. */
    duty?: number
}

/** A keyframe: [time in ms, level 0..1]. */
export type Keyframe = number[]

/** What one zone does. A zone left out of a pattern stays still. */
export interface ZoneSpec {
    /** Constant level when there are no keyframes. Default 1. */
    level?: number
    /** Keyframes [t, level] with increasing t within 0..durationMs; held before the first and after the last. */
    keyframes?: Keyframe[]
    /** Interpolation between keyframes: "linear" (default) or "smooth" (ease in and out). */
    ease?: "linear" | "smooth"
    /** Delays this zone's keyframe track, 0..durationMs (wraps around when the pattern loops). */
    delayMs?: number
    /** Optional modulation. */
    wave?: WaveSpec
}

/** A massage pattern. */
export interface PatternSpec {
    /** Short id: lowercase letters, digits and dashes, 1..24 characters. */
    id: string
    /** Display name, 1..32 characters. */
    name: string
    /** One line on what it feels like, up to 120 characters. */
    description?: string
    /** Why someone would choose it, up to 200 characters. */
    reason?: string
    /** Length of one pass in ms (for a loop: its period). */
    durationMs: number
    /** True: repeat forever. False: play once and hold the last levels. */
    loop: boolean
    /** Extra delay of the right foot's tracks and waves (alternation between feet), 0..durationMs. */
    footOffsetMs?: number
    /** Slow envelope over play time (not looping), keyframes [t, level] up to 60 minutes: fades for sleep. */
    envelope?: Keyframe[]
    /** What each zone does, by zone name: heel, arch, ball, toes. */
    zones: { [zone: string]: ZoneSpec }
}
