import { Frame } from "../frame/frame"
import { FrameGuard } from "../frame/guard"
import { FaultCode, FaultRecord, cutsAllHeat } from "./faults"
import { ADC_FULL_SCALE, atRail, celsiusOf } from "../physics/thermistor"
import { SensorFilter } from "../physics/sensor-filter"
import { SafetyLimits } from "./limits"
import { BlockHistory } from "./history"

/** Fault records kept (latched and cleared), oldest first. */
const MAX_RECORDS = 32

/** What the supervisor knows of one pad. */
class PadWatch {
    /** Medians of the protection and the control sensor's readings. */
    readonly filter = new SensorFilter()
    readonly controlFilter = new SensorFilter()
    /** Over-temperature samples in a row. */
    hotCount = 0
    /** Control sensor: last sample, bad now and bad in a row, the current block's sum and count. */
    controlLastMs = -1
    controlBad = false
    controlBadCount = 0
    controlSum = 0
    controlCount = 0
    /** The two sensors disagreed in the last block, and blocks in a row that did. */
    disagree = false
    disagreeBlocks = 0
    /** Last sample, and the last trusted temperature. */
    lastSampleMs = -1
    tempC = NaN
    /** The current sample is bad, and how many bad ones in a row. */
    bad = false
    badCount = 0
    /**
     * The current 1 s block: readings (sum, count, start) and the heat the pad got in it (ms its
     * heater was on, ms of frames). Closed blocks go to the supervisor's BlockHistory (their mean
     * readings and the share of their frames the heater was on); they drive the rate, stuck,
     * cutoff and heating checks.
     */
    blockStartMs = -1
    blockSum = 0
    blockCount = 0
    blockOnMs = 0
    blockMs = 0
    /**
     * The stuck check (SafetyLimits.stuckLagS): the fastest the readings can rise now (K/s, from
     * the heat this supervisor let through), a fast and a slow average of each sensor's 1 s means
     * (protection, control) carried forward by that rise, the last difference of the two
     * sensors' means and the square of its noise (K^2).
     */
    riseKPerS = 0
    fastP = NaN
    slowP = NaN
    fastC = NaN
    slowC = NaN
    lastDiff = NaN
    noiseK2 = 0
    /** The last block changed faster than a pad can, and how many blocks in a row did. */
    rateBad = false
    rateBadBlocks = 0
    /** Latched on this pad, and every fault code latched on it since the last clear (bit c = code c). */
    latched = false
    latchedCodes = 0
    /** Target, and whether the pad reached it (within the band) since the target was set. */
    target = 0
    reached = false
    /** The pad may not heat before this time (ms): the hold after a cleared fault. */
    heldUntilMs = -1
    /** Judgements in a row against the pad's bit in SafetySupervisor.bareMask. */
    bareVotes = 0
}

/**
 * The thermal safety supervisor: its own module, independent of heat control and the scheduler.
 * It sees every thermistor sample (`onSample`) and every frame (`inspect`, as a FrameGuard), and
 * vetoes heat: a pad's heater bit is cleared when the pad is not safe to heat, and the master
 * heater cut opens (frame.heaterPower = false) on over-temperature or a stuck heater. Faults are
 * latched until the user clears them (`clearFaults`) and kept as records. After a boot, nothing
 * heats until the user starts a session, and no session heats for more than 30 minutes.
 */
export class SafetySupervisor implements FrameGuard {
    readonly limits: SafetyLimits
    private readonly pads: PadWatch[] = []
    /** Every pad's closed 1 s blocks (mean reading, heater share). */
    private readonly history: BlockHistory
    private sessionActive = false
    private sessionStartMs = 0
    private masterCut = false
    private lastInspectMs = -1
    /** Faults latched since boot, oldest first (at most MAX_RECORDS: the oldest cleared ones drop out first). */
    readonly records: FaultRecord[] = []
    /** Counts every latch and clear: a fault store saves when it changes. */
    changes = 0
    /** Faults latched since boot. */
    private latchCount = 0
    /** Bit p set: no foot on pad p, judged from its holding power (SafetyLimits.footJudgeMinC). */
    bareMask = 0

    /** @param padCount heater pads (one per channel) */
    constructor(
        readonly padCount: number,
        limits?: SafetyLimits
    ) {
        this.limits = limits ? limits : new SafetyLimits()
        this.history = new BlockHistory(padCount, this.limits.historyBlocks())
        const L = this.limits
        for (let p = 0; p < padCount; p++) {
            // the stuck check starts from the worst: a pad heated at full power until now, as
            // noisy as the design allows (a restart may come in the middle of heat)
            const w = new PadWatch()
            w.riseKPerS = (L.padWatts * L.stuckHeatShare) / L.capacityJPerK
            w.noiseK2 = L.noiseStartK * L.noiseStartK
            this.pads.push(w)
        }
    }

    // ---- the user's and heat control's side ---------------------------------------------------

    /**
     * The user started a session: heat may flow (on pads without a latched fault) for at most
     * `sessionMaxMs`. Starting again during a session does not extend it.
     */
    startSession(tMs: number) {
        if (this.sessionActive || !(tMs >= 0)) return
        this.sessionActive = true
        this.sessionStartMs = tMs
        for (let p = 0; p < this.padCount; p++) {
            this.pads[p].reached = false
        }
        this.bareMask = 0
    }

    /** The session ended (or timed out): every heater off. */
    endSession(tMs: number) {
        this.sessionActive = false
        for (let p = 0; p < this.padCount; p++) this.pads[p].reached = false
    }

    /** True while a session may heat. */
    heating(): boolean {
        return this.sessionActive
    }

    /** Heat control set a pad's target (0 = off): whether the pad reached it is judged afresh. */
    setTarget(pad: number, targetC: number, tMs: number) {
        const w = this.pads[pad]
        if (!w) return
        const t = targetC > 0 ? targetC : 0
        if (t !== w.target) w.reached = false
        w.target = t
    }

    /**
     * The user's deliberate action: clears every latched fault (records stay). A fault whose cause
     * persists latches again at the next sample. Returns how many were cleared.
     */
    clearFaults(tMs: number): number {
        if (!(tMs >= 0)) return 0
        let n = 0
        let cutAll = this.masterCut
        for (let i = 0; i < this.records.length; i++)
            if (this.records[i].clearedMs < 0) {
                this.records[i].clearedMs = tMs
                if (cutsAllHeat(this.records[i].code) || this.records[i].pad < 0) cutAll = true
                n++
            }
        this.changes++
        for (let p = 0; p < this.padCount; p++) {
            const w = this.pads[p]
            // the blocks' history stays: a pad whose fault persists is caught again within seconds.
            // A fault that cut all heat holds every pad off: a stuck switch gets no heat either.
            if (w.latched || cutAll) w.heldUntilMs = tMs + this.limits.clearHoldMs
            w.latched = false
            w.latchedCodes = 0
            w.badCount = 0
            w.controlBadCount = 0
            w.rateBadBlocks = 0
            w.disagreeBlocks = 0
            w.hotCount = 0
        }
        this.masterCut = false
        return n
    }

    /**
     * At boot, before any heat: latches a fault that was latched when the device stopped (kept
     * in flash), as it was, so that only the user's deliberate clear ends it. Pad -1 means all.
     */
    restoreLatched(code: number, pad: number, tMs: number, tempC: number) {
        this.latch(code, pad, tMs, tempC)
    }

    /**
     * The frame loop caught an exception (in the scheduler, a guard or the port): latches
     * "firmware error", which cuts all heat, until the user clears it.
     */
    firmwareError(tMs: number) {
        this.latch(FaultCode.FirmwareError, -1, tMs, NaN)
    }

    /** The most recent fault still latched, or FaultCode.None. */
    activeFault(): number {
        for (let i = this.records.length - 1; i >= 0; i--)
            if (this.records[i].clearedMs < 0) return this.records[i].code
        return FaultCode.None
    }

    /** True when the master heater cut is open. */
    masterCutOpen(): boolean {
        return this.masterCut
    }

    /** The last trusted temperature of a pad, or NaN. */
    temperature(pad: number): number {
        return this.pads[pad] ? this.pads[pad].tempC : NaN
    }

    /**
     * True when a pad may heat now: a session runs, nothing latched on it or for all, no hold
     * after a clear, both its sensors fresh, in range and agreeing, its reading changing no
     * faster than a pad can. `inspect` has a copy of this inline (tested equal).
     */
    padAllowed(pad: number, tMs: number): boolean {
        const w = this.pads[pad]
        const L = this.limits
        return (
            !!w &&
            this.sessionActive &&
            !this.masterCut &&
            !w.latched &&
            tMs >= w.heldUntilMs &&
            !w.bad &&
            !w.rateBad &&
            !w.controlBad &&
            !w.disagree &&
            w.lastSampleMs >= 0 &&
            tMs - w.lastSampleMs <= L.staleMs &&
            w.controlLastMs >= 0 &&
            tMs - w.controlLastMs <= L.staleMs
        )
    }

    // ---- samples ------------------------------------------------------------------------------

    /**
     * A sample of a pad's protection thermistor (raw 16-bit reading at tMs, ms since boot): the
     * supervisor's own sensor, which heat control never reads. Every rule judges it.
     */
    onSample(pad: number, raw: number, tMs: number) {
        const w = this.pads[pad]
        if (!w) return
        const L = this.limits
        w.lastSampleMs = tMs
        const code = this.rawFault(raw)
        if (code !== FaultCode.None) {
            // the pad is off from this sample on; a few in a row latch the fault
            w.bad = true
            w.badCount++
            if (w.badCount >= L.sensorLatchSamples) this.latch(code, pad, tMs, NaN)
            return
        }
        w.bad = false
        w.badCount = 0
        const median = w.filter.add(celsiusOf(raw))
        const temp = w.tempC === w.tempC ? w.tempC + (median - w.tempC) * L.smoothing : median
        w.tempC = temp
        // no cutoff on one sample: the median of five, at or over the cutoff three in a row
        w.hotCount = median >= L.cutoffC ? w.hotCount + 1 : 0
        if (w.hotCount >= L.cutoffSamples) this.latch(FaultCode.Overtemp, pad, tMs, median)
        if (!this.addToBlock(w, pad, median, tMs)) return
        // a block just closed: the rate between the last two 1 s means. A pad changing faster
        // than it can is off until the next block; `rateLatchBlocks` such blocks latch.
        const h = this.history
        const rate = h.mean(pad, 0) - h.mean(pad, 1)
        w.rateBad = rate > L.maxRateKPerS || rate < -L.maxRateKPerS
        if (!w.rateBad) w.rateBadBlocks = 0
        else if (++w.rateBadBlocks >= L.rateLatchBlocks)
            this.latch(FaultCode.SensorImplausible, pad, tMs, temp)
        this.checkStuck(w, pad, tMs, temp)
        this.crossCheck(w, pad, tMs)
        if (!w.rateBad) {
            this.checkHeating(w, pad, tMs)
            this.checkCutoffAhead(w, pad, tMs)
        }
    }

    /**
     * A sample of a pad's control thermistor (the one heat control reads), for the cross-check
     * only: its rail and range are judged as the protection sensor's are, and its 1 s mean of
     * medians must agree with the protection sensor's (see SafetyLimits.crossBandK).
     */
    onControlSample(pad: number, raw: number, tMs: number) {
        const w = this.pads[pad]
        if (!w) return
        w.controlLastMs = tMs
        const code = this.rawFault(raw)
        if (code !== FaultCode.None) {
            w.controlBad = true
            w.controlBadCount++
            if (w.controlBadCount >= this.limits.sensorLatchSamples) this.latch(code, pad, tMs, NaN)
            return
        }
        w.controlBad = false
        w.controlBadCount = 0
        w.controlSum += w.controlFilter.add(celsiusOf(raw))
        w.controlCount++
    }

    /** What is wrong with a raw reading by itself (rail, range, not a number), or FaultCode.None. */
    private rawFault(raw: number): number {
        const L = this.limits
        if (!(raw >= 0 && raw <= ADC_FULL_SCALE)) return FaultCode.SensorImplausible
        if (atRail(raw)) return raw >= ADC_FULL_SCALE / 2 ? FaultCode.SensorOpen : FaultCode.SensorShort
        const reading = celsiusOf(raw)
        if (!(reading >= L.minPlausibleC && reading <= L.maxPlausibleC)) return FaultCode.SensorImplausible
        return FaultCode.None
    }

    /**
     * At a protection block's end: the control sensor's mean over the same time must lie within
     * the band (SafetyLimits.crossBandK). Outside it the pad is off; a few blocks in a row latch.
     * A block without control samples is not judged (staleness turns the pad off instead).
     */
    private crossCheck(w: PadWatch, pad: number, tMs: number) {
        const L = this.limits
        if (w.controlCount === 0) return
        const mean = this.history.mean(pad, 0)
        const diff = mean - w.controlSum / w.controlCount
        w.controlSum = 0
        w.controlCount = 0
        w.disagree = diff > L.crossBandK || diff < -L.crossBandK
        if (!w.disagree) w.disagreeBlocks = 0
        else if (++w.disagreeBlocks >= L.crossLatchBlocks)
            this.latch(FaultCode.SensorsDisagree, pad, tMs, mean)
    }

    /**
     * At a block's end: the heating watch (SafetyLimits.watchWindowS: a long window and a short
     * one) and the holding-power check (SafetyLimits.holdWindowS, the same rule over 40 s) on
     * the pad's history; then, from the holding power, whether a foot is on the pad.
     */
    private checkHeating(w: PadWatch, pad: number, tMs: number) {
        const L = this.limits
        const h = this.history
        const mean = h.mean(pad, 0)
        if (w.target > 0 && mean >= w.target - L.reachedBandK) w.reached = true
        // judged while heat control aims at a target, not while latched or held after a clear
        // (the history goes on: heat given before counts when judging resumes)
        if (w.target <= 0 || w.latched || tMs < w.heldUntilMs) return
        if (
            // the long window: a rise in proportion to the heat given
            this.roseTooLittle(pad, mean, L.watchWindowS, L.watchRiseShare, L.watchMinExpectedK, 0) ||
            // the short window: no fall while heated more than any loss can take
            this.roseTooLittle(pad, mean, L.fallWindowS, 0, L.fallMinExpectedK, L.fallK) ||
            // held by more power than any loss can take at the reading
            this.roseTooLittle(pad, mean, L.holdWindowS, L.holdRiseShare, L.holdMinExpectedK, 0)
        ) {
            this.latch(w.reached ? FaultCode.Runaway : FaultCode.HeatingFailed, pad, tMs, mean)
            return
        }
        // is a foot on the pad? (SafetyLimits.footJudgeMinC) The power it lost over the window:
        const H = L.holdWindowS
        const start = h.mean(pad, H)
        const duty = h.dutyOver(pad, L.lagS + H - 1, L.lagS)
        const lossW = duty * L.padWatts - (L.capacityJPerK * (mean - start)) / H
        // the bounds at the window's mean temperature: losses grow in proportion to it
        const T = (mean + start) / 2
        const bareMaxW = L.airWPerK * (T - L.coldestRoomC)
        const footMinW = L.footWPerK * (T - L.footC) + L.airWPerK * (T - L.warmestRoomC)
        const bit = 1 << pad
        // (an unfilled window gives NaN: not below the line, a vote for a foot)
        if (!(T >= L.footJudgeMinC) || lossW < (bareMaxW + footMinW) / 2 === ((this.bareMask & bit) !== 0))
            w.bareVotes = 0
        else if (++w.bareVotes >= L.footBlocks) {
            this.bareMask ^= bit
            w.bareVotes = 0
        }
    }

    /**
     * One window of the heating watch: true when the heat given over the `window` blocks that
     * end the sensor's lag before now expects a rise of at least `minK` (SafetyLimits.
     * expectedRise) and the reading rose less than `share` of it, less `dropK`. False while the
     * window is not filled.
     */
    private roseTooLittle(
        pad: number,
        mean: number,
        window: number,
        share: number,
        minK: number,
        dropK: number
    ): boolean {
        const L = this.limits
        const h = this.history
        const start = h.mean(pad, window)
        const duty = h.dutyOver(pad, L.lagS + window - 1, L.lagS)
        if (!(start === start) || !(duty === duty)) return false
        const expected = L.expectedRise(duty, mean, window * 1000)
        return expected >= minK && mean - start < share * expected - dropK
    }

    /**
     * The cutoff ahead of the sensor's lag (see SafetyLimits.sensorLagS): the newest mean plus
     * the rise its 8 s slope gives over the lag.
     */
    private checkCutoffAhead(w: PadWatch, pad: number, tMs: number) {
        const L = this.limits
        const h = this.history
        const mean = h.mean(pad, 0)
        const long = L.cutoffSlopeLongS
        const short = L.cutoffSlopeShortS
        const earlier = h.mean(pad, long)
        let slope = earlier === earlier ? (mean - earlier) / long : 0
        // a climb that just began shows in the last 4 s before it moves the 8 s slope; less
        // what noise can put on a 4 s slope (two standard deviations at the noisiest)
        const recent = (mean - h.mean(pad, short)) / short - L.slopeNoiseKPerS
        if (recent > slope) slope = recent
        const fastest = L.padWatts / L.capacityJPerK
        if (slope > fastest) slope = fastest
        const rise = slope > 0 ? slope * L.sensorLagS : 0
        if (mean + rise >= L.cutoffAheadC) this.latch(FaultCode.Overtemp, pad, tMs, mean)
    }

    /**
     * Adds a reading to the pad's current 1 s block; returns true when that closed a block (its
     * mean and heat are then the newest in the history).
     */
    private addToBlock(w: PadWatch, pad: number, reading: number, tMs: number): boolean {
        if (w.blockStartMs < 0) w.blockStartMs = tMs
        w.blockSum += reading
        w.blockCount++
        if (tMs - w.blockStartMs < this.limits.blockMs) return false
        const h = this.history
        h.push(pad, w.blockSum / w.blockCount, w.blockMs > 0 ? w.blockOnMs / w.blockMs : 0)
        w.blockSum = 0
        w.blockCount = 0
        w.blockOnMs = 0
        w.blockMs = 0
        w.blockStartMs = -1
        const previous = h.mean(pad, 1)
        return previous === previous
    }

    /**
     * At a block's end: the stuck check (see SafetyLimits.stuckLagS). Above body temperature a
     * pad warms only from its heater, and a thermistor's reading rises no faster than its lag
     * lets the heat through: both sensors' readings outrunning the heat this supervisor let
     * through is heat it did not let through, a stuck switch.
     */
    private checkStuck(w: PadWatch, pad: number, tMs: number, temp: number) {
        const L = this.limits
        const h = this.history
        const p = h.mean(pad, 0)
        // the rise this block's heat gives, less the least the pad loses (K/s); what the lag
        // still owes of earlier heat decays with it; new heat is taken at once
        const heat =
            (h.dutyOver(pad, 0, 0) * L.padWatts * L.stuckHeatShare - L.airWPerK * (p - L.warmestRoomC)) /
            L.capacityJPerK
        const before = w.riseKPerS
        const owed = before - heat
        const now = owed > 0 ? heat + owed * Math.exp(-1 / L.stuckLagS) : heat
        w.riseKPerS = now
        const rise = before > now ? before : now
        const fast = L.stuckFast
        const slow = L.stuckSlow
        if (!(w.fastP === w.fastP)) {
            w.fastP = p
            w.slowP = p
        }
        w.fastP += rise + fast * (p - w.fastP - rise)
        w.slowP += rise + slow * (p - w.slowP - rise)
        // the control sensor's mean over the same block (a block without one: carried forward)
        const c = w.controlCount > 0 ? w.controlSum / w.controlCount : NaN
        if (c === c) {
            if (!(w.fastC === w.fastC)) {
                w.fastC = c
                w.slowC = c
            }
            w.fastC += rise + fast * (c - w.fastC - rise)
            w.slowC += rise + slow * (c - w.slowC - rise)
            // the noise, from how far the two sensors' difference moves from one block to the
            // next (the pad they share drops out): quick to rise, slow to fall
            const diff = p - c
            const step = diff - w.lastDiff
            const x = (step * step) / 4 - w.noiseK2
            if (x === x) w.noiseK2 += (x > 0 ? L.noiseUp : L.noiseDown) * x
            w.lastDiff = diff
        } else {
            w.fastC += rise
            w.slowC += rise
        }
        // both sensors must show it: one sensor's own fault (a step, a drift) moves only one
        const dp = w.fastP - w.slowP
        const dc = w.fastC - w.slowC
        const ahead = dp < dc ? dp : dc
        const share = L.stuckNoiseShare
        // judged whether or not heater power is on: a pad that heats with the master cut open
        // has a stuck cut as well, and that too must be latched and recorded
        if (ahead >= L.stuckRiseK && ahead * ahead >= share * share * w.noiseK2)
            if (temp >= L.stuckMinC && !w.rateBad) this.latch(FaultCode.StuckOn, pad, tMs, temp)
    }

    /**
     * Latches a fault on a pad and records it: the one road to the safe state. Every rule ends
     * here, and a fault that cuts all heat (cutsAllHeat, or one for every pad) opens the master
     * cut here and nowhere else; `inspect` then clears every heater of every frame. A pad
     * already latched records a further fault only when it is a code not yet latched on it
     * since the last clear (an over-temperature after a sensor fault, say): a flapping
     * connector records each fault once.
     */
    private latch(code: number, pad: number, tMs: number, tempC: number) {
        if (cutsAllHeat(code) || pad < 0) this.masterCut = true
        const w = this.pads[pad]
        if (w) {
            const bit = 1 << code
            if (w.latchedCodes & bit) return
            w.latched = true
            w.latchedCodes |= bit
        }
        if (this.records.length >= MAX_RECORDS) this.dropOldestRecord()
        const record = new FaultRecord(code, pad, tMs, tempC)
        record.seq = ++this.latchCount
        this.records.push(record)
        this.changes++
    }

    /** Makes room for a record: the oldest cleared one goes, or the oldest of all if none is cleared. */
    private dropOldestRecord() {
        let drop = 0
        for (let i = 0; i < this.records.length; i++)
            if (this.records[i].clearedMs >= 0) {
                drop = i
                break
            }
        const r = this.records
        for (let i = drop; i + 1 < r.length; i++) r[i] = r[i + 1]
        r.pop()
    }

    // ---- frames -------------------------------------------------------------------------------

    /** Vetoes a frame: clears the bits of pads that may not heat, opens the master cut if needed. */
    inspect(f: Frame, tMs: number) {
        if (!f) return
        const L = this.limits
        let dt = this.lastInspectMs < 0 ? 0 : tMs - this.lastInspectMs
        // a late frame: the heaters held the frame before for that long, unseen; the stuck
        // check takes every pad as heated at full power until now
        if (!(dt <= L.stuckGapMs))
            for (let p = 0; p < this.padCount; p++)
                this.pads[p].riseKPerS = (L.padWatts * L.stuckHeatShare) / L.capacityJPerK
        if (dt < 0 || dt > L.maxFrameGapMs) dt = 0
        this.lastInspectMs = tMs
        if (this.sessionActive && tMs - this.sessionStartMs > L.sessionMaxMs) this.endSession(tMs)
        let heaters = f.heaters
        const session = this.sessionActive && !this.masterCut
        for (let p = 0; p < this.padCount; p++) {
            const bit = 1 << p
            const w = this.pads[p]
            // padAllowed, inline: this runs every frame (test/sim/heat/supervisor.test.ts holds
            // the two equal)
            const allowed =
                session &&
                !w.latched &&
                tMs >= w.heldUntilMs &&
                !w.bad &&
                !w.rateBad &&
                !w.controlBad &&
                !w.disagree &&
                w.lastSampleMs >= 0 &&
                tMs - w.lastSampleMs <= L.staleMs &&
                w.controlLastMs >= 0 &&
                tMs - w.controlLastMs <= L.staleMs
            if (!allowed) heaters &= ~bit
            const on = (heaters & bit) !== 0 && f.heaterPower && !this.masterCut
            w.blockMs += dt
            if (on) w.blockOnMs += dt
        }
        f.heaters = heaters
        if (this.masterCut || !this.sessionActive) {
            f.heaters = 0
            f.heaterPower = false
        }
    }
}
