/*
 * A plain, slow reference of the frame path, written from the documented semantics
 * (docs/frame-path.md) rather than from Scheduler.frame: no cached table index, no "feet alike"
 * shortcut, no "budget tight" flag, no inline heater plan, no per-layer locals. Each frame is
 * computed afresh, channel by channel, as the semantics say:
 *
 *   level(c, k) = slew( budget( clip( round( sum over layers of value x gain x weight ))))
 *
 * - a layer's value at frame k: its pattern's byte table at row (k - start) mod tableFrames
 *   (interpolated between sampled rows), or for a pattern that does not fit a table its signal
 *   (Layer.signalAt, the segment evaluator); a frozen layer (a crossfade snapshot) its
 *   snapshot level;
 * - gain: level x intensity x fine x focus x 255 (the overlay also x its gain, on its zones);
 * - weight: crossfade share x pattern envelope x session ramp;
 * - budget: the motors' targets are scaled to the budget before the slew limit, the rises cut
 *   after it should the slewed levels still draw too much; heaters then get what is left;
 * - heaters: water-filled fair shares per window, rounded with a carry, laid out by wrap-around.
 *
 * Arithmetic follows the documented formula in the order written there, so that the fast path
 * and the reference agree to the bit (test/node/reference.test.ts). Node only (test code).
 */
import {
    CompiledPattern,
    Layer,
    SchedulerConfig,
    STATE_IDLE,
    STATE_PAUSED,
    STATE_PAUSING,
    STATE_RUNNING,
    STATE_STOPPING,
    ZONES_PER_FOOT,
    intensityGain,
    tableByte,
    wrap,
} from "../../src/core"

/** One frame as the reference computes it: plain values, a new object each time. */
export interface RefFrame {
    levels: number[]
    heaters: number
    heaterPower: boolean
}

/** A layer of the reference: a pattern from a start frame, or a frozen snapshot. */
class RefLayer {
    pattern: CompiledPattern = null
    start = 0
    /** Per channel: the snapshot level of a frozen layer. */
    frozen: number[] = null
    /** Evaluates tracks, wave pieces and the envelope (pure functions of k). */
    evaluator: Layer

    constructor(channels: number, periodMs: number) {
        this.evaluator = new Layer(channels, periodMs)
    }

    play(p: CompiledPattern, k: number) {
        this.pattern = p
        this.frozen = null
        this.start = k
        this.evaluator.play(p, k)
    }

    shift(frames: number) {
        this.start += frames
        if (this.pattern) this.evaluator.restartAt(this.start)
    }

    freeze(values: number[]) {
        this.pattern = null
        this.frozen = values.slice()
        this.evaluator.play(null, 0)
    }

    envelope(k: number): number {
        return this.pattern && this.pattern.envelope ? this.evaluator.envelopeAt(k) : 1
    }

    /** value x gain x weight for channel c (gain per channel, weight of this layer). */
    contribution(c: number, k: number, gain: number, weight: number): number {
        const p = this.pattern
        if (!p) return 255 * ((this.frozen ? this.frozen[c] : 0) * gain * (1 / 255)) * weight
        const lg = p.level[c] * gain * (p.simple ? 1 / 255 : 1)
        const m = wrap(k - this.start, p.tableFrames)
        if (!p.simple) return this.evaluator.signalAt(c, k, m) * lg * weight
        const D = p.sampleFrames
        const i = D === 1 ? m : Math.floor(m / D)
        const f = D === 1 ? 0 : (m - i * D) / D
        const a = tableByte(p, i, c)
        if (f > 0) return (a * (weight * (1 - f)) + tableByte(p, i + 1, c) * (weight * f)) * lg
        return a * lg * weight
    }

    /** The layer's value before gains (for a crossfade snapshot): as Layer.valueAt. */
    valueBeforeGains(c: number, k: number): number {
        if (!this.pattern) return this.frozen ? this.frozen[c] : 0
        return this.evaluator.valueAt(c, k)
    }
}

/** The reference scheduler: the Scheduler's intent API, a slow, plain `frame`. */
export class ReferenceScheduler {
    readonly n: number
    private base: RefLayer
    private fading: RefLayer
    private readonly overlay: RefLayer
    private overlayOn = false
    private readonly overlayGain: number[]
    private fadeActive = false
    private fadeStart = 0
    private readonly fadeFrames: number
    private intensity = 3
    private fine = 1
    private readonly focus = [1, 1, 1, 1]
    private state = STATE_IDLE
    private rampFrom = 0
    private rampTo = 0
    private rampStart = 0
    private rampFrames = 1
    private pauseEnd = 0
    private pending: CompiledPattern = null
    private patternPending = false
    private pendingOverlay: any[] = null
    private readonly startFrames: number
    private readonly stopFrames: number
    private readonly slew: number
    private readonly levels: number[]
    private readonly heat: RefHeaters

    constructor(readonly config: SchedulerConfig) {
        const P = config.framePeriodMs
        this.n = config.feet * ZONES_PER_FOOT
        this.base = new RefLayer(this.n, P)
        this.fading = new RefLayer(this.n, P)
        this.overlay = new RefLayer(this.n, P)
        this.overlayGain = new Array(this.n).fill(0)
        this.levels = new Array(this.n).fill(0)
        this.fadeFrames = Math.max(1, Math.ceil(config.crossfadeMs / P))
        this.startFrames = Math.max(1, Math.ceil(config.softStartMs / P))
        this.stopFrames = Math.max(1, Math.ceil(config.softStopMs / P))
        this.slew =
            config.slewFullScaleMs > 0 ? Math.max(1, Math.ceil((255 * P) / config.slewFullScaleMs)) : 255
        this.heat = new RefHeaters(this.n, config.heaterWindowFrames, config.maxHeatersOn)
    }

    // ---- intent: the session's state machine ----

    start(k: number) {
        this.applyPending(k, false)
        this.base.shift(k - this.base.start)
        this.fadeActive = false
        this.heat.restart(k)
        this.state = STATE_RUNNING
        this.setRamp(k, 0, 1, this.startFrames)
    }

    pause(k: number) {
        if (this.state !== STATE_RUNNING) return
        this.state = STATE_PAUSING
        this.setRamp(k, this.ramp(k), 0, this.stopFrames)
        this.pauseEnd = k + this.stopFrames
    }

    resume(k: number) {
        if (this.state !== STATE_PAUSING && this.state !== STATE_PAUSED) return
        const from = this.ramp(k)
        // pattern time stands still from the end of the soft stop until now
        const silent = k > this.pauseEnd ? k - this.pauseEnd : 0
        this.base.shift(silent)
        if (this.fadeActive) this.fading.shift(silent)
        if (this.overlayOn) this.overlay.shift(silent)
        this.fadeStart += silent
        this.heat.restart(k)
        this.state = STATE_RUNNING
        this.setRamp(k, from, 1, this.startFrames)
        this.applyPending(k, true)
    }

    stop(k: number) {
        if (this.state === STATE_IDLE || this.state === STATE_STOPPING) return
        this.applyPending(k, false)
        this.setRamp(k, this.ramp(k), 0, this.stopFrames)
        this.state = STATE_STOPPING
    }

    setPattern(p: CompiledPattern, k: number) {
        if (this.silent(k)) {
            this.pending = p
            this.patternPending = true
            return
        }
        if (this.state === STATE_IDLE) {
            this.base.play(p, k)
            this.fadeActive = false
            return
        }
        if (this.fadeActive && k < this.fadeStart + this.fadeFrames) {
            // a change during a crossfade fades from a snapshot of the blend
            const x = this.fadeShare(k)
            const snap: number[] = []
            for (let c = 0; c < this.n; c++) {
                let v = this.base.valueBeforeGains(c, k) * this.base.envelope(k) * x
                if (x < 1) v += this.fading.valueBeforeGains(c, k) * this.fading.envelope(k) * (1 - x)
                snap.push(v)
            }
            this.fading.freeze(snap)
        } else {
            const old = this.fading
            this.fading = this.base
            this.base = old
        }
        this.base.play(p, k)
        this.fadeActive = true
        this.fadeStart = k
    }

    setOverlay(p: CompiledPattern, zoneMask: number, gain: number, k: number) {
        if (this.silent(k)) {
            this.pendingOverlay = [p, zoneMask, gain]
            return
        }
        this.playOverlay(p, zoneMask, gain, k)
    }

    setIntensity(level: number, finePercent: number, k: number) {
        this.intensity = level
        this.fine = Math.min(1, Math.max(0, finePercent / 100)) || 0
    }

    setFocus(zone: number, gain: number, k: number) {
        if (!(zone >= 0 && zone < ZONES_PER_FOOT)) return
        this.focus[Math.floor(zone)] = gain > 0 ? Math.min(gain, 2) : 0
    }

    setHeaterDuty(c: number, duty: number, k?: number) {
        if (!(c >= 0 && c < this.n)) return
        this.heat.duty[c] = duty > 0 ? Math.min(duty, 1) : 0
    }

    private playOverlay(p: CompiledPattern, zoneMask: number, gain: number, k: number) {
        const g = gain > 0 ? Math.min(gain, 1) : 0
        this.overlayOn = !!p && g > 0 && (zoneMask & 15) !== 0
        if (this.overlayOn) this.overlay.play(p, k)
        else this.overlay.play(null, k)
        for (let c = 0; c < this.n; c++)
            this.overlayGain[c] = this.overlayOn && zoneMask & (1 << c % ZONES_PER_FOOT) ? g : 0
    }

    private applyPending(k: number, fade: boolean) {
        if (this.patternPending) {
            this.patternPending = false
            if (fade) this.setPattern(this.pending, k)
            else {
                this.base.play(this.pending, k)
                this.fadeActive = false
            }
        }
        if (this.pendingOverlay) {
            const o = this.pendingOverlay
            this.pendingOverlay = null
            this.playOverlay(o[0], o[1], o[2], k)
        }
    }

    private silent(k: number): boolean {
        return this.state === STATE_PAUSED || (this.state === STATE_PAUSING && k >= this.pauseEnd)
    }

    private setRamp(k: number, from: number, to: number, frames: number) {
        this.rampFrom = from
        this.rampTo = to
        this.rampStart = k
        this.rampFrames = frames
    }

    /** The session's soft start/stop factor at frame k. */
    private ramp(k: number): number {
        const d = k - this.rampStart
        if (d >= this.rampFrames) return this.rampTo
        if (d <= 0) return this.rampFrom
        return this.rampFrom + ((this.rampTo - this.rampFrom) * d) / this.rampFrames
    }

    private fadeShare(k: number): number {
        if (!this.fadeActive) return 1
        const x = (k - this.fadeStart) / this.fadeFrames
        return x < 1 ? (x > 0 ? x : 0) : 1
    }

    // ---- the frame ----

    /** Frame k, computed afresh: a new object. Frames must be asked in increasing k. */
    frame(k: number): RefFrame {
        const n = this.n
        const e = this.ramp(k)
        if (e <= 0 && this.state === STATE_STOPPING) this.state = STATE_IDLE
        if (e <= 0 && this.state === STATE_PAUSING) this.state = STATE_PAUSED
        if (this.state === STATE_IDLE || this.state === STATE_PAUSED) {
            for (let c = 0; c < n; c++) this.levels[c] = 0
            return { levels: this.levels.slice(), heaters: 0, heaterPower: false }
        }
        const x = this.fadeShare(k)
        if (x >= 1) this.fadeActive = false
        const wBase = x * this.base.envelope(k) * e
        const wFade = (1 - x) * this.fading.envelope(k) * e
        const wOver = this.overlay.envelope(k) * e
        const g = intensityGain(this.intensity) * this.fine * 255
        const targets: number[] = []
        for (let c = 0; c < n; c++) {
            const gain = g * this.focus[c % ZONES_PER_FOOT]
            let m = this.base.contribution(c, k, gain, wBase)
            if (this.fadeActive) m += this.fading.contribution(c, k, gain, wFade)
            if (this.overlayOn && this.overlayGain[c] > 0)
                m += this.overlay.contribution(c, k, gain * this.overlayGain[c], wOver)
            targets.push(Math.min(255, Math.floor(m + 0.5)))
        }
        const motorSum = this.budgetAndSlew(targets)
        const motorMa = motorSum * (this.config.motorMilliamps / 255)
        let heaters = 0
        const heatOn = this.state === STATE_RUNNING && this.heat.duty.some(d => d > 0)
        if (heatOn) {
            heaters = this.heat.maskAt(k)
            let allowed = Math.floor((this.config.budgetMilliamps - motorMa) / this.config.heaterMilliamps)
            if (allowed > this.config.maxHeatersOn) allowed = this.config.maxHeatersOn
            heaters = keepAtMost(heaters, allowed, n, k)
        }
        return { levels: this.levels.slice(), heaters, heaterPower: heatOn }
    }

    /** Targets scaled to the budget, slew-limited into `levels`, rises cut if still over. */
    private budgetAndSlew(targets: number[]): number {
        const n = this.n
        const perStep = this.config.motorMilliamps / 255
        const maxSum = Math.floor(this.config.budgetMilliamps / perStep)
        let sum = targets.reduce((a, b) => a + b, 0)
        if (sum * perStep > this.config.budgetMilliamps) {
            const scale = maxSum / sum
            for (let c = 0; c < n; c++) targets[c] = Math.floor(targets[c] * scale)
        }
        const rises: number[] = []
        sum = 0
        for (let c = 0; c < n; c++) {
            const p = this.levels[c]
            const q = Math.max(p - this.slew, Math.min(p + this.slew, targets[c]))
            rises.push(q > p ? q - p : 0)
            this.levels[c] = q
            sum += q
        }
        if (sum > maxSum) {
            const total = rises.reduce((a, b) => a + b, 0)
            const keep = (total - (sum - maxSum)) / total
            sum = 0
            for (let c = 0; c < n; c++) {
                if (rises[c] > 0) this.levels[c] = this.levels[c] - rises[c] + Math.floor(rises[c] * keep)
                sum += this.levels[c]
            }
        }
        return sum
    }
}

/** At most `allowed` bits of a mask, counted from channel (rotation mod channels) on. */
function keepAtMost(mask: number, allowed: number, channels: number, rotation: number): number {
    let kept = 0
    let count = 0
    for (let i = 0; i < channels; i++) {
        const c = (rotation + i) % channels
        if (mask & (1 << c) && count < allowed) {
            kept |= 1 << c
            count++
        }
    }
    return kept
}

/**
 * Heater slicing as documented: per window of W frames (counted from the session's first), the
 * fair shares (water-filling of maxOn x W), floor plus one owed frame while the cap has room
 * (most owed first), laid end to end from a rotating heater and wrapped every W frames.
 */
export class RefHeaters {
    readonly duty: number[]
    private readonly carry: number[]
    private origin = 0
    private window = NaN
    private plan: number[] = []

    constructor(
        readonly n: number,
        readonly W: number,
        readonly maxOn: number
    ) {
        this.duty = new Array(n).fill(0)
        this.carry = new Array(n).fill(0)
    }

    restart(k: number) {
        this.origin = k
        this.window = NaN
    }

    maskAt(k: number): number {
        const j = wrap(k - this.origin, this.W)
        if (k - j !== this.window) this.replan(k - j)
        return this.plan[j]
    }

    /** Water-filling: raise a level over the open asks until the cap is spent. */
    static fairShares(asks: number[], cap: number): number[] {
        const share = asks.slice()
        const total = asks.reduce((a, b) => a + b, 0)
        if (total <= cap) return share
        const open = asks.map(a => a > 0)
        let room = cap
        let level = 0
        for (;;) {
            const count = open.filter(o => o).length
            if (count === 0) break
            level = room / count
            let settled = false
            for (let c = 0; c < asks.length; c++)
                if (open[c] && asks[c] <= level) {
                    open[c] = false
                    room -= asks[c]
                    settled = true
                }
            if (!settled) break
        }
        for (let c = 0; c < asks.length; c++) if (open[c]) share[c] = level
        return share
    }

    private replan(windowStart: number) {
        const { n, W } = this
        const share = RefHeaters.fairShares(
            this.duty.map(d => d * W),
            this.maxOn * W
        )
        const slots = share.map(s => (s > 0 ? Math.floor(s) : 0))
        let room = this.maxOn * W - slots.reduce((a, b) => a + b, 0)
        // as many extra frames as the owed fractions add up to, the most owed first
        let owedTotal = 0
        for (let c = 0; c < n; c++) if (share[c] > 0) owedTotal += share[c] + this.carry[c] - slots[c]
        const extras = Math.min(room, Math.floor(owedTotal))
        const extra = new Array(n).fill(false)
        for (let e = 0; e < extras; e++) {
            let best = -1
            for (let c = 0; c < n; c++) {
                if (share[c] <= 0 || extra[c] || slots[c] >= W) continue
                const owed = share[c] + this.carry[c] - slots[c]
                if (owed > 0 && (best < 0 || owed > share[best] + this.carry[best] - slots[best])) best = c
            }
            if (best < 0) break
            slots[best]++
            extra[best] = true
        }
        for (let c = 0; c < n; c++) this.carry[c] = share[c] > 0 ? this.carry[c] + (share[c] - slots[c]) : 0
        // lay out: heater after heater from a rotating first one, wrapped every W frames
        this.plan = new Array(W).fill(0)
        let first = wrap(Math.floor((windowStart - this.origin) / W), n)
        let at = 0
        for (let i = 0; i < n; i++) {
            const c = (first + i) % n
            for (let f = 0; f < slots[c]; f++) this.plan[(at + f) % W] |= 1 << c
            at = (at + slots[c]) % W
        }
        this.window = windowStart
    }
}
