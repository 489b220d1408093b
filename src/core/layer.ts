import { filledArray, wrap } from "./numbers"
import { CompiledPattern, WAVE_PIECES, WAVE_TABLE } from "./pattern"
import { SegmentRun, SegmentStore, findSegment } from "./segments"

/** A frame index later than any session reaches: "no boundary ahead". */
export const NEVER = 1e15

/**
 * One playing instance of a pattern: the base pattern, the one fading out, or an overlay.
 *
 * The frame path must not redo work that only changes at keyframes, so each channel keeps:
 * - its track piece expressed directly in the frame index k: until frame tNext, a linear piece
 *   is `ta + tb * k`, an eased one `tv + td * s(u)` with `u = ta + tb * k` and s the smoothstep;
 *   crossing a keyframe calls `seekTrack`, which is rare;
 * - its wave: a cursor into a per-frame table (one load per frame), or for long waves a
 *   piece `sa + sb * k` until frame sNext, like a track.
 * Pieces are computed from the frame where they were first entered, not from the frame that
 * happened to ask, and table cursors are resynchronised from k whenever frames were skipped,
 * so a channel's value at frame k is a pure function of k: a fresh layer asked for frame k, one
 * that played every frame up to k and one that skipped frames all agree to the bit.
 */
export class Layer {
    /** The pattern playing, or null (silent). */
    pattern: CompiledPattern = null
    /** Frame at which play time is 0. */
    startFrame = 0
    /** Per channel: 1 when the track has keyframes (else the level is folded into the wave). */
    readonly tk: number[]
    /** Per channel: the track piece, valid while k < tNext. */
    readonly ta: number[]
    readonly tb: number[]
    readonly tv: number[]
    readonly td: number[]
    readonly te: number[]
    readonly tNext: number[]
    /** Per channel: the constant level (1 with a keyframe track). */
    readonly level: number[]
    /** Per channel: WAVE_NONE, WAVE_TABLE or WAVE_PIECES. */
    readonly wk: number[]
    /** Per channel: the frame table, its length and the cursor (entry of the next frame). */
    readonly wt: number[][] = []
    readonly wn: number[]
    readonly wj: number[]
    /** Per channel: the wave piece, valid while k < sNext. */
    readonly sa: number[]
    readonly sb: number[]
    readonly sNext: number[]
    /** Envelope: value ea + eb * k until frame eNext. */
    ea = 1
    eb = 0
    eNext = NEVER
    /** The table of a constant channel. */
    private readonly unit = [1]
    /** The frame `render` was last called for. */
    private lastK = -2
    private readonly tSeg: number[]
    private readonly sSeg: number[]
    /** Per channel: wave time at frame 0, ms, wrapped to the period. */
    private readonly wo: number[]
    private eSeg = 0

    /**
     * @param channels output channels (4 per foot)
     * @param periodMs frame period
     */
    constructor(
        readonly channels: number,
        readonly periodMs: number
    ) {
        this.tk = filledArray(channels, 0)
        this.level = filledArray(channels, 0)
        this.ta = filledArray(channels, 0)
        this.tb = filledArray(channels, 0)
        this.tv = filledArray(channels, 0)
        this.td = filledArray(channels, 0)
        this.te = filledArray(channels, 0)
        this.tNext = filledArray(channels, NEVER)
        this.wk = filledArray(channels, WAVE_TABLE)
        for (let c = 0; c < channels; c++) this.wt.push(this.unit)
        this.wn = filledArray(channels, 1)
        this.wj = filledArray(channels, 0)
        this.sa = filledArray(channels, 1)
        this.sb = filledArray(channels, 0)
        this.sNext = filledArray(channels, NEVER)
        this.tSeg = filledArray(channels, 0)
        this.sSeg = filledArray(channels, 0)
        this.wo = filledArray(channels, 0)
    }

    /** Starts playing a pattern with play time 0 at frame `startFrame`; null silences the layer. */
    play(pattern: CompiledPattern, startFrame: number) {
        this.pattern = pattern
        this.startFrame = startFrame
        if (!pattern) {
            this.freeze(this.sa, 0)
            return
        }
        for (let c = 0; c < this.channels; c++) {
            const track = pattern.tracks[c]
            this.tk[c] = track ? 1 : 0
            this.level[c] = pattern.level[c]
            this.tSeg[c] = track ? track.first : 0
            this.wk[c] = pattern.waveKind[c]
            const table = pattern.waveTables[c]
            this.wt[c] = table ? table : this.wt[c]
            this.wn[c] = table ? table.length : 1
            const pieces = pattern.wavePieces[c]
            this.sSeg[c] = pieces ? pieces.first : 0
        }
        this.eSeg = pattern.envelope ? pattern.envelope.first : 0
        this.retime()
    }

    /** Moves play time: the frame at which play time is 0 becomes `startFrame` (pause/resume). */
    restartAt(startFrame: number) {
        this.startFrame = startFrame
        if (this.pattern) this.retime()
    }

    /**
     * Freezes every channel at a constant value (a snapshot to crossfade from): values[c], or
     * `constant` when values is null.
     */
    freeze(values: number[], constant: number) {
        this.pattern = null
        for (let c = 0; c < this.channels; c++) {
            this.level[c] = values ? values[c] : constant
            this.tk[c] = 0
            this.wk[c] = WAVE_TABLE
            this.wt[c] = this.unit
            this.wn[c] = 1
            this.wj[c] = 0
        }
        this.lastK = -2
        this.ea = 1
        this.eb = 0
        this.eNext = NEVER
    }

    /** Recomputes the time-dependent per-channel values and forces seeks on the next frame. */
    private retime() {
        const p = this.pattern
        const shift = this.startFrame * this.periodMs
        for (let c = 0; c < this.channels; c++) {
            this.tNext[c] = -1
            this.sNext[c] = -1
            this.wo[c] = wrap(p.wavePhaseMs[c] - shift, p.wavePeriodMs[c])
        }
        this.eNext = -1
        this.lastK = -2
    }

    /** Play time in ms at frame k. */
    playTimeMs(k: number): number {
        return (k - this.startFrame) * this.periodMs
    }

    /** Channel c's wave time at frame k, ms, within the period. */
    private waveTime(c: number, k: number): number {
        return (k * this.periodMs + this.wo[c]) % this.pattern.wavePeriodMs[c]
    }

    /** Points every table cursor at frame k (after a skip, or on the first frame). */
    private syncCursors(k: number) {
        if (!this.pattern) return
        for (let c = 0; c < this.channels; c++)
            if (this.wk[c] === WAVE_TABLE) this.wj[c] = Math.floor(this.waveTime(c, k) / this.periodMs)
    }

    /** Finds channel c's track piece for frame k. */
    seekTrack(c: number, k: number) {
        const p = this.pattern
        const run = p.tracks[c]
        let x = this.playTimeMs(k) - p.trackDelayMs[c]
        if (run.repeats) x = wrap(x, run.span)
        this.tSeg[c] = this.seek(p.store, run, x, k, this.tSeg[c])
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
        this.sSeg[c] = this.seek(p.store, p.wavePieces[c], this.waveTime(c, k), k, this.sSeg[c])
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
                this.eSeg = this.seek(p.store, p.envelope, this.playTimeMs(k), k, this.eSeg)
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
     * piece through it in terms of the frame index.
     * @returns the segment index, the hint for the next seek
     */
    private seek(store: SegmentStore, run: SegmentRun, x: number, k: number, hint: number): number {
        const P = this.periodMs
        this.pe = 0
        this.pb = 0
        if (x < 0) {
            // before a delayed, non-repeating track starts: hold its first value
            this.pa = store.v[run.first]
            this.pNext = k + Math.ceil(-x / P)
            return run.first
        }
        const seg = findSegment(store, run, x, hint)
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
     * The frame path: adds `weight` times every channel's value at frame k to acc (or, with
     * `first`, stores it). With `mask`, only channels whose mask entry is above 0 are evaluated,
     * each scaled by its entry. Frames must come in increasing k. Same arithmetic as `valueAt`.
     */
    render(k: number, weight: number, acc: number[], first: boolean, mask: number[]) {
        if (k !== this.lastK + 1) this.syncCursors(k)
        this.lastK = k
        const tk = this.tk
        const ta = this.ta
        const tb = this.tb
        const te = this.te
        const tNext = this.tNext
        const wk = this.wk
        const wt = this.wt
        const wj = this.wj
        const wn = this.wn
        const level = this.level
        const n = this.channels
        for (let c = 0; c < n; c++) {
            let w = weight * level[c]
            if (mask !== null) {
                w *= mask[c]
                if (w <= 0) {
                    if (first) acc[c] = 0
                    continue
                }
            }
            let v = 1
            if (tk[c] === 1) {
                if (k >= tNext[c]) this.seekTrack(c, k)
                v = ta[c] + tb[c] * k
                if (te[c] === 1) v = this.tv[c] + this.td[c] * v * v * (3 - 2 * v)
            }
            const kind = wk[c]
            if (kind === WAVE_TABLE) {
                const j = wj[c]
                v *= wt[c][j]
                wj[c] = j + 1 < wn[c] ? j + 1 : 0
            } else if (kind === WAVE_PIECES) {
                if (k >= this.sNext[c]) this.seekWave(c, k)
                v *= this.sa[c] + this.sb[c] * k
            }
            if (first) acc[c] = v * w
            else acc[c] += v * w
        }
    }

    /** Value of channel c at frame k before envelope and gains, computed without cursors. */
    valueAt(c: number, k: number): number {
        let v = 1
        if (this.tk[c] === 1) {
            if (k >= this.tNext[c]) this.seekTrack(c, k)
            v = this.ta[c] + this.tb[c] * k
            if (this.te[c] === 1) v = this.tv[c] + this.td[c] * v * v * (3 - 2 * v)
        }
        const kind = this.wk[c]
        if (kind === WAVE_TABLE) {
            const j = this.pattern ? Math.floor(this.waveTime(c, k) / this.periodMs) : 0
            v *= this.wt[c][j]
        } else if (kind === WAVE_PIECES) {
            if (k >= this.sNext[c]) this.seekWave(c, k)
            v *= this.sa[c] + this.sb[c] * k
        }
        return v * this.level[c]
    }
}
