import { SchedulerConfig } from "./config"
import { Frame } from "./frame"
import { HeaterSlicer, bitCount, limitHeaters } from "./heaters"
import { MAX_FOCUS_GAIN, intensityGain } from "./intensity"
import { Layer } from "./layer"
import { filledArray } from "./numbers"
import { CompiledPattern, ROW_WIDTH } from "./pattern"
import { ZONES_PER_FOOT } from "./zones"

/** Where a session stands. */
export const STATE_IDLE = 0
export const STATE_RUNNING = 1
export const STATE_PAUSING = 2
export const STATE_PAUSED = 3
export const STATE_STOPPING = 4

/**
 * The time-sliced frame scheduler: at frame k (t = k * period since the session began) it
 * turns the intent (pattern, intensity, focus, overlay, heater duties) into one Frame.
 *
 * Per frame: evaluate the base layer, the layer fading out during a crossfade and the overlay;
 * blend them; apply the pattern envelope, intensity, per-zone focus and the session's soft
 * start/stop ramp; quantize to 8 bits; limit the slew; fit motors and heaters to the power
 * budget; slice heater duties into on/off frames. Time is an argument: the scheduler reads no
 * clock, so tests drive hours of frames in seconds and the dashboard previews the same frames.
 * Nothing is allocated per frame: all state lives in arrays sized at construction.
 */
export class Scheduler {
    /** Output channels of each kind. */
    readonly channels: number
    /** Frame period in ms. */
    readonly periodMs: number
    /** The frame computed by the last call to `frame`, filled in place. */
    readonly output: Frame

    private base: Layer
    private fading: Layer
    private readonly overlay: Layer
    private fadeActive = false
    private fadeStart = 0
    private readonly fadeFrames: number
    /** Per channel: overlay gain (0 = the overlay does not touch the channel). */
    private readonly overlayGain: number[]
    private overlayOn = false

    private level = 3
    private fine = 1
    /** Per zone focus gain. */
    private readonly focus: number[]
    /** Per channel: intensity x fine x focus x 255, the factor from blend to 8-bit level. */
    private readonly gain: number[]
    private readonly scratch: number[]
    /** True when a frame may exceed 255 before clipping (focus above 1, or an overlay). */
    private mayClip = false
    /**
     * True when motors at full and the most heaters allowed can exceed the budget: only then
     * does a frame add up its current.
     */
    private readonly budgetTight: boolean
    /** Per channel: channel gain times overlay gain. */
    private readonly overlayGainFull: number[]

    /** True when every layer playing plays from its byte table (none renders a signal row). */
    private tablesOnly = true
    /** True when every layer playing is foot-symmetric (see Layer.mirror) on two feet. */
    private feetAlike = false
    /** True when the last frame left each right-foot level equal to its left-foot zone's. */
    private feetInStep = true

    private state = STATE_IDLE
    /** First frame after the session ramp: from it on, a running session's ramp is envTo. */
    private rampEnd = 0
    private envFrom = 0
    private envTo = 0
    private envStart = 0
    private envFrames = 1
    private pauseEnd = 0
    private readonly startFrames: number
    private readonly stopFrames: number
    private readonly slewStep: number

    /** Heater slicing. */
    readonly heaters: HeaterSlicer
    private readonly budget: number
    private readonly heaterMa: number
    private readonly motorMaPerStep: number
    private readonly maxHeatersOn: number

    /** @param config a configuration that passed `checkConfig` */
    constructor(readonly config: SchedulerConfig) {
        const n = config.feet * ZONES_PER_FOOT
        const P = config.framePeriodMs
        this.channels = n
        this.periodMs = P
        this.output = new Frame(n)
        this.base = new Layer(n, P)
        this.fading = new Layer(n, P)
        this.overlay = new Layer(n, P)
        this.overlayGain = filledArray(n, 0)
        this.focus = filledArray(ZONES_PER_FOOT, 1)
        this.gain = filledArray(n, 0)
        this.scratch = filledArray(n, 0)
        this.overlayGainFull = filledArray(n, 0)
        this.fadeFrames = Math.max(1, Math.ceil(config.crossfadeMs / P))
        this.startFrames = Math.max(1, Math.ceil(config.softStartMs / P))
        this.stopFrames = Math.max(1, Math.ceil(config.softStopMs / P))
        this.slewStep =
            config.slewFullScaleMs > 0 ? Math.max(1, Math.ceil((255 * P) / config.slewFullScaleMs)) : 255
        this.heaters = new HeaterSlicer(n, config.heaterWindowFrames, config.maxHeatersOn)
        this.budget = config.budgetMilliamps
        this.heaterMa = config.heaterMilliamps
        this.motorMaPerStep = config.motorMilliamps / 255
        this.maxHeatersOn = config.maxHeatersOn
        const heatersOn = config.maxHeatersOn < n ? config.maxHeatersOn : n
        this.budgetTight =
            n * config.motorMilliamps + heatersOn * config.heaterMilliamps > config.budgetMilliamps
        this.updateGains()
    }

    /** Current session state (STATE_*). */
    sessionState(): number {
        return this.state
    }

    /** The pattern playing, or null. */
    pattern(): CompiledPattern {
        return this.base.pattern
    }

    /** True once a pattern that does not loop has played to its end at frame k. */
    patternDone(k: number): boolean {
        return this.base.isDone(k)
    }

    // ---- intent ------------------------------------------------------------------------------

    /** Starts a session at frame k: the pattern starts from its beginning under a soft start. */
    start(k: number) {
        this.base.restartAt(k)
        this.fadeActive = false
        this.choosePath()
        this.state = STATE_RUNNING
        this.ramp(k, 0, 1, this.startFrames)
    }

    /** Pauses at frame k: a soft stop, then the pattern's time stands still until `resume`. */
    pause(k: number) {
        if (this.state !== STATE_RUNNING) return
        this.state = STATE_PAUSING
        this.ramp(k, this.envelopeAt(k), 0, this.stopFrames)
        this.pauseEnd = k + this.stopFrames
    }

    /** Resumes a paused session at frame k where its pattern left off, under a soft start. */
    resume(k: number) {
        if (this.state !== STATE_PAUSING && this.state !== STATE_PAUSED) return
        const from = this.envelopeAt(k)
        // the pattern was silent from pauseEnd on: shift its time by the silent frames
        const shift = k > this.pauseEnd ? k - this.pauseEnd : 0
        this.base.restartAt(this.base.startFrame + shift)
        if (this.fadeActive) this.fading.restartAt(this.fading.startFrame + shift)
        if (this.overlayOn) this.overlay.restartAt(this.overlay.startFrame + shift)
        this.fadeStart += shift
        this.state = STATE_RUNNING
        this.ramp(k, from, 1, this.startFrames)
    }

    /** Ends the session at frame k with a soft stop; heaters go off at once. */
    stop(k: number) {
        if (this.state === STATE_IDLE || this.state === STATE_STOPPING) return
        this.ramp(k, this.envelopeAt(k), 0, this.stopFrames)
        this.state = STATE_STOPPING
    }

    /**
     * Plays a pattern from frame k. During a session the change is a crossfade; a change that
     * arrives during a crossfade fades from a snapshot of the blend at frame k, so no frame jumps.
     */
    setPattern(pattern: CompiledPattern, k: number) {
        if (this.state === STATE_IDLE) {
            this.base.play(pattern, k)
            this.fadeActive = false
            this.updateGains()
            return
        }
        if (this.fadeActive && k < this.fadeStart + this.fadeFrames) {
            const snapshot = this.scratch
            for (let c = 0; c < this.channels; c++) snapshot[c] = this.blendAt(c, k)
            this.fading.freeze(snapshot, 0)
        } else {
            const old = this.fading
            this.fading = this.base
            this.base = old
        }
        this.base.play(pattern, k)
        this.fadeActive = true
        this.fadeStart = k
        this.updateGains()
    }

    /**
     * Adds an overlay from frame k (e.g. a focus pulse on a sore zone): its levels add to the
     * base, scaled by `gain` (0..1), on the zones in `zoneMask` (bit z = zone z, both feet).
     * A null pattern removes the overlay.
     */
    setOverlay(pattern: CompiledPattern, zoneMask: number, gain: number, k: number) {
        const g = gain > 0 ? (gain < 1 ? gain : 1) : 0
        this.overlayOn = !!pattern && g > 0 && (zoneMask & 15) !== 0
        this.overlay.play(this.overlayOn ? pattern : null, k)
        for (let c = 0; c < this.channels; c++) {
            const z = c % ZONES_PER_FOOT
            this.overlayGain[c] = this.overlayOn && zoneMask & (1 << z) ? g : 0
        }
        this.updateGains()
    }

    /** Sets the intensity: level 1..5 and a fine trim 0..100 %. Out-of-range values are clamped. */
    setIntensity(level: number, finePercent: number) {
        this.level = level
        const f = finePercent / 100
        this.fine = f > 0 ? (f < 1 ? f : 1) : 0
        this.updateGains()
    }

    /** Sets a zone's focus gain: 0 = none, 1 = as the pattern says, up to 2 on a sore zone. */
    setFocus(zone: number, gain: number) {
        if (!(zone >= 0 && zone < ZONES_PER_FOOT)) return
        this.focus[Math.floor(zone)] = gain > 0 ? (gain < MAX_FOCUS_GAIN ? gain : MAX_FOCUS_GAIN) : 0
        this.updateGains()
    }

    /** Sets heater c's duty 0..1 (from heat control); it is sliced into frames from the next window. */
    setHeaterDuty(c: number, duty: number) {
        this.heaters.setDuty(c, duty)
    }

    private updateGains() {
        const g = intensityGain(this.level) * this.fine * 255
        for (let c = 0; c < this.channels; c++) {
            this.gain[c] = g * this.focus[c % ZONES_PER_FOOT]
            this.overlayGainFull[c] = this.gain[c] * this.overlayGain[c]
        }
        this.base.setGains(this.gain)
        this.fading.setGains(this.gain)
        this.overlay.setGains(this.overlayGainFull)
        // levels, tables, envelopes and ramps are all within 0..1 and a crossfade's weights sum
        // to 1, so a frame can exceed 255 only through a gain above 255 or an overlay on top
        let most = 0
        for (let c = 0; c < this.channels; c++) {
            const g = this.gain[c] + (this.overlayOn ? this.overlayGainFull[c] : 0)
            if (g > most) most = g
        }
        this.mayClip = most > 255.5
        this.choosePath()
    }

    private ramp(k: number, from: number, to: number, frames: number) {
        this.envFrom = from
        this.envTo = to
        this.envStart = k
        this.envFrames = frames
        this.rampEnd = k + frames
    }

    /** The session's soft start/stop factor at frame k. */
    private envelopeAt(k: number): number {
        const d = k - this.envStart
        if (d >= this.envFrames) return this.envTo
        if (d <= 0) return this.envFrom
        return this.envFrom + ((this.envTo - this.envFrom) * d) / this.envFrames
    }

    /** Channel c's blend at frame k, before intensity and the session ramp (for snapshots). */
    private blendAt(c: number, k: number): number {
        const x = this.fadeProgress(k)
        let v = this.base.valueAt(c, k) * this.base.envelopeAt(k) * x
        if (x < 1) v += this.fading.valueAt(c, k) * this.fading.envelopeAt(k) * (1 - x)
        return v
    }

    private fadeProgress(k: number): number {
        if (!this.fadeActive) return 1
        const x = (k - this.fadeStart) / this.fadeFrames
        return x < 1 ? (x > 0 ? x : 0) : 1
    }

    // ---- the frame path --------------------------------------------------------------------

    /**
     * Computes frame k into `output` and returns it. Frames must be asked in increasing k; k may
     * skip ahead (a late loop skips to the current frame, it does not replay). Which frames are
     * sent (only changes, in batches) is the port's FrameBatcher's business.
     */
    frame(k: number): Frame {
        const out = this.output
        out.index = k
        const levels = out.levels
        const n = this.channels
        // the session ramp: constant while running past it, the common case
        let e = this.envTo
        const state = this.state
        if (state !== STATE_RUNNING || k < this.rampEnd) {
            e = this.envelopeAt(k)
            if (e <= 0 && this.state !== STATE_RUNNING) {
                if (this.state === STATE_STOPPING) this.state = STATE_IDLE
                else if (this.state === STATE_PAUSING) this.state = STATE_PAUSED
            }
            if (this.state === STATE_IDLE || this.state === STATE_PAUSED) {
                for (let c = 0; c < n; c++) levels[c] = 0
                out.heaters = 0
                out.heaterPower = false
                this.feetInStep = true
                return out
            }
        }

        // Per frame: each layer's weight (crossfade share x envelope x session ramp) and table
        // index. Then per channel, inline (a call costs as much as a channel's whole evaluation
        // in the VM): each layer's value as in Layer.valueAt, blended, quantized, slewed.
        let x = 1
        let fadeOn = this.fadeActive
        if (fadeOn) {
            x = (k - this.fadeStart) / this.fadeFrames
            if (x >= 1) {
                x = 1
                fadeOn = false
                this.fadeActive = false
                this.choosePath()
            } else if (x < 0) x = 0
        }
        const ovOn = this.overlayOn
        const B = this.base
        const F = this.fading
        const O = this.overlay
        // each layer's weight, and where it is in its tables (k - periodStart; Layer.seekPeriod
        // once k leaves the period): entry i (then the channel's offset), fraction f towards
        // the next entry
        const wB = x * (B.flat ? 1 : k < B.eNext ? B.ea + B.eb * k : B.envelopeAt(k)) * e
        let mB = k - B.periodStart
        if (mB >= B.tableFrames || mB < 0) mB = B.seekPeriod(k)
        const dB = B.sampleFrames
        let iB = 0
        let fB = 0
        if (dB === 1) iB = mB
        else if (dB !== 0) {
            iB = (mB / dB) | 0
            fB = (mB - iB * dB) / dB
        }
        let wF = 0
        let iF = 0
        let fF = 0
        if (fadeOn) {
            wF = (1 - x) * (F.flat ? 1 : k < F.eNext ? F.ea + F.eb * k : F.envelopeAt(k)) * e
            let mF = k - F.periodStart
            if (mF >= F.tableFrames || mF < 0) mF = F.seekPeriod(k)
            const dF = F.sampleFrames
            if (dF === 1) iF = mF
            else if (dF !== 0) {
                iF = (mF / dF) | 0
                fF = (mF - iF * dF) / dF
            }
        }
        let wO = 0
        let iO = 0
        let fO = 0
        if (ovOn) {
            wO = (O.flat ? 1 : k < O.eNext ? O.ea + O.eb * k : O.envelopeAt(k)) * e
            let mO = k - O.periodStart
            if (mO >= O.tableFrames || mO < 0) mO = O.seekPeriod(k)
            const dO = O.sampleFrames
            if (dO === 1) iO = mO
            else if (dO !== 0) {
                iO = (mO / dO) | 0
                fO = (mO - iO * dO) / dO
            }
        }
        const S = this.slewStep
        const mayClip = this.mayClip
        const tight = this.budgetTight
        let sum = 0
        // When both feet play alike and stand alike, one foot is computed and copied to the other.
        const inStep = this.feetInStep
        const mirror = this.feetAlike && (inStep || this.feetLevelsEqual())
        if (mirror !== inStep) this.feetInStep = mirror
        const cn = mirror ? ZONES_PER_FOOT : n
        // what the channel loop reads, in locals (a field read costs a name lookup): each
        // layer's table, or the signal row a layer that does not fit a table renders for frame k
        const tables = this.tablesOnly
        let bT = B.frames
        let bo = iB * ROW_WIDTH
        if (!tables && !B.simple) {
            bT = B.renderSignal(k, iB)
            bo = 0
        }
        const blg = B.lg
        const bo2 = bo + ROW_WIDTH
        const bLerp = fB > 0
        const bA = wB * (1 - fB)
        const bB = wB * fB
        let fT = F.frames
        let fo = iF * ROW_WIDTH
        if (!tables && fadeOn && !F.simple) {
            fT = F.renderSignal(k, iF)
            fo = 0
        }
        const flg = F.lg
        const fo2 = fo + ROW_WIDTH
        const fLerp = fF > 0
        const fA = wF * (1 - fF)
        const fB2 = wF * fF
        let oT = O.frames
        let oo = iO * ROW_WIDTH
        if (!tables && ovOn && !O.simple) {
            oT = O.renderSignal(k, iO)
            oo = 0
        }
        const olg = O.lg
        const oo2 = oo + ROW_WIDTH
        const oLerp = fO > 0
        const oA = wO * (1 - fO)
        const oB = wO * fO
        for (let c = 0; c < cn; c++) {
            // each layer: its table entry times the channel's level and gain and the layer's
            // weight; between two sampled rows, both rows with their shares of the weight
            // (if/else rather than ?: here: the VM compiles ?: through a temporary)
            let m: number
            if (bLerp) m = (bT[bo + c] * bA + bT[bo2 + c] * bB) * blg[c]
            else m = bT[bo + c] * blg[c] * wB
            if (fadeOn) {
                if (fLerp) m += (fT[fo + c] * fA + fT[fo2 + c] * fB2) * flg[c]
                else m += fT[fo + c] * flg[c] * wF
            }
            if (ovOn) {
                // the overlay, on its zones only (its gain is 0 elsewhere)
                const g = olg[c]
                if (g > 0) {
                    if (oLerp) m += (oT[oo + c] * oA + oT[oo2 + c] * oB) * g
                    else m += oT[oo + c] * g * wO
                }
            }
            // m is the 8-bit level, >= 0; above 255 only with focus or an overlay (mayClip)
            let q = (m + 0.5) | 0
            const p = levels[c]
            if (q > p + S) q = p + S
            else if (q < p - S) q = p - S
            if (mayClip) {
                if (q > 255) q = 255
            }
            levels[c] = q
            if (mirror) levels[c + ZONES_PER_FOOT] = q
            if (tight) sum += q
        }
        if (mirror) sum += sum

        // power: motors first (scaled down only if they alone exceed the budget), heaters fit the rest
        let motorMa = 0
        if (tight) {
            motorMa = sum * this.motorMaPerStep
            if (motorMa > this.budget) {
                sum = this.fitMotors(sum)
                motorMa = sum * this.motorMaPerStep
            }
        }
        let heaters = 0
        const hs = this.heaters
        // (the state is as read on entry: it changes only on the way to an idle return)
        const heatOn = hs.active && state === STATE_RUNNING
        if (heatOn) {
            // the slicer's plan never has more than maxHeatersOn on; only a tight budget cuts more
            const j = k - hs.planWindow
            heaters = j >= 0 && j < hs.windowFrames ? hs.plan[j] : hs.maskAt(k)
            if (tight) {
                let allowed = Math.floor((this.budget - motorMa) / this.heaterMa)
                if (allowed > this.maxHeatersOn) allowed = this.maxHeatersOn
                if (bitCount(heaters) > allowed) heaters = limitHeaters(heaters, allowed, n, k)
            }
        }
        out.heaters = heaters
        out.heaterPower = heatOn
        return out
    }

    /** True when each right-foot level equals its left-foot zone's. */
    private feetLevelsEqual(): boolean {
        const levels = this.output.levels
        for (let c = 0; c < ZONES_PER_FOOT; c++) if (levels[c] !== levels[c + ZONES_PER_FOOT]) return false
        return true
    }

    /** Picks the frame path for the layers now playing (after any change of layers). */
    private choosePath() {
        const B = this.base
        const F = this.fading
        const O = this.overlay
        const fade = this.fadeActive
        const ov = this.overlayOn
        this.tablesOnly = B.simple && (!fade || F.simple) && (!ov || O.simple)
        this.feetAlike =
            this.channels === 2 * ZONES_PER_FOOT && B.mirror && (!fade || F.mirror) && (!ov || O.mirror)
    }

    /** Scales every level down so that the motors draw no more than the budget; returns the new sum. */
    private fitMotors(sum: number): number {
        const levels = this.output.levels
        const maxSum = Math.floor(this.budget / this.motorMaPerStep)
        const scale = maxSum / sum
        let newSum = 0
        for (let c = 0; c < this.channels; c++) {
            const q = Math.floor(levels[c] * scale)
            levels[c] = q
            newSum += q
        }
        return newSum
    }

    /** Milliamps the outputs of a frame draw, by the configured currents. */
    frameMilliamps(f: Frame): number {
        let sum = 0
        for (let c = 0; c < this.channels; c++) sum += f.levels[c]
        let heaters = 0
        for (let c = 0; c < this.channels; c++) if (f.heaters & (1 << c)) heaters++
        return sum * this.motorMaPerStep + heaters * this.heaterMa
    }
}
