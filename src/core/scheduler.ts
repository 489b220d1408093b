import { SchedulerConfig } from "./config"
import { Frame } from "./frame"
import { HeaterSlicer, limitHeaters } from "./heaters"
import { MAX_FOCUS_GAIN, intensityGain } from "./intensity"
import { Layer } from "./layer"
import { filledArray } from "./numbers"
import { CompiledPattern } from "./pattern"
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
    /** True when the last frame's outputs differ from the frame before it. */
    changed = false

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
    /** Per channel: the blend of the layers at the frame being computed. */
    private readonly acc: number[]

    private state = STATE_IDLE
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
        this.acc = filledArray(n, 0)
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
        for (let c = 0; c < this.channels; c++) this.gain[c] = g * this.focus[c % ZONES_PER_FOOT]
    }

    private ramp(k: number, from: number, to: number, frames: number) {
        this.envFrom = from
        this.envTo = to
        this.envStart = k
        this.envFrames = frames
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
     * Computes frame k into `output` and returns it; `changed` tells whether it differs from the
     * previous frame. Frames must be asked in increasing k; k may skip ahead (a late loop skips
     * to the current frame, it does not replay).
     */
    frame(k: number): Frame {
        const out = this.output
        out.index = k
        const levels = out.levels
        const n = this.channels
        const e = this.envelopeAt(k)
        if (e <= 0 && this.state !== STATE_RUNNING) {
            if (this.state === STATE_STOPPING) this.state = STATE_IDLE
            else if (this.state === STATE_PAUSING) this.state = STATE_PAUSED
        }
        let changed = false
        if (this.state === STATE_IDLE || this.state === STATE_PAUSED) {
            for (let c = 0; c < n; c++)
                if (levels[c] !== 0) {
                    levels[c] = 0
                    changed = true
                }
            if (out.heaters !== 0 || out.heaterPower) changed = true
            out.heaters = 0
            out.heaterPower = false
            this.changed = changed
            return out
        }

        // per-frame scalars: crossfade weights with the pattern envelopes and the session ramp
        const B = this.base
        const F = this.fading
        let x = 1
        if (this.fadeActive) {
            x = (k - this.fadeStart) / this.fadeFrames
            if (x >= 1) {
                x = 1
                this.fadeActive = false
            } else if (x < 0) x = 0
        }
        const acc = this.acc
        B.render(k, x * B.envelopeAt(k) * e, acc, true, null)
        if (this.fadeActive) F.render(k, (1 - x) * F.envelopeAt(k) * e, acc, false, null)
        if (this.overlayOn)
            this.overlay.render(k, this.overlay.envelopeAt(k) * e, acc, false, this.overlayGain)

        // quantize (the blend times gain is 0..255, more with focus or an overlay: clipped) and slew
        const gain = this.gain
        const S = this.slewStep
        let sum = 0
        for (let c = 0; c < n; c++) {
            let q = (acc[c] * gain[c] + 0.5) | 0
            if (q > 255) q = 255
            else if (q < 0) q = 0
            const p = levels[c]
            if (q > p + S) q = p + S
            else if (q < p - S) q = p - S
            if (q !== p) {
                levels[c] = q
                changed = true
            }
            sum += q
        }

        // power: motors first (scaled down only if they alone exceed the budget), heaters fit the rest
        let motorMa = sum * this.motorMaPerStep
        if (motorMa > this.budget) {
            sum = this.fitMotors(sum)
            motorMa = sum * this.motorMaPerStep
            changed = true
        }
        let heaters = 0
        const heatOn = this.state === STATE_RUNNING && this.heaters.active
        if (heatOn) {
            heaters = this.heaters.maskAt(k)
            let allowed = Math.floor((this.budget - motorMa) / this.heaterMa)
            if (allowed > this.maxHeatersOn) allowed = this.maxHeatersOn
            if (this.heaters.countAt(k) > allowed) heaters = limitHeaters(heaters, allowed, n, k)
        }
        const power = heatOn
        if (heaters !== out.heaters || power !== out.heaterPower) changed = true
        out.heaters = heaters
        out.heaterPower = power
        this.changed = changed
        return out
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
