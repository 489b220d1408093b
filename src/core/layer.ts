import { filledArray, wrap } from "./numbers"
import { CompiledPattern } from "./pattern"
import { SegmentRun, SegmentStore, findSegment } from "./segments"
import { WAVE_STEPS } from "./waves"
import { ZONES_PER_FOOT } from "./zones"

/** A frame index later than any session reaches: "no boundary ahead". */
export const NEVER = 1e15

/**
 * One playing instance of a pattern: the base pattern, the one fading out, or an overlay.
 *
 * The frame path must not redo work that only changes at keyframes, so for every channel the
 * layer keeps the piece of track it is on, expressed directly in the frame index k: until
 * frame tNext, a linear piece is `ta + tb * k`, and an eased piece is `tv + td * s(u)` with
 * `u = ta + tb * k` and s the smoothstep. Crossing a keyframe calls `seekTrack`, which is rare.
 * The coefficients are computed from the frame where the piece was first entered, not from the
 * frame that happened to ask, so a channel's value at frame k is a pure function of k: a fresh
 * layer asked for frame k, one that played every frame up to k and one that skipped frames all
 * agree to the bit.
 *
 * Waves need no seeking: a wave's value is a table lookup at `(k * period + wo) % wp`, with the
 * per-channel offset wo folding in the zone's phase and the foot offset.
 */
export class Layer {
    /** The pattern playing, or null (silent). */
    pattern: CompiledPattern = null
    /** Frame at which play time is 0. */
    startFrame = 0
    /** Per channel: the track piece (see the class comment), valid while k < tNext. */
    readonly ta: number[]
    readonly tb: number[]
    readonly tv: number[]
    readonly td: number[]
    readonly te: number[]
    readonly tNext: number[]
    /** Per channel: wave table (null without a wave), offset ms, period ms, table steps per ms. */
    readonly wt: number[][] = []
    readonly wo: number[]
    readonly wp: number[]
    readonly ws: number[]
    /** Envelope: value ea + eb * k until frame eNext. */
    ea = 1
    eb = 0
    eNext = NEVER
    private readonly tSeg: number[]
    private readonly trackDelay: number[]
    private eSeg = 0

    /**
     * @param channels output channels (4 per foot)
     * @param periodMs frame period
     */
    constructor(
        readonly channels: number,
        readonly periodMs: number
    ) {
        this.ta = filledArray(channels, 0)
        this.tb = filledArray(channels, 0)
        this.tv = filledArray(channels, 0)
        this.td = filledArray(channels, 0)
        this.te = filledArray(channels, 0)
        this.tNext = filledArray(channels, NEVER)
        for (let c = 0; c < channels; c++) this.wt.push(null)
        this.wo = filledArray(channels, 0)
        this.wp = filledArray(channels, 1)
        this.ws = filledArray(channels, 0)
        this.tSeg = filledArray(channels, 0)
        this.trackDelay = filledArray(channels, 0)
    }

    /** Starts playing a pattern with play time 0 at frame `startFrame`; null silences the layer. */
    play(pattern: CompiledPattern, startFrame: number) {
        this.pattern = pattern
        this.startFrame = startFrame
        if (!pattern) {
            this.holdConstant(0)
            return
        }
        for (let c = 0; c < this.channels; c++) {
            const z = c % ZONES_PER_FOOT
            const footDelay = ((c - z) / ZONES_PER_FOOT) * pattern.footOffsetMs
            this.trackDelay[c] = pattern.delayMs[z] + footDelay
            this.tSeg[c] = pattern.tracks[z].first
            const period = pattern.wavePeriodMs[z]
            this.wt[c] = pattern.waveTables[z]
            this.wp[c] = period > 0 ? period : 1
            this.ws[c] = period > 0 ? WAVE_STEPS / period : 0
        }
        this.eSeg = pattern.envelope ? pattern.envelope.first : 0
        this.retime()
    }

    /** Moves play time: the frame at which play time is 0 becomes `startFrame` (pause/resume). */
    restartAt(startFrame: number) {
        this.startFrame = startFrame
        if (this.pattern) this.retime()
    }

    /** Freezes every channel at a constant value (a snapshot to crossfade from). */
    freeze(values: number[]) {
        this.pattern = null
        for (let c = 0; c < this.channels; c++) {
            this.ta[c] = values[c]
            this.tb[c] = 0
            this.te[c] = 0
            this.tNext[c] = NEVER
            this.wt[c] = null
        }
        this.ea = 1
        this.eb = 0
        this.eNext = NEVER
    }

    private holdConstant(v: number) {
        for (let c = 0; c < this.channels; c++) this.ta[c] = v
        this.freeze(this.ta)
    }

    /** Recomputes the time-dependent per-channel values and forces a seek on the next frame. */
    private retime() {
        const p = this.pattern
        const shift = this.startFrame * this.periodMs
        for (let c = 0; c < this.channels; c++) {
            this.tNext[c] = -1
            // wave time at frame k is k * period - startFrame * period + phase - foot delay
            const z = c % ZONES_PER_FOOT
            const footDelay = this.trackDelay[c] - p.delayMs[z]
            this.wo[c] = wrap(p.wavePhaseMs[z] - footDelay - shift, this.wp[c])
        }
        this.eNext = -1
    }

    /** Play time in ms at frame k. */
    playTimeMs(k: number): number {
        return (k - this.startFrame) * this.periodMs
    }

    /** Finds channel c's track piece for frame k. */
    seekTrack(c: number, k: number) {
        const p = this.pattern
        if (!p) return
        const run = p.tracks[c % ZONES_PER_FOOT]
        let x = this.playTimeMs(k) - this.trackDelay[c]
        if (run.repeats) x = wrap(x, run.span)
        this.tSeg[c] = this.seek(p.store, run, x, k, this.tSeg[c])
        this.ta[c] = this.pa
        this.tb[c] = this.pb
        this.tv[c] = this.pv
        this.td[c] = this.pd
        this.te[c] = this.pe
        this.tNext[c] = this.pNext
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
        if (last || d === 0) {
            this.pa = last ? v + d : v
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
     * each scaled by its entry. Same arithmetic as `valueAt`, inlined for speed.
     */
    render(k: number, weight: number, acc: number[], first: boolean, mask: number[]) {
        const ta = this.ta
        const tb = this.tb
        const te = this.te
        const tNext = this.tNext
        const wt = this.wt
        const kp = k * this.periodMs
        const n = this.channels
        for (let c = 0; c < n; c++) {
            let w = weight
            if (mask !== null) {
                if (mask[c] <= 0) {
                    if (first) acc[c] = 0
                    continue
                }
                w *= mask[c]
            }
            if (k >= tNext[c]) this.seekTrack(c, k)
            let v = ta[c] + tb[c] * k
            if (te[c] === 1) v = this.tv[c] + this.td[c] * v * v * (3 - 2 * v)
            const t = wt[c]
            if (t !== null) {
                const x = ((kp + this.wo[c]) % this.wp[c]) * this.ws[c]
                const i = x | 0
                v *= t[i] + (x - i) * (t[i + 1] - t[i])
            }
            if (first) acc[c] = v * w
            else acc[c] += v * w
        }
    }

    /** Value of channel c at frame k before envelope and gains: track times wave. */
    valueAt(c: number, k: number): number {
        if (k >= this.tNext[c]) this.seekTrack(c, k)
        let v = this.ta[c] + this.tb[c] * k
        if (this.te[c] === 1) v = this.tv[c] + this.td[c] * v * v * (3 - 2 * v)
        const t = this.wt[c]
        if (t !== null) {
            const x = ((k * this.periodMs + this.wo[c]) % this.wp[c]) * this.ws[c]
            const i = x | 0
            v *= t[i] + (x - i) * (t[i + 1] - t[i])
        }
        return v
    }
}
