import { SegmentRun, SegmentStore } from "./segments"
import { Bytes } from "../frame/wire"
import { MAX_FEET, ZONES_PER_FOOT } from "../util/zones"

/** Positions per row of a simple pattern's frames: 4 zones of 2 feet. */
export const ROW_WIDTH = MAX_FEET * ZONES_PER_FOOT

/**
 * Rows of a simple pattern's table per chunk. The table is kept in chunks of this many rows
 * (264 B each with the guard row) rather than one buffer of up to 2 KB: the VM's heap never
 * moves a block, so after a while of commands and reports a 2 KB hole may not exist while
 * 10 KB are free (measured: choosing a pattern then ran out of memory with 10 KB free).
 */
export const CHUNK_ROWS = 32

/**
 * The byte of position `pos` in row `row` (0..rows, the last being the guard row) of a simple
 * pattern's table: the plain reading of the chunked layout.
 */
export function tableByte(p: CompiledPattern, row: number, pos: number): number {
    const c = (row / CHUNK_ROWS) | 0
    if (c >= p.chunks.length) return p.chunks[c - 1][CHUNK_ROWS * ROW_WIDTH + pos]
    return p.chunks[c][(row - c * CHUNK_ROWS) * ROW_WIDTH + pos]
}

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
    /**
     * Per position, in a pattern that is not simple: its wave's per-frame table, or null:
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
     * 0..255, in chunks of CHUNK_ROWS rows, row-major: row r (chunk r / CHUNK_ROWS) holds the 8
     * positions at play time r * sampleFrames * period. Each chunk ends with a guard row, the
     * row after its last (row 0 after the table's last), so that interpolating never leaves a
     * chunk. The last chunk may be shorter.
     */
    chunks: Bytes[] = null
    /** Rows of the table (without guard rows). */
    rows = 0
    /**
     * For a simple pattern: true when both feet play the same (each right-foot position's bytes
     * and level equal its left-foot zone's), so the frame path may compute one foot.
     */
    mirror = false
    /** Per position: the wave's pieces (long or unaligned waves), or null. */
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

    /**
     * (The texts of the spec, name, description and reason, are not kept: a compiled pattern
     * stays in the heap while it plays; lists read them from the spec.)
     */
    constructor(
        readonly id: string,
        readonly durationMs: number,
        readonly loop: boolean,
        readonly footOffsetMs: number,
        readonly framePeriodMs: number
    ) {}
}
