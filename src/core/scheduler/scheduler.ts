import { SchedulerConfig, checkConfig } from "./config"
import { Frame } from "../frame/frame"
import { HeaterSlicer, bitCount, limitHeaters } from "./heaters"
import { MAX_FOCUS_GAIN, intensityGain } from "./intensity"
import { Layer } from "./layer"
import { filledArray } from "../util/numbers"
import { CompiledPattern, ROW_WIDTH } from "../pattern/loader"
import { ZONES_PER_FOOT } from "../util/zones"

/** Where a session stands. */
export const STATE_IDLE = 0
export const STATE_RUNNING = 1
export const STATE_PAUSING = 2
export const STATE_PAUSED = 3
export const STATE_STOPPING = 4

/** A scheduler, or why its config was refused. */
export class SchedulerResult {
    constructor(
        readonly scheduler: Scheduler,
        readonly error: string
    ) {}
}

/** Makes a scheduler for a config; never throws: a bad config gives `error` naming the field. */
export function createScheduler(config: SchedulerConfig): SchedulerResult {
    const error = checkConfig(config)
    if (error) return new SchedulerResult(null, error)
    return new SchedulerResult(new Scheduler(config), null)
}

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
    // The fields the frame path reads come first: the VM looks a field up by name, in the order
    // the fields were created, so an early field is a little cheaper to read.

    /** The frame computed by the last call to `frame`, filled in place. */
    readonly output: Frame
    private state = STATE_IDLE
    /** The session ramp (soft start or stop): from rampFrom at rampStart to rampTo at rampEnd. */
    private rampTo = 0
    private rampEnd = 0
    private rampFrom = 0
    private rampStart = 0
    private rampFrames = 1
    private fadeActive = false
    private fadeStart = 0
    private readonly fadeFrames: number
    private overlayOn = false
    /** True when every layer playing plays from its byte table (none renders a signal row). */
    private tablesOnly = true
    private base: Layer
    private fading: Layer
    private readonly overlay: Layer
    private readonly slewStep: number
    /** True when a frame may exceed 255 before clipping (focus above 1, or an overlay). */
    private mayClip = false
    /**
     * True when motors at full and the most heaters allowed can exceed the budget: only then
     * does a frame add up its current.
     */
    private readonly budgetTight: boolean
    /** Per channel: the level before the slew limit, under a tight budget (see fitToBudget). */
    private readonly targets: number[]
    /** True when the last frame left each right-foot level equal to its left-foot zone's. */
    private feetInStep = true
    /** True when every layer playing is foot-symmetric (see Layer.mirror) on two feet. */
    private feetAlike = false
    /** Output channels of each kind. */
    readonly channels: number
    /** Heater slicing. */
    readonly heaters: HeaterSlicer
    private readonly motorMaPerStep: number

    /** Frame period in ms. */
    readonly periodMs: number
    /** The fixed settings. */
    readonly config: SchedulerConfig
    /** Per channel: overlay gain (0 = the overlay does not touch the channel). */
    private readonly overlayGain: number[]
    private level = 3
    private fine = 1
    /** Per zone focus gain. */
    private readonly focus: number[]
    /** Per channel: intensity x fine x focus x 255, the factor from blend to 8-bit level. */
    private readonly gain: number[]
    /** Per channel: channel gain times overlay gain. */
    private readonly overlayGainFull: number[]
    private readonly scratch: number[]
    private pauseEnd = 0
    /** A pattern and an overlay asked for while paused: they play from resume. */
    private patternPending = false
    private pendingPattern: CompiledPattern = null
    private overlayPending = false
    private pendingOverlay: CompiledPattern = null
    private pendingOverlayMask = 0
    private pendingOverlayGain = 0
    private readonly startFrames: number
    private readonly stopFrames: number
    private readonly budget: number
    private readonly heaterMa: number
    private readonly maxHeatersOn: number

    /**
     * @param config the fixed settings; a config that `checkConfig` refuses throws an Error
     *   with its message (see `createScheduler` for a form that never throws)
     */
    constructor(config: SchedulerConfig) {
        const error = checkConfig(config)
        if (error) throw new Error(error)
        const n = config.feet * ZONES_PER_FOOT
        const P = config.framePeriodMs
        this.output = new Frame(n)
        this.fadeFrames = Math.max(1, Math.ceil(config.crossfadeMs / P))
        this.base = new Layer(n, P)
        this.fading = new Layer(n, P)
        this.overlay = new Layer(n, P)
        this.slewStep =
            config.slewFullScaleMs > 0 ? Math.max(1, Math.ceil((255 * P) / config.slewFullScaleMs)) : 255
        const heatersOn = config.maxHeatersOn < n ? config.maxHeatersOn : n
        this.budgetTight =
            n * config.motorMilliamps + heatersOn * config.heaterMilliamps > config.budgetMilliamps
        this.targets = filledArray(n, 0)
        this.channels = n
        this.heaters = new HeaterSlicer(n, config.heaterWindowFrames, config.maxHeatersOn)
        this.motorMaPerStep = config.motorMilliamps / 255
        this.periodMs = P
        this.config = config
        this.overlayGain = filledArray(n, 0)
        this.focus = filledArray(ZONES_PER_FOOT, 1)
        this.gain = filledArray(n, 0)
        this.overlayGainFull = filledArray(n, 0)
        this.scratch = filledArray(n, 0)
        this.startFrames = Math.max(1, Math.ceil(config.softStartMs / P))
        this.stopFrames = Math.max(1, Math.ceil(config.softStopMs / P))
        this.budget = config.budgetMilliamps
        this.heaterMa = config.heaterMilliamps
        this.maxHeatersOn = config.maxHeatersOn
        this.updateGains()
    }

    /** Current session state (STATE_*). */
    sessionState(): number {
        return this.state
    }

    /** The pattern playing, or null. */
    pattern(): CompiledPattern {
        return this.patternPending ? this.pendingPattern : this.base.pattern
    }

    /** True once a pattern that does not loop has played to its end at frame k. */
    patternDone(k: number): boolean {
        return this.base.isDone(k)
    }

    // ---- intent ------------------------------------------------------------------------------

    /** Starts a session at frame k: the pattern starts from its beginning under a soft start. */
    start(k: number) {
        this.applyPending(k, false)
        this.base.restartAt(k)
        this.heaters.restartAt(k)
        this.endFade()
        this.choosePath()
        this.state = STATE_RUNNING
        this.setRamp(k, 0, 1, this.startFrames)
    }

    /** Pauses at frame k: a soft stop, then the pattern's time stands still until `resume`. */
    pause(k: number) {
        if (this.state !== STATE_RUNNING) return
        this.state = STATE_PAUSING
        this.setRamp(k, this.rampAt(k), 0, this.stopFrames)
        this.pauseEnd = k + this.stopFrames
    }

    /** Resumes a paused session at frame k where its pattern left off, under a soft start. */
    resume(k: number) {
        if (this.state !== STATE_PAUSING && this.state !== STATE_PAUSED) return
        const from = this.rampAt(k)
        // the pattern was silent from pauseEnd on: shift its time by the silent frames
        const shift = k > this.pauseEnd ? k - this.pauseEnd : 0
        this.base.restartAt(this.base.startFrame + shift)
        if (this.fadeActive) this.fading.restartAt(this.fading.startFrame + shift)
        if (this.overlayOn) this.overlay.restartAt(this.overlay.startFrame + shift)
        this.fadeStart += shift
        this.heaters.restartAt(k)
        this.state = STATE_RUNNING
        // what was asked while the session was silent plays from now, as asked now
        this.applyPending(k, true)
        this.setRamp(k, from, 1, this.startFrames)
    }

    /** Ends the session at frame k with a soft stop; heaters go off at once. */
    stop(k: number) {
        if (this.state === STATE_IDLE || this.state === STATE_STOPPING) return
        this.applyPending(k, false)
        this.setRamp(k, this.rampAt(k), 0, this.stopFrames)
        this.state = STATE_STOPPING
    }

    /**
     * Plays a pattern from frame k. During a session the change is a crossfade; a change that
     * arrives during a crossfade fades from a snapshot of the blend at frame k, so no frame jumps.
     */
    setPattern(pattern: CompiledPattern, k: number) {
        if (this.silentAt(k)) {
            // paused: the pattern's time stands still, so the change waits for resume
            this.pendingPattern = pattern
            this.patternPending = true
            return
        }
        if (this.state === STATE_IDLE) {
            this.base.play(pattern, k)
            this.endFade()
            this.updateGains()
            return
        }
        if (this.fadeActive && k < this.fadeStart + this.fadeFrames) {
            this.fading.freeze(this.blendAt(k), 0)
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
        if (this.silentAt(k)) {
            this.pendingOverlay = pattern
            this.pendingOverlayMask = zoneMask
            this.pendingOverlayGain = gain
            this.overlayPending = true
            return
        }
        this.playOverlay(pattern, zoneMask, gain, k)
    }

    private playOverlay(pattern: CompiledPattern, zoneMask: number, gain: number, k: number) {
        const g = gain > 0 ? (gain < 1 ? gain : 1) : 0
        this.overlayOn = !!pattern && g > 0 && (zoneMask & 15) !== 0
        this.overlay.play(this.overlayOn ? pattern : null, k)
        for (let c = 0; c < this.channels; c++) {
            const z = c % ZONES_PER_FOOT
            this.overlayGain[c] = this.overlayOn && zoneMask & (1 << z) ? g : 0
        }
        this.updateGains()
    }

    /**
     * Sets the intensity from frame k: level 1..5 and a fine trim 0..100 %. Out-of-range values
     * are clamped.
     */
    setIntensity(level: number, finePercent: number, k: number) {
        this.level = level
        const f = finePercent / 100
        this.fine = f > 0 ? (f < 1 ? f : 1) : 0
        this.updateGains()
    }

    /** Sets a zone's focus gain from frame k: 0 = none, 1 = as the pattern says, up to 2 on a sore zone. */
    setFocus(zone: number, gain: number, k: number) {
        if (!(zone >= 0 && zone < ZONES_PER_FOOT)) return
        this.focus[Math.floor(zone)] = gain > 0 ? (gain < MAX_FOCUS_GAIN ? gain : MAX_FOCUS_GAIN) : 0
        this.updateGains()
    }

    /**
     * Sets heater c's duty 0..1 (from heat control) at frame k; it is sliced into frames from
     * the next heater window (or the session's first). Heat control may leave k out: a duty
     * waits for a window start whatever the frame.
     */
    setHeaterDuty(c: number, duty: number, k?: number) {
        this.heaters.setDuty(c, duty)
    }

    /** True when the session is silent at frame k: paused, or pausing and past its soft stop. */
    private silentAt(k: number): boolean {
        return this.state === STATE_PAUSED || (this.state === STATE_PAUSING && k >= this.pauseEnd)
    }

    /** Plays what was asked while paused: as a crossfade (`fade`) or at once (start, stop). */
    private applyPending(k: number, fade: boolean) {
        if (this.patternPending) {
            this.patternPending = false
            if (fade) this.setPattern(this.pendingPattern, k)
            else {
                this.base.play(this.pendingPattern, k)
                this.endFade()
                this.updateGains()
            }
            this.pendingPattern = null
        }
        if (this.overlayPending) {
            this.overlayPending = false
            this.playOverlay(this.pendingOverlay, this.pendingOverlayMask, this.pendingOverlayGain, k)
            this.pendingOverlay = null
        }
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

    /** Starts the session ramp at frame k: from `from` to `to` over `frames` frames. */
    private setRamp(k: number, from: number, to: number, frames: number) {
        this.rampFrom = from
        this.rampTo = to
        this.rampStart = k
        this.rampFrames = frames
        this.rampEnd = k + frames
    }

    /** The session's soft start/stop factor at frame k. */
    private rampAt(k: number): number {
        const d = k - this.rampStart
        if (d >= this.rampFrames) return this.rampTo
        if (d <= 0) return this.rampFrom
        return this.rampFrom + ((this.rampTo - this.rampFrom) * d) / this.rampFrames
    }

    /**
     * Every channel's blend at frame k during a crossfade, before intensity and the session
     * ramp, into `scratch` (the snapshot a change during a crossfade fades from).
     */
    private blendAt(k: number): number[] {
        let x = (k - this.fadeStart) / this.fadeFrames
        x = x < 1 ? (x > 0 ? x : 0) : 1
        const B = this.base
        const F = this.fading
        const blend = this.scratch
        for (let c = 0; c < this.channels; c++) {
            let v = B.valueAt(c, k) * B.envelopeAt(k) * x
            if (x < 1) v += F.valueAt(c, k) * F.envelopeAt(k) * (1 - x)
            blend[c] = v
        }
        return blend
    }

    // ---- the frame path --------------------------------------------------------------------

    /**
     * Computes frame k into `output` and returns it. Frames must be asked in increasing k; k may
     * skip ahead (a late loop skips to the current frame, it does not replay). Which frames are
     * sent (only changes, in batches) is the port's FrameBatcher's business.
     *
     * The stages, in order (docs/frame-path.md):
     * 1. the session ramp (soft start/stop) and the session state;
     * 2. the crossfade: the base layer's share, the layer fading out has the rest;
     * 3. layer values: each layer's weight (crossfade share x envelope x ramp) and where frame k
     *    is in its table; a layer that does not fit a table renders its signal row first;
     * 4. per channel: the layers blended (intensity, fine and focus are in the layers' gains),
     *    rounded to 8 bits, clipped, slew-limited;
     * 5. the power budget (only when it can be exceeded): motors first, then
     * 6. the heaters: the slicer's plan for frame k, cut to what the budget leaves.
     * Stages 3 and 4 run inline in this method and the rare cases of every stage (ramping,
     * a crossfade ending, a period or envelope boundary, a tight budget) are methods: a call
     * costs about 2 us in the VM, a tenth of a frame (see the VM blocks below).
     */
    frame(k: number): Frame {
        const out = this.output
        out.index = k

        // 1. the session ramp: constant while running past the soft start, the common case
        let ramp = this.rampTo
        if (this.state !== STATE_RUNNING || k < this.rampEnd) {
            ramp = this.sessionRampAt(k)
            if (ramp < 0) return out
        }

        // 2. the crossfade
        let share = 1
        if (this.fadeActive) {
            share = (k - this.fadeStart) / this.fadeFrames
            if (share >= 1) {
                // the crossfade is over: the base layer plays alone
                share = 1
                this.endFade()
                this.choosePath()
            } else if (share < 0) share = 0
        }
        const fading = this.fadeActive
        const overlaid = this.overlayOn

        // 3. layer values: each layer's weight and its row in its table. A layer that does not
        // fit a table (or a frozen one) reads one row, whatever the frame (sampleFrames 0).
        if (!this.tablesOnly) this.renderSignals(k)
        // ---- VM: the three layers' cursors, written out (not a method per layer) ------------
        // What: for each layer, its weight, the offset of frame k's row in its table, and the
        //   two rows' shares of the weight when frame k falls between sampled rows.
        // Why: a method call costs about 2 us here; three a frame would add a third to it.
        // Saves: about 6 us a crossfade frame (measured, docs/frame-path.md).
        // Each block is the same: weight = share x envelope x ramp, where the envelope is one
        // read for "none" or the piece `envOffset + envSlope * k` until envEnd; the table index
        // is k - periodStart (Layer.seekPeriod only when k leaves the period); row and fraction
        // come from the index and sampleFrames. test/reference computes all of it afresh.
        const B = this.base
        const baseWeight =
            share * (B.noEnvelope ? 1 : k < B.envEnd ? B.envOffset + B.envSlope * k : B.envelopeAt(k)) * ramp
        let baseIndex = k - B.periodStart
        if (baseIndex >= B.spanFrames || baseIndex < 0) baseIndex = B.seekPeriod(k)
        const baseSample = B.sampleFrames
        let baseRow = 0
        let baseFrac = 0
        if (baseSample === 1) baseRow = baseIndex
        else if (baseSample > 1) {
            baseRow = (baseIndex / baseSample) | 0
            baseFrac = (baseIndex - baseRow * baseSample) / baseSample
        }
        const F = this.fading
        let fadeWeight = 0
        let fadeRow = 0
        let fadeFrac = 0
        if (fading) {
            fadeWeight =
                (1 - share) *
                (F.noEnvelope ? 1 : k < F.envEnd ? F.envOffset + F.envSlope * k : F.envelopeAt(k)) *
                ramp
            let fadeIndex = k - F.periodStart
            if (fadeIndex >= F.spanFrames || fadeIndex < 0) fadeIndex = F.seekPeriod(k)
            const fadeSample = F.sampleFrames
            if (fadeSample === 1) fadeRow = fadeIndex
            else if (fadeSample > 1) {
                fadeRow = (fadeIndex / fadeSample) | 0
                fadeFrac = (fadeIndex - fadeRow * fadeSample) / fadeSample
            }
        }
        const O = this.overlay
        let overWeight = 0
        let overRow = 0
        let overFrac = 0
        if (overlaid) {
            overWeight =
                (O.noEnvelope ? 1 : k < O.envEnd ? O.envOffset + O.envSlope * k : O.envelopeAt(k)) * ramp
            let overIndex = k - O.periodStart
            if (overIndex >= O.spanFrames || overIndex < 0) overIndex = O.seekPeriod(k)
            const overSample = O.sampleFrames
            if (overSample === 1) overRow = overIndex
            else if (overSample > 1) {
                overRow = (overIndex / overSample) | 0
                overFrac = (overIndex - overRow * overSample) / overSample
            }
        }
        // ---- end VM ----

        // ---- VM: what the channel loop reads, in locals -----------------------------------
        // What: every field and every per-frame product the loop needs, read or computed once.
        // Why: a field read is a lookup by name (about 65 ns), a local a slot (about 15 ns).
        // Saves: about 4 us a frame against reading them in the loop.
        const slew = this.slewStep
        const mayClip = this.mayClip
        const tight = this.budgetTight
        const targets = this.targets
        const levels = out.levels
        const baseTable = B.table
        const baseGains = B.levelGain
        baseRow *= ROW_WIDTH
        const baseNext = baseRow + ROW_WIDTH
        const baseBetween = baseFrac > 0
        const baseRowShare = baseWeight * (1 - baseFrac)
        const baseNextShare = baseWeight * baseFrac
        const fadeTable = F.table
        const fadeGains = F.levelGain
        fadeRow *= ROW_WIDTH
        const fadeNext = fadeRow + ROW_WIDTH
        const fadeBetween = fadeFrac > 0
        const fadeRowShare = fadeWeight * (1 - fadeFrac)
        const fadeNextShare = fadeWeight * fadeFrac
        const overTable = O.table
        const overGains = O.levelGain
        overRow *= ROW_WIDTH
        const overNext = overRow + ROW_WIDTH
        const overBetween = overFrac > 0
        const overRowShare = overWeight * (1 - overFrac)
        const overNextShare = overWeight * overFrac
        // ---- end VM ----

        // ---- VM: one foot computed, copied to the other -----------------------------------
        // What: when every layer plays both feet alike and the last frame left them alike (so
        //   the slew limit treats them alike), the loop computes the 4 zones and stores each
        //   level on both feet.
        // Why: the loop is most of a frame. Saves: about 4 us a frame on two feet.
        // The reference computes every channel: its frames pin this to the bit.
        const inStep = this.feetInStep
        const mirror = this.feetAlike && (inStep || this.feetLevelsEqual())
        if (mirror !== inStep) this.feetInStep = mirror
        const computed = mirror ? ZONES_PER_FOOT : this.channels
        // ---- end VM ----

        // 4. per channel: blend, round, clip, slew (or, under a tight budget, the target only)
        for (let c = 0; c < computed; c++) {
            // each layer: its table entry times the channel's level and gain and the layer's
            // weight; between two sampled rows, both rows with their shares of the weight
            // (VM: if/else rather than ?:, the VM compiles ?: through a temporary)
            let v: number
            if (baseBetween)
                v =
                    (baseTable[baseRow + c] * baseRowShare + baseTable[baseNext + c] * baseNextShare) *
                    baseGains[c]
            else v = baseTable[baseRow + c] * baseGains[c] * baseWeight
            if (fading) {
                if (fadeBetween)
                    v +=
                        (fadeTable[fadeRow + c] * fadeRowShare + fadeTable[fadeNext + c] * fadeNextShare) *
                        fadeGains[c]
                else v += fadeTable[fadeRow + c] * fadeGains[c] * fadeWeight
            }
            if (overlaid) {
                // the overlay, on its zones only (its gain is 0 elsewhere)
                const g = overGains[c]
                if (g > 0) {
                    if (overBetween)
                        v +=
                            (overTable[overRow + c] * overRowShare +
                                overTable[overNext + c] * overNextShare) *
                            g
                    else v += overTable[overRow + c] * g * overWeight
                }
            }
            // v is the 8-bit level, >= 0; above 255 only with focus or an overlay (mayClip)
            let q = (v + 0.5) | 0
            if (mayClip) {
                if (q > 255) q = 255
            }
            if (tight) {
                // the budget comes before the slew limit: keep the target (fitToBudget)
                targets[c] = q
                if (mirror) targets[c + ZONES_PER_FOOT] = q
                continue
            }
            const p = levels[c]
            if (q > p + slew) q = p + slew
            else if (q < p - slew) q = p - slew
            levels[c] = q
            if (mirror) levels[c + ZONES_PER_FOOT] = q
        }

        // 5. the power budget: motors first (scaled down only if they alone exceed it)
        let motorMa = 0
        if (tight) motorMa = this.fitToBudget() * this.motorMaPerStep

        // 6. heaters: the slicer's plan for frame k (VM: one array read while frame k is in the
        // planned window; the plan never has more than maxHeatersOn on, by construction)
        const hs = this.heaters
        const heating = hs.active && this.state === STATE_RUNNING
        let bits = 0
        if (heating) {
            const j = k - hs.planWindow
            bits = j >= 0 && j < hs.windowFrames ? hs.plan[j] : hs.maskAt(k)
            if (tight) bits = this.heatersWithinBudget(bits, k, motorMa)
        }
        out.heaters = bits
        out.heaterPower = heating
        return out
    }

    /**
     * Stage 1 off the steady state: the session ramp at frame k. A soft stop that has reached
     * 0 ends the session (stopping) or the pause's ramp (pausing). A silent session (idle or
     * paused) gets an all-off frame and -1.
     */
    private sessionRampAt(k: number): number {
        const ramp = this.rampAt(k)
        if (ramp <= 0 && this.state !== STATE_RUNNING) {
            if (this.state === STATE_STOPPING) this.state = STATE_IDLE
            else if (this.state === STATE_PAUSING) this.state = STATE_PAUSED
        }
        if (this.state !== STATE_IDLE && this.state !== STATE_PAUSED) return ramp
        this.output.clear()
        this.feetInStep = true
        return -1
    }

    /** Stage 3 for layers that do not fit a table: their signal rows for frame k. */
    private renderSignals(k: number) {
        this.base.renderSignal(k)
        if (this.fadeActive) this.fading.renderSignal(k)
        if (this.overlayOn) this.overlay.renderSignal(k)
    }

    /** True when each right-foot level equals its left-foot zone's. */
    private feetLevelsEqual(): boolean {
        const levels = this.output.levels
        for (let c = 0; c < ZONES_PER_FOOT; c++) if (levels[c] !== levels[c + ZONES_PER_FOOT]) return false
        return true
    }

    /**
     * Ends the crossfade: the fading layer lets its pattern go, so that a finished pattern's
     * table (1-2 KB) returns to the heap before the next one is loaded (the VM cannot move
     * blocks: a dead table held here was the hole the next table needed).
     */
    private endFade() {
        this.fadeActive = false
        this.fading.freeze(null, 0)
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

    /**
     * Stage 5 under a tight budget: the motor levels are the targets (`targets`, before the
     * slew limit) scaled down so that the motors alone draw no more than the budget, then
     * slew-limited into the output; should the slewed levels still draw too much (some channels
     * fall slower than others rise), the rises are cut back, never below the last frame's
     * level. So no step exceeds the slew limit and no frame exceeds the budget. Returns the sum
     * of the levels.
     */
    private fitToBudget(): number {
        const n = this.channels
        const levels = this.output.levels
        const targets = this.targets
        const slew = this.slewStep
        const maxSum = Math.floor(this.budget / this.motorMaPerStep)
        let sum = 0
        for (let c = 0; c < n; c++) sum += targets[c]
        if (sum * this.motorMaPerStep > this.budget) {
            const scale = maxSum / sum
            for (let c = 0; c < n; c++) targets[c] = Math.floor(targets[c] * scale)
        }
        sum = 0
        let rises = 0
        for (let c = 0; c < n; c++) {
            const p = levels[c]
            let q = targets[c]
            if (q > p + slew) q = p + slew
            else if (q < p - slew) q = p - slew
            // the target array now holds each channel's rise (for the cut below)
            targets[c] = q > p ? q - p : 0
            rises += targets[c]
            levels[c] = q
            sum += q
        }
        if (sum > maxSum) {
            const keep = (rises - (sum - maxSum)) / rises
            sum = 0
            for (let c = 0; c < n; c++) {
                const r = targets[c]
                if (r > 0 && rises > 0) levels[c] = levels[c] - r + Math.floor(r * keep)
                sum += levels[c]
            }
        }
        return sum
    }

    /** Stage 6 under a tight budget: the heater bits of frame k cut to what the motors leave. */
    private heatersWithinBudget(bits: number, k: number, motorMa: number): number {
        let allowed = Math.floor((this.budget - motorMa) / this.heaterMa)
        if (allowed > this.maxHeatersOn) allowed = this.maxHeatersOn
        return bitCount(bits) > allowed ? limitHeaters(bits, allowed, this.channels, k) : bits
    }
}

/** Milliamps the outputs of a frame draw, by a config's currents. */
export function frameMilliamps(config: SchedulerConfig, f: Frame): number {
    let sum = 0
    let heaters = 0
    for (let c = 0; c < f.channels; c++) {
        sum += f.levels[c]
        if (f.heaters & (1 << c)) heaters++
    }
    return sum * (config.motorMilliamps / 255) + heaters * config.heaterMilliamps
}
