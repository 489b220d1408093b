import { filledArray, wrap } from "../util/numbers"
import { CHUNK_ROWS, CompiledPattern, ROW_WIDTH, tableByte } from "../pattern/loader"
import { SegmentRun, SegmentStore, findSegment } from "../pattern/segments"
import { Bytes } from "../frame/wire"
import { ZONES_PER_FOOT } from "../util/zones"

/** A frame index later than any session reaches: "no boundary ahead". */
export const NEVER = 1e15

/** The table of a frozen layer: one row at full scale (and its guard row); levels do the rest. */
const FROZEN_TABLE: Bytes = filledArray(2 * ROW_WIDTH, 255)

/**
 * One playing instance of a pattern: the base pattern, the one fading out, or an overlay. It
 * holds, per channel, what the frame path needs so that a frame does no work that only changes
 * at keyframes:
 * - a table the frame path reads at the layer's table index (k - periodStart, see `seekPeriod`):
 *   in a simple pattern the whole signal, sampled every `sampleFrames` frames (interpolated
 *   between rows); in a layer that does not fit a table, the signal row `renderSignal` computes
 *   for the frame (read as a table of one row);
 * - `levelGain`: level times the channel gain, set by the scheduler;
 * - the envelope as a piece `envOffset + envSlope * k` until frame envEnd.
 * A layer that does not fit a table computes its signal from pieces in the frame index k: a
 * track piece is `trackOffset + trackSlope * k` until frame trackEnd, or, eased,
 * `easeFrom + easeBy * s(u)` with `u = trackOffset + trackSlope * k` and s the smoothstep; a
 * wave plays from its per-frame table or from pieces `waveOffset + waveSlope * k` until frame
 * waveEnd. Crossing a boundary calls a seek, which is rare.
 * Pieces are computed from the frame where they were first entered, not from the frame that
 * asked, and the table index is recomputed from k after any skip, so a channel's value at frame
 * k is a pure function of k: layers that played every frame, skipped frames or start fresh at k
 * agree to the bit.
 */
export class Layer {
    // The fields the frame path reads come first: the VM looks a field up by name, in the order
    // the fields were created, so an early field is a little cheaper to read.

    /** True when the pattern has no envelope: the factor is 1 at every frame. */
    noEnvelope = true
    /** Envelope: `envOffset + envSlope * k` until frame envEnd. */
    envEnd = NEVER
    envOffset = 1
    envSlope = 0
    /**
     * The frame at which the current table period began: frame k's table index is
     * k - periodStart while that lies in 0..tableFrames-1 (`seekPeriod` moves it on).
     */
    periodStart = 0
    /** The table repeats every tableFrames frames. */
    tableFrames = 1
    /**
     * Frames of the current table period: the chunk of the table the layer reads (a simple
     * pattern's table is kept in chunks, see CompiledPattern.chunks), or the whole table. The
     * frame path's index k - periodStart stays under it; `seekPeriod` moves on to the next
     * chunk. 0 after a restart, so the first frame seeks.
     */
    spanFrames = 1
    /**
     * Frames between table rows: 1, one row per frame; more, interpolate; 0, one row whatever
     * the frame (a frozen layer, or the signal row of a layer that does not fit a table).
     */
    sampleFrames = 1
    /** The table the frame path reads: a simple pattern's frames, the frozen row, or signalRow. */
    table: Bytes = FROZEN_TABLE
    /** Per channel: level times the scheduler's channel gain (over 255 for a byte table). */
    readonly levelGain: number[]
    /** True when the pattern plays from its byte table (see CompiledPattern.simple). */
    simple = true
    /**
     * True when the two feet play the same signal (positions c and c + 4 alike at every frame):
     * the scheduler then computes one foot and copies it.
     */
    mirror = true

    /** The pattern playing, or null (frozen or silent). */
    pattern: CompiledPattern = null
    /** Frame at which play time is 0. */
    startFrame = 0
    /** Per channel: the constant level (1 with a keyframe track). */
    readonly level: number[]
    /** Per channel: 1 when the track has keyframes. */
    readonly hasTrack: number[]
    /** Per channel: the track piece (see the class comment), valid while k < trackEnd. */
    readonly trackOffset: number[]
    readonly trackSlope: number[]
    readonly easeFrom: number[]
    readonly easeBy: number[]
    /** Per channel: 1 when the track piece is eased. */
    readonly trackEased: number[]
    readonly trackEnd: number[]
    /** Per channel: the wave's frame table, or null. */
    readonly waveTable: number[][] = []
    /** Per channel: 1 when the wave plays from pieces. */
    readonly hasWavePieces: number[]
    /** Per channel: the wave piece, valid while k < waveEnd. */
    readonly waveOffset: number[]
    readonly waveSlope: number[]
    readonly waveEnd: number[]
    /** The signal of every channel at one frame, for a layer that does not fit a table. */
    private readonly signalRow: number[]
    /** The wave table of a channel without a wave: 1 at every index. */
    private readonly noWave = [1]
    /** Output channels (4 per foot). */
    readonly channels: number
    /** Frame period in ms. */
    readonly periodMs: number

    /**
     * @param channels output channels (4 per foot)
     * @param periodMs frame period
     */
    constructor(channels: number, periodMs: number) {
        this.levelGain = filledArray(channels, 0)
        this.level = filledArray(channels, 0)
        this.hasTrack = filledArray(channels, 0)
        this.trackOffset = filledArray(channels, 0)
        this.trackSlope = filledArray(channels, 0)
        this.easeFrom = filledArray(channels, 0)
        this.easeBy = filledArray(channels, 0)
        this.trackEased = filledArray(channels, 0)
        this.trackEnd = filledArray(channels, NEVER)
        for (let c = 0; c < channels; c++) this.waveTable.push(this.noWave)
        this.hasWavePieces = filledArray(channels, 0)
        this.waveOffset = filledArray(channels, 1)
        this.waveSlope = filledArray(channels, 0)
        this.waveEnd = filledArray(channels, NEVER)
        this.signalRow = filledArray(channels, 0)
        this.channels = channels
        this.periodMs = periodMs
    }

    /** Starts playing a pattern with play time 0 at frame `startFrame`; null silences the layer. */
    play(pattern: CompiledPattern, startFrame: number) {
        if (!pattern) {
            this.freeze(null, 0)
            return
        }
        this.pattern = pattern
        for (let c = 0; c < this.channels; c++) {
            this.hasTrack[c] = pattern.tracks[c] ? 1 : 0
            this.level[c] = pattern.level[c]
            this.waveTable[c] = pattern.waveTables[c]
            this.hasWavePieces[c] = pattern.wavePieces[c] ? 1 : 0
        }
        this.tableFrames = pattern.tableFrames
        this.simple = pattern.simple
        // a layer that does not fit a table reads the row renderSignal computes, as one row
        this.sampleFrames = pattern.simple ? pattern.sampleFrames : 0
        this.table = pattern.simple ? pattern.chunks[0] : this.signalRow
        this.mirror = pattern.mirror
        this.noEnvelope = !pattern.envelope
        this.restartAt(startFrame)
    }

    /** Moves play time: the frame at which play time is 0 becomes `startFrame` (pause/resume). */
    restartAt(startFrame: number) {
        this.startFrame = startFrame
        if (!this.pattern) return
        for (let c = 0; c < this.channels; c++) {
            this.trackEnd[c] = -1
            this.waveEnd[c] = -1
        }
        this.envEnd = -1
        this.periodStart = startFrame
        // a chunked table (a simple pattern's): the first frame seeks its chunk
        this.spanFrames = this.simple ? 0 : this.tableFrames
    }

    /**
     * Freezes every channel at a constant level (a snapshot to crossfade from): values[c], or
     * `constant` when values is null. Call `setGains` after.
     */
    freeze(values: number[], constant: number) {
        this.pattern = null
        let mirror = true
        for (let c = 0; c < this.channels; c++) {
            this.level[c] = values ? values[c] : constant
            if (c >= ZONES_PER_FOOT && this.level[c] !== this.level[c - ZONES_PER_FOOT]) mirror = false
            this.hasTrack[c] = 0
            this.waveTable[c] = this.noWave
            this.hasWavePieces[c] = 0
        }
        // one row for ever: no period to wrap (a frozen layer's index runs on, its row stays 0)
        this.tableFrames = NEVER
        this.spanFrames = NEVER
        this.sampleFrames = 0
        this.periodStart = 0
        this.simple = true
        this.table = FROZEN_TABLE
        this.mirror = mirror
        this.noEnvelope = true
        this.envOffset = 1
        this.envSlope = 0
        this.envEnd = NEVER
    }

    /** Sets levelGain = level times gain[c] (over 255 for a simple layer: its table is bytes). */
    setGains(gain: number[]) {
        const scale = this.simple ? 1 / 255 : 1
        for (let c = 0; c < this.channels; c++) this.levelGain[c] = this.level[c] * gain[c] * scale
    }

    /** Play time in ms at frame k. */
    playTimeMs(k: number): number {
        return (k - this.startFrame) * this.periodMs
    }

    /**
     * Moves `periodStart` to the period holding frame k and returns k's index in it: the next
     * period without a division, any other frame (a skip, a restart) by a remainder. A period is
     * the whole table, or with a chunked table one chunk's frames (then `table` becomes that
     * chunk and `spanFrames` its length).
     */
    seekPeriod(k: number): number {
        const N = this.tableFrames
        // one period: a layer that does not fit a table, or a frozen one
        if (!this.simple || !this.pattern) {
            let i = k - this.periodStart - N
            if (i < 0 || i >= N) i = wrap(k - this.startFrame, N)
            this.periodStart = k - i
            return i
        }
        // once a chunk's frames (CHUNK_ROWS rows) pass: rare enough for a remainder
        const m = wrap(k - this.startFrame, N)
        const C = CHUNK_ROWS * this.sampleFrames
        const c = (m / C) | 0
        const i = m - c * C
        this.table = this.pattern.chunks[c]
        const rest = N - c * C
        this.spanFrames = rest < C ? rest : C
        this.periodStart = k - i
        return i
    }

    /** Finds channel c's track piece for frame k. */
    seekTrack(c: number, k: number) {
        const p = this.pattern
        const run = p.tracks[c]
        let x = this.playTimeMs(k) - p.trackDelayMs[c]
        if (run.repeats) x = wrap(x, run.span)
        this.seek(p.store, run, x, k)
        this.trackOffset[c] = this.pieceOffset
        this.trackSlope[c] = this.pieceSlope
        this.easeFrom[c] = this.pieceFrom
        this.easeBy[c] = this.pieceBy
        this.trackEased[c] = this.pieceEased
        this.trackEnd[c] = this.pieceEnd
    }

    /** Finds channel c's wave piece for frame k. */
    seekWave(c: number, k: number) {
        const p = this.pattern
        const period = p.wavePeriodMs[c]
        const x = wrap(this.playTimeMs(k) + p.wavePhaseMs[c], period)
        this.seek(p.store, p.wavePieces[c], x, k)
        this.waveOffset[c] = this.pieceOffset
        this.waveSlope[c] = this.pieceSlope
        this.waveEnd[c] = this.pieceEnd
    }

    /** The envelope factor at frame k (1 without an envelope). */
    envelopeAt(k: number): number {
        if (k >= this.envEnd) {
            const p = this.pattern
            if (!p || !p.envelope) {
                this.envOffset = 1
                this.envSlope = 0
                this.envEnd = NEVER
            } else {
                this.seek(p.store, p.envelope, this.playTimeMs(k), k)
                this.envOffset = this.pieceOffset
                this.envSlope = this.pieceSlope
                this.envEnd = this.pieceEnd
            }
        }
        return this.envOffset + this.envSlope * k
    }

    /** True once a pattern that does not loop has played to its end. */
    isDone(k: number): boolean {
        const p = this.pattern
        return !!p && !p.loop && this.playTimeMs(k) >= p.durationMs
    }

    /** Output of `seek`: the piece in terms of the frame index (see the class comment). */
    private pieceOffset = 0
    private pieceSlope = 0
    private pieceFrom = 0
    private pieceBy = 0
    private pieceEased = 0
    private pieceEnd = 0

    /**
     * Finds the segment of `run` holding local time x (the local time at frame k) and sets the
     * piece through it in terms of the frame index (a run holds at most 34 segments: searching
     * from its start is cheap next to the call itself).
     */
    private seek(store: SegmentStore, run: SegmentRun, x: number, k: number) {
        const P = this.periodMs
        this.pieceEased = 0
        this.pieceSlope = 0
        if (x < 0) {
            // before a delayed, non-repeating track starts: hold its first value
            this.pieceOffset = store.v[run.first]
            this.pieceEnd = k + Math.ceil(-x / P)
            return
        }
        const seg = findSegment(store, run, x, run.first)
        const last = seg + 1 >= run.first + run.count
        const segStart = store.t[seg]
        const segEnd = !last ? store.t[seg + 1] : run.repeats ? run.span : -1
        const v = store.v[seg]
        const d = store.d[seg]
        // the first frame of this pass that fell in the segment, and its local time
        const steps = Math.floor((x - segStart) / P)
        const k0 = k - steps
        const x0 = x - steps * P
        this.pieceEnd = segEnd < 0 ? NEVER : k0 + Math.ceil((segEnd - x0) / P)
        if (d === 0) {
            this.pieceOffset = v
            return
        }
        const len = segEnd - segStart
        // u = (x - segStart) / len with x = x0 + (k - k0) * P, as ua + ub * k
        const ua = (x0 - segStart - k0 * P) / len
        const ub = P / len
        if (store.e[seg] === 1) {
            this.pieceOffset = ua
            this.pieceSlope = ub
            this.pieceFrom = v
            this.pieceBy = d
            this.pieceEased = 1
        } else {
            this.pieceOffset = v + d * ua
            this.pieceSlope = d * ub
        }
    }

    /**
     * Channel c's value at frame k before envelope and gains: level times track times wave,
     * computed without the table index (the frame path reads the same value from its table).
     */
    valueAt(c: number, k: number): number {
        const m = wrap(k - this.startFrame, this.tableFrames)
        if (!this.simple) return this.signalAt(c, k, m) * this.level[c]
        // row m / sampleFrames of the table, interpolated towards the next
        const D = this.sampleFrames
        const row = D === 1 ? m : D === 0 ? 0 : (m / D) | 0
        const f = D === 1 || D === 0 ? 0 : (m - row * D) / D
        // a frozen layer: its one row
        if (!this.pattern) return (this.table[c] / 255) * this.level[c]
        const a = tableByte(this.pattern, row, c)
        const v = f > 0 ? a + f * (tableByte(this.pattern, row + 1, c) - a) : a
        return (v / 255) * this.level[c]
    }

    /**
     * For a layer that does not fit a table: every channel's signal at frame k (see signalAt)
     * into the row the frame path then reads as the layer's table. Nothing for a table layer.
     */
    renderSignal(k: number) {
        if (this.simple) return
        const m = this.seekPeriod(k)
        const row = this.signalRow
        for (let c = 0; c < this.channels; c++) row[c] = this.signalAt(c, k, m)
        // (set again each time: a copied state, see preview.ts, may point at another layer's row)
        this.table = row
    }

    /**
     * Channel c's signal at frame k, track times wave, level and gains aside, for a pattern that
     * is not simple (the frame path's general case); m is the layer's table index of frame k.
     */
    signalAt(c: number, k: number, m: number): number {
        let v = 1
        if (this.hasTrack[c] === 1) {
            if (k >= this.trackEnd[c]) this.seekTrack(c, k)
            v = this.trackOffset[c] + this.trackSlope[c] * k
            // VM: ease(v) (segments.ts) written out, a call costs as much as the rest of a channel
            if (this.trackEased[c] === 1) v = this.easeFrom[c] + this.easeBy[c] * v * v * (3 - 2 * v)
        }
        const wave = this.waveTable[c]
        if (wave !== null) v *= wave[m]
        else if (this.hasWavePieces[c] === 1) {
            if (k >= this.waveEnd[c]) this.seekWave(c, k)
            v *= this.waveOffset[c] + this.waveSlope[c] * k
        }
        return v
    }
}
