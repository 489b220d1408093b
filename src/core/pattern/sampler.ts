import { wrap } from "../util/numbers"
import { SegmentRun, SegmentStore, ease } from "./segments"
import { cosTurn, shapeAt, sinTurn } from "./waves"
import { Bytes } from "../frame/wire"

/**
 * Writes one position's whole signal, track times wave, as bytes 0..255 into a row-major
 * table: out[r * stride + column] = signal at play time r * stepMs. It works in slices (`run`
 * takes a number of rows), because a pattern load must never hold the VM for more than one
 * slice (128K operations) and a row costs about 250.
 */
export class SignalSampler {
    /** Rows written so far. */
    row = 0
    private readonly sine: boolean
    private readonly hasWave: boolean
    private readonly base: number
    private c = 1
    private s = 0
    private cd = 1
    private sd = 0
    private seg = 0
    private x = 0
    private xw: number

    /**
     * @param run the keyframe track, or null for a constant 1
     * @param trackDelayMs the track's local time is play time minus this
     * @param wave [shape or "none", period ms, depth, duty]
     * @param wavePhaseMs the wave's local time at play time 0
     */
    constructor(
        readonly store: SegmentStore,
        readonly run: SegmentRun,
        trackDelayMs: number,
        readonly wave: any[],
        wavePhaseMs: number,
        readonly stepMs: number
    ) {
        const shape: string = wave[0]
        const period: number = wave[1]
        this.sine = shape === "sine"
        this.hasWave = shape !== "none"
        this.base = 1 - wave[2]
        this.xw = wavePhaseMs
        if (this.sine) {
            // (c, s) = (cos, sin) of the wave's angle, turned by one step per row
            this.c = cosTurn(wavePhaseMs / period)
            this.s = sinTurn(wavePhaseMs / period)
            this.cd = cosTurn(stepMs / period)
            this.sd = sinTurn(stepMs / period)
        }
        if (run) {
            this.seg = run.first
            this.x = wrap(-trackDelayMs, run.span)
        }
    }

    /**
     * Writes up to `count` more rows, until `rows`; returns true when all rows are written.
     * Row r goes to out[(r - rowBase) * stride + column] (out is the chunk holding row rowBase).
     */
    runRows(
        count: number,
        rows: number,
        out: Bytes,
        stride: number,
        column: number,
        rowBase: number
    ): boolean {
        const run = this.run
        const store = this.store
        const t = store.t
        const v0 = store.v
        const dv = store.d
        const eased = store.e
        const end = run ? run.first + run.count : 0
        const span = run ? run.span : 1
        const shape: string = this.wave[0]
        const periodMs: number = this.wave[1]
        const depth: number = this.wave[2]
        const duty: number = this.wave[3]
        const step = this.stepMs
        let i = this.seg
        let x = this.x
        let xw = this.xw
        let c = this.c
        let s = this.s
        let r = this.row
        const last = r + count < rows ? r + count : rows
        for (; r < last; r++) {
            let v = 1
            if (run) {
                while (i + 1 < end) {
                    if (t[i + 1] > x) break
                    i++
                }
                v = v0[i]
                const d = dv[i]
                if (d !== 0) {
                    let segEnd = span
                    if (i + 1 < end) segEnd = t[i + 1]
                    let u = (x - t[i]) / (segEnd - t[i])
                    if (eased[i] === 1) u = ease(u)
                    v += d * u
                }
                x += step
                if (x >= span) {
                    x -= span
                    i = run.first
                }
            }
            if (this.hasWave) {
                let w: number
                if (this.sine) {
                    w = (1 - c) / 2
                    const c1 = c * this.cd - s * this.sd
                    s = s * this.cd + c * this.sd
                    c = c1
                } else w = shapeAt(shape, xw / periodMs, duty)
                v *= this.base + depth * w
                xw += step
                while (xw >= periodMs) xw -= periodMs
            }
            let q = Math.floor(v * 255 + 0.5)
            if (q < 0) q = 0
            if (q > 255) q = 255
            out[(r - rowBase) * stride + column] = q
        }
        this.seg = i
        this.x = x
        this.xw = xw
        this.c = c
        this.s = s
        this.row = r
        return r >= rows
    }
}

/** u wrapped into [0, 1). */
