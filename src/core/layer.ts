import { filledArray, wrap } from "./numbers"
import { CompiledPattern } from "./pattern"
import { SegmentRun, SegmentStore, findSegment } from "./segments"
import { ZONES_PER_FOOT } from "./zones"

/** A frame index later than any session reaches: "no boundary ahead". */
export const NEVER = 1e15

/**
 * One playing instance of a pattern: the base pattern, the one fading out, or an overlay.
 *
 * The frame path must not redo work that only changes at segment boundaries, so for every
 * channel the layer keeps the line it is on, expressed directly in the frame index k:
 * track value = ta + tb * k until frame tNext, wave factor = wa + wb * k until frame wNext.
 * A frame costs a comparison and a multiply-add per channel; only when k reaches a boundary
 * does `seekTrack`/`seekWave` find the next segment. The coefficients are computed from the
 * frame where the segment was first entered, not from the frame that happened to ask, so a
 * channel's value at frame k is a pure function of k: a fresh layer asked for frame k, a layer
 * that played every frame up to k, and one that skipped frames all agree to the bit.
 */
export class Layer {
    /** The pattern playing, or null (silent). */
    pattern: CompiledPattern = null
    /** Frame at which play time is 0. */
    startFrame = 0
    /** Per channel: track line value = ta + tb * k, valid while k < tNext. */
    readonly ta: number[]
    readonly tb: number[]
    readonly tNext: number[]
    /** Per channel: wave factor = wa + wb * k, valid while k < wNext. */
    readonly wa: number[]
    readonly wb: number[]
    readonly wNext: number[]
    /** Per channel: segment hints, to make the next seek short. */
    private readonly tSeg: number[]
    private readonly wSeg: number[]
    /** Per channel: track delay and wave offset in ms (zone delay, foot offset). */
    private readonly trackDelay: number[]
    private readonly waveOffset: number[]
    /** Envelope line, scalar for the whole layer. */
    private ea = 1
    private eb = 0
    private eNext = NEVER
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
        this.tNext = filledArray(channels, NEVER)
        this.wa = filledArray(channels, 1)
        this.wb = filledArray(channels, 0)
        this.wNext = filledArray(channels, NEVER)
        this.tSeg = filledArray(channels, 0)
        this.wSeg = filledArray(channels, 0)
        this.trackDelay = filledArray(channels, 0)
        this.waveOffset = filledArray(channels, 0)
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
            const foot = (c - z) / ZONES_PER_FOOT
            const footDelay = foot * pattern.footOffsetMs
            this.trackDelay[c] = pattern.delayMs[z] + footDelay
            const w = pattern.waves[z]
            this.waveOffset[c] = w ? wrap(pattern.wavePhaseMs[z] - footDelay, w.span) : 0
            this.tSeg[c] = pattern.tracks[z].first
            this.wSeg[c] = w ? w.first : 0
        }
        this.eSeg = pattern.envelope ? pattern.envelope.first : 0
        this.invalidate()
    }

    /** Moves play time: the frame at which play time is 0 becomes `startFrame` (pause/resume). */
    restartAt(startFrame: number) {
        this.startFrame = startFrame
        this.invalidate()
    }

    /** Freezes every channel at a constant value (a snapshot to crossfade from). */
    freeze(values: number[]) {
        this.pattern = null
        for (let c = 0; c < this.channels; c++) {
            this.ta[c] = values[c]
            this.tb[c] = 0
            this.tNext[c] = NEVER
            this.wa[c] = 1
            this.wb[c] = 0
            this.wNext[c] = NEVER
        }
        this.ea = 1
        this.eb = 0
        this.eNext = NEVER
    }

    private holdConstant(v: number) {
        for (let c = 0; c < this.channels; c++) this.ta[c] = v
        this.freeze(this.ta)
    }

    /** Forces every channel to seek on its next frame. */
    private invalidate() {
        for (let c = 0; c < this.channels; c++) {
            this.tNext[c] = -1
            this.wNext[c] = -1
        }
        this.eNext = -1
    }

    /** Play time in ms at frame k. */
    playTimeMs(k: number): number {
        return (k - this.startFrame) * this.periodMs
    }

    /** Finds channel c's track line for frame k. */
    seekTrack(c: number, k: number) {
        const p = this.pattern
        if (!p) return
        const run = p.tracks[c % ZONES_PER_FOOT]
        let x = this.playTimeMs(k) - this.trackDelay[c]
        if (run.repeats) x = wrap(x, run.span)
        this.tSeg[c] = this.seek(p.store, run, x, k, this.tSeg[c])
        this.ta[c] = this.lineA
        this.tb[c] = this.lineB
        this.tNext[c] = this.lineNext
    }

    /** Finds channel c's wave line for frame k. */
    seekWave(c: number, k: number) {
        const p = this.pattern
        const run = p ? p.waves[c % ZONES_PER_FOOT] : null
        if (!run) {
            this.wa[c] = 1
            this.wb[c] = 0
            this.wNext[c] = NEVER
            return
        }
        const x = wrap(this.playTimeMs(k) + this.waveOffset[c], run.span)
        this.wSeg[c] = this.seek(p.store, run, x, k, this.wSeg[c])
        this.wa[c] = this.lineA
        this.wb[c] = this.lineB
        this.wNext[c] = this.lineNext
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
                this.ea = this.lineA
                this.eb = this.lineB
                this.eNext = this.lineNext
            }
        }
        return this.ea + this.eb * k
    }

    /** True once a pattern that does not loop has played to its end. */
    isDone(k: number): boolean {
        const p = this.pattern
        return !!p && !p.loop && this.playTimeMs(k) >= p.durationMs
    }

    /** Output of `seek`: the line value = lineA + lineB * k, valid while k < lineNext. */
    private lineA = 0
    private lineB = 0
    private lineNext = 0

    /**
     * Finds the segment of `run` holding local time x (the local time at frame k) and sets
     * lineA/lineB/lineNext to the line through it in terms of the frame index.
     * @returns the segment index, the hint for the next seek
     */
    private seek(store: SegmentStore, run: SegmentRun, x: number, k: number, hint: number): number {
        const P = this.periodMs
        if (x < 0) {
            // before a delayed, non-repeating track starts: hold its first value
            this.lineA = store.valueAt(run.first, 0)
            this.lineB = 0
            this.lineNext = k + Math.ceil(-x / P)
            return run.first
        }
        const seg = findSegment(store, run, x, hint)
        const segStart = store.t[seg]
        const last = seg + 1 >= run.first + run.count
        const segEnd = !last ? store.t[seg + 1] : run.repeats ? run.span : -1
        // the first frame of this pass that fell in the segment, and its local time
        const d = Math.floor((x - segStart) / P)
        const k0 = k - d
        const x0 = x - d * P
        const slope = store.b[seg]
        const perFrame = slope * P
        this.lineA = store.a[seg] + slope * x0 - perFrame * k0
        this.lineB = perFrame
        this.lineNext = segEnd < 0 ? NEVER : k0 + Math.ceil((segEnd - x0) / P)
        return seg
    }

    /** Value of channel c at frame k before envelope and gains: track times wave. */
    valueAt(c: number, k: number): number {
        if (k >= this.tNext[c]) this.seekTrack(c, k)
        if (k >= this.wNext[c]) this.seekWave(c, k)
        return (this.ta[c] + this.tb[c] * k) * (this.wa[c] + this.wb[c] * k)
    }
}
