import { SegmentRun, SegmentStore } from "./segments"
import { Bytes } from "./wire"
import { MAX_FEET, ZONES_PER_FOOT } from "./zones"

/** How a channel's wave is played. */
export const WAVE_NONE = 0
/** From a per-frame table (periods of whole frames; all tables of a pattern share one length). */
export const WAVE_TABLE = 1
/** From linear pieces (long periods, periods that are not whole frames, or over the table budget). */
export const WAVE_PIECES = 2

/** Positions per row of a simple pattern's frames: 4 zones of 2 feet. */
export const ROW_WIDTH = MAX_FEET * ZONES_PER_FOOT

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
    /**
     * For a simple pattern: true when both feet play the same (each right-foot position's bytes
     * and level equal its left-foot zone's), so the frame path may compute one foot.
     */
    mirror = false
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
