import { filledArray, wrap } from "./numbers"
import { CompiledPattern, ROW_WIDTH } from "./pattern"
import { SegmentRun, SegmentStore, findSegment } from "./segments"
import { Bytes } from "./wire"
import { ZONES_PER_FOOT } from "./zones"

/** A frame index later than any session reaches: "no boundary ahead". */
export const NEVER = 1e15

/** The frames of a frozen layer: one row at full scale (and its guard row); levels do the rest. */
const FROZEN_FRAMES: Bytes = filledArray(2 * ROW_WIDTH, 255)

/**
 * One playing instance of a pattern: the base pattern, the one fading out, or an overlay. It
 * holds, per channel, what the frame path needs so that a frame does no work that only changes
 * at keyframes (the scheduler's `frame` reads these arrays inline; a call costs as much as a
 * channel's whole evaluation in the VM):
 * - the track piece expressed in the frame index k: until frame tNext, a linear piece is
 *   `ta + tb * k`, an eased one `tv + td * s(u)` with `u = ta + tb * k` and s the smoothstep;
 *   crossing a keyframe calls `seekTrack`, which is rare;
 * - a table read at the layer's table index (k - periodStart, see `seekPeriod`) plus the channel's offset: in a
 *   simple pattern the whole signal, sampled every `sampleFrames` frames (interpolated between
 *   samples); otherwise the wave alone, one entry per frame; long or unaligned waves play from
 *   pieces `sa + sb * k` until frame sNext, like a track;
 * - `lg`: level times the channel gain, set by the scheduler.
 * Pieces are computed from the frame where they were first entered, not from the frame that
 * asked, and the table index is recomputed from k after any skip, so a channel's value at frame
 * k is a pure function of k: layers that played every frame, skipped frames or start fresh at k
 * agree to the bit.
 */
export class Layer {
    /** The pattern playing, or null (frozen or silent). */
    pattern: CompiledPattern = null
    /** Frame at which play time is 0. */
    startFrame = 0
    /** Per channel: 1 when the track has keyframes. */
    readonly tk: number[]
    /** Per channel: the track piece, valid while k < tNext. */
    readonly ta: number[]
    readonly tb: number[]
    readonly tv: number[]
    readonly td: number[]
    readonly te: number[]
    readonly tNext: number[]
    /** Per channel: the wave's frame table, or null. */
    readonly wt: number[][] = []
    /** Per channel: 1 when the wave plays from pieces. */
    readonly wp: number[]
    /** Per channel: the wave piece, valid while k < sNext. */
    readonly sa: number[]
    readonly sb: number[]
    readonly sNext: number[]
    /** Per channel: the constant level (1 with a keyframe track). */
    readonly level: number[]
    /** Per channel: level times the scheduler's channel gain. */
    readonly lg: number[]
    /** The tables repeat every tableFrames frames. */
    tableFrames = 1
    /**
     * Frames between table entries (1: one entry per frame; more: interpolate; 0: a frozen
     * layer's single row, whatever the frame).
     */
    sampleFrames = 1
    /** True when the pattern plays from its byte frames (see CompiledPattern.simple). */
    simple = true
    /** A simple pattern's frames (8 positions a row), or the frames of a frozen layer. */
    frames: Bytes = FROZEN_FRAMES
    /** The signal of every channel at one frame, for a layer that does not fit a table. */
    private readonly signalRow: number[]
    /** The table of a frozen channel in the general path. */
    private readonly one = [1]
    /**
     * The frame at which the current table period began: frame k's table index is
     * k - periodStart while that lies in 0..tableFrames-1 (`seekPeriod` moves it on).
     */
    periodStart = 0
    /**
     * True when the two feet play the same signal (positions c and c + 4 alike at every frame):
     * the scheduler then computes one foot and copies it.
     */
    mirror = true
    /** True when the pattern has no envelope: the factor is 1 at every frame. */
    flat = true
    /** Envelope: value ea + eb * k until frame eNext. */
    ea = 1
    eb = 0
    eNext = NEVER

    /**
     * @param channels output channels (4 per foot)
     * @param periodMs frame period
     */
    constructor(
        readonly channels: number,
        readonly periodMs: number
    ) {
        this.tk = filledArray(channels, 0)
        this.ta = filledArray(channels, 0)
        this.tb = filledArray(channels, 0)
        this.tv = filledArray(channels, 0)
        this.td = filledArray(channels, 0)
        this.te = filledArray(channels, 0)
        this.tNext = filledArray(channels, NEVER)
        for (let c = 0; c < channels; c++) this.wt.push(this.one)
        this.wp = filledArray(channels, 0)
        this.sa = filledArray(channels, 1)
        this.sb = filledArray(channels, 0)
        this.sNext = filledArray(channels, NEVER)
        this.level = filledArray(channels, 0)
        this.lg = filledArray(channels, 0)
        this.signalRow = filledArray(channels, 0)
    }

    /** Starts playing a pattern with play time 0 at frame `startFrame`; null silences the layer. */
    play(pattern: CompiledPattern, startFrame: number) {
        if (!pattern) {
            this.freeze(null, 0)
            return
        }
        this.pattern = pattern
        for (let c = 0; c < this.channels; c++) {
            const track = pattern.tracks[c]
            this.tk[c] = track ? 1 : 0
            this.level[c] = pattern.level[c]
            this.wt[c] = pattern.waveTables[c]
            this.wp[c] = pattern.wavePieces[c] ? 1 : 0
        }
        this.tableFrames = pattern.tableFrames
        this.sampleFrames = pattern.sampleFrames
        this.simple = pattern.simple
        this.mirror = pattern.mirror
        this.flat = !pattern.envelope
        this.frames = pattern.simple ? pattern.frames : FROZEN_FRAMES
        this.restartAt(startFrame)
    }

    /** Moves play time: the frame at which play time is 0 becomes `startFrame` (pause/resume). */
    restartAt(startFrame: number) {
        this.startFrame = startFrame
        if (!this.pattern) return
        for (let c = 0; c < this.channels; c++) {
            this.tNext[c] = -1
            this.sNext[c] = -1
        }
        this.eNext = -1
        this.periodStart = startFrame
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
            this.tk[c] = 0
            this.wt[c] = this.one
            this.wp[c] = 0
        }
        // one row for ever: no period to wrap (a frozen layer's index runs on, its row stays 0)
        this.tableFrames = NEVER
        this.sampleFrames = 0
        this.periodStart = 0
        this.simple = true
        this.frames = FROZEN_FRAMES
        this.mirror = mirror
        this.flat = true
        this.ea = 1
        this.eb = 0
        this.eNext = NEVER
    }

    /** Sets lg = level times gain[c] (over 255 for a simple layer: its frames are bytes). */
    setGains(gain: number[]) {
        const scale = this.simple ? 1 / 255 : 1
        for (let c = 0; c < this.channels; c++) this.lg[c] = this.level[c] * gain[c] * scale
    }

    /** Play time in ms at frame k. */
    playTimeMs(k: number): number {
        return (k - this.startFrame) * this.periodMs
    }

    /**
     * Moves `periodStart` to the period holding frame k and returns k's table index: the next
     * period without a division, any other frame (a skip, a restart) by a remainder.
     */
    seekPeriod(k: number): number {
        const N = this.tableFrames
        let i = k - this.periodStart - N
        if (i < 0 || i >= N) i = wrap(k - this.startFrame, N)
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
        this.ta[c] = this.pa
        this.tb[c] = this.pb
        this.tv[c] = this.pv
        this.td[c] = this.pd
        this.te[c] = this.pe
        this.tNext[c] = this.pNext
    }

    /** Finds channel c's wave piece for frame k. */
    seekWave(c: number, k: number) {
        const p = this.pattern
        const period = p.wavePeriodMs[c]
        const x = wrap(this.playTimeMs(k) + p.wavePhaseMs[c], period)
        this.seek(p.store, p.wavePieces[c], x, k)
        this.sa[c] = this.pa
        this.sb[c] = this.pb
        this.sNext[c] = this.pNext
    }

    /** The envelope factor at frame k (1 without an envelope). */
    envelopeAt(k: number): number {
        if (k >= this.eNext) {
            const p = this.pattern
            if (!p || !p.envelope) {
                this.ea = 1
                this.eb = 0
                this.eNext = NEVER
            } else {
                this.seek(p.store, p.envelope, this.playTimeMs(k), k)
                this.ea = this.pa
                this.eb = this.pb
                this.eNext = this.pNext
            }
        }
        return this.ea + this.eb * k
    }

    /** True once a pattern that does not loop has played to its end. */
    isDone(k: number): boolean {
        const p = this.pattern
        return !!p && !p.loop && this.playTimeMs(k) >= p.durationMs
    }

    /** Output of `seek`: the piece in terms of the frame index (see the class comment). */
    private pa = 0
    private pb = 0
    private pv = 0
    private pd = 0
    private pe = 0
    private pNext = 0

    /**
     * Finds the segment of `run` holding local time x (the local time at frame k) and sets the
     * piece through it in terms of the frame index (a run holds at most 34 segments: searching
     * from its start is cheap next to the call itself).
     * @returns the segment index
     */
    private seek(store: SegmentStore, run: SegmentRun, x: number, k: number): number {
        const P = this.periodMs
        this.pe = 0
        this.pb = 0
        if (x < 0) {
            // before a delayed, non-repeating track starts: hold its first value
            this.pa = store.v[run.first]
            this.pNext = k + Math.ceil(-x / P)
            return run.first
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
        this.pNext = segEnd < 0 ? NEVER : k0 + Math.ceil((segEnd - x0) / P)
        if (d === 0) {
            this.pa = v
            return seg
        }
        const len = segEnd - segStart
        // u = (x - segStart) / len with x = x0 + (k - k0) * P, as ua + ub * k
        const ua = (x0 - segStart - k0 * P) / len
        const ub = P / len
        if (store.e[seg] === 1) {
            this.pa = ua
            this.pb = ub
            this.pv = v
            this.pd = d
            this.pe = 1
        } else {
            this.pa = v + d * ua
            this.pb = d * ub
        }
        return seg
    }

    /**
     * Channel c's value at frame k before envelope and gains: level times track times wave,
     * computed without the table index (the reference the frame path matches).
     */
    valueAt(c: number, k: number): number {
        if (this.simple) {
            // as the frame path: row i of the table period, interpolated towards the next
            const m = wrap(k - this.startFrame, this.tableFrames)
            const D = this.sampleFrames
            const i = D === 1 ? m : D === 0 ? 0 : (m / D) | 0
            const f = D === 1 || D === 0 ? 0 : (m - i * D) / D
            const a = this.frames[i * ROW_WIDTH + c]
            const v = f > 0 ? a + f * (this.frames[(i + 1) * ROW_WIDTH + c] - a) : a
            return (v / 255) * this.level[c]
        }
        return this.signalAt(c, k, wrap(k - this.startFrame, this.tableFrames)) * this.level[c]
    }

    /**
     * Every channel's signal at frame k (see signalAt), into a row the frame path reads as it
     * reads a table row: for a pattern that is not simple.
     */
    renderSignal(k: number, m: number): number[] {
        const row = this.signalRow
        for (let c = 0; c < this.channels; c++) row[c] = this.signalAt(c, k, m)
        return row
    }

    /**
     * Channel c's signal at frame k, track times wave, level and gains aside, for a pattern that
     * is not simple (the frame path's general case); m is the layer's table index of frame k.
     */
    signalAt(c: number, k: number, m: number): number {
        let v = 1
        if (this.tk[c] === 1) {
            if (k >= this.tNext[c]) this.seekTrack(c, k)
            v = this.ta[c] + this.tb[c] * k
            if (this.te[c] === 1) v = this.tv[c] + this.td[c] * v * v * (3 - 2 * v)
        }
        const table = this.wt[c]
        if (table !== null) v *= table[m]
        else if (this.wp[c] === 1) {
            if (k >= this.sNext[c]) this.seekWave(c, k)
            v *= this.sa[c] + this.sb[c] * k
        }
        return v
    }
}
