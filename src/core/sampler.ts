import { wrap } from "./numbers"
import { SegmentRun, SegmentStore } from "./segments"
import { cosTurn } from "./waves"
import { Bytes } from "./wire"

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
            this.s = cosTurn(wrapTurn(wavePhaseMs / period + 0.75))
            this.cd = cosTurn(stepMs / period)
            this.sd = cosTurn(wrapTurn(stepMs / period + 0.75))
        }
        if (run) {
            this.seg = run.first
            this.x = wrap(-trackDelayMs, run.span)
        }
    }

    /** Writes up to `count` more rows, until `rows`; returns true when all rows are written. */
    runRows(count: number, rows: number, out: Bytes, stride: number, column: number): boolean {
        const run = this.run
        const store = this.store
        const t = store.t
        const v0 = store.v
        const dv = store.d
        const ease = store.e
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
                while (i + 1 < end && t[i + 1] <= x) i++
                v = v0[i]
                const d = dv[i]
                if (d !== 0) {
                    const segEnd = i + 1 < end ? t[i + 1] : span
                    const u = (x - t[i]) / (segEnd - t[i])
                    v += d * (ease[i] === 1 ? u * u * (3 - 2 * u) : u)
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
                } else {
                    const u = xw / periodMs
                    if (shape === "triangle") w = u < 0.5 ? 2 * u : 2 - 2 * u
                    else if (shape === "square") w = u < 0.5 ? 1 : 0
                    else if (shape === "pulse") w = u < duty ? 1 : 0
                    else w = u
                }
                v *= this.base + depth * w
                xw += step
                while (xw >= periodMs) xw -= periodMs
            }
            const q = Math.floor(v * 255 + 0.5)
            out[r * stride + column] = q < 0 ? 0 : q > 255 ? 255 : q
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
function wrapTurn(u: number): number {
    return u >= 1 ? u - 1 : u
}
