import { Frame } from "../frame"
import { FrameGuard } from "../frame-guard"
import { filledArray } from "../numbers"
import { FaultCode, FaultRecord, cutsAllHeat } from "./faults"
import { ADC_FULL_SCALE, atRail, celsiusOf } from "./thermistor"

/**
 * Limits and windows of the safety supervisor. Each is chosen from the thermal model (PadModel:
 * 3.6 W pad, 15 J/K, 0.18 W/K with a foot, 3 s sensor lag) and the burn data in
 * ../shared/notes/anchors.md; the reasons are next to each field.
 */
export class SafetyLimits {
    /** Hard cutoff: every heater off and the master cut open. 45 C is 2 K over the highest target
     *  (43) and well under where skin burns in minutes (about 50 C). */
    cutoffC = 45
    /** Plausible readings: a pad on a foot indoors is never below -10 C or above 85 C. */
    minPlausibleC = -10
    maxPlausibleC = 85
    /** The fastest change a reading can show, K/s between consecutive 1 s means: the model
     *  heats at most 0.24 K/s and cools at most about 0.25 K/s; noise of 0.4 K per sample moves
     *  a 1 s mean by about 0.13 K. A sensor falling off a 43 C pad into 22 C air shows about
     *  3 K/s; into warmer air less, and the heating watch catches that instead. */
    maxRateKPerS = 1.5
    /** A pad without a fresh sample for this long is switched off (not latched). */
    staleMs = 2000
    /** Consecutive bad samples (10 a second) before a sensor fault is latched; the pad is off
     *  from the first one. Three samples latch well within 1 s yet ignore a single glitch. */
    sensorLatchSamples = 3
    /** Smoothing of readings (exponential, per sample) before the rate check, control and the
     *  other checks: at 10 samples a second a time constant of about 0.3 s, which divides noise
     *  by about 2.5 and delays a real change by 0.3 s. Rail and range checks use raw readings. */
    smoothing = 0.3
    /**
     * How far behind the pad the cutoff's view is, s: the sensor's 3 s lag, half a 1 s block of
     * averaging and up to a block until the check. The cutoff also trips when the last 1 s mean
     * plus its rise over this time reaches `cutoffAheadC`: the pad is that far ahead of what
     * the sensor shows; the model's lag is only approximately a delay, hence 0.2 K of margin
     * under `cutoffC`. The rise is the slope over the last 8 s, or over the last 4 s less
     * `slopeNoiseKPerS` (twice what the noisiest thermistor puts on it) when that is more, and
     * at most what full power can do. A stuck heater without a foot (0.2 K/s) is cut with the
     * pad just under 45 C (the fault matrix: 44.98 C): the slopes are slow to see a climb
     * start. Trusting a shorter slope, or 0.1 K less margin, trips on noise when a pad without
     * a foot first reaches the highest target in a 35 C room (2 of 540 sessions in the heat
     * sweep); at 44.8 C none does.
     */
    sensorLagS = 5
    cutoffAheadC = 44.8
    slopeNoiseKPerS = 0.08
    /**
     * Heating watch, continuous (after Marlin's and Klipper's, but judged on the heat actually
     * delivered), every second over sliding windows: the pad's 1 s mean must rise at least
     * `watchRiseShare` of what the heat its heater got (the share of frames it was on, from
     * the frames this supervisor sees) would raise it with the largest plausible losses, when
     * that expected rise is at least `watchMinExpectedK`, over the last `watchWindowS`
     * seconds; and it must not fall by `fallK` over the last `fallWindowS` seconds while that
     * heat expects a rise of `fallMinExpectedK`. The heat is taken `lagS` seconds earlier than
     * the readings, for the sensor's lag. Otherwise the heater is dead or weak, or the sensor
     * is not on the pad: "heating failed", or "runaway" once the pad had reached its target's
     * band. Windows slide and never restart: a target change, a clear or a new session does
     * not give a failing pad a fresh 20 s.
     *
     * The expected rise comes from the model's pad: `padWatts` into `capacityJPerK`, losing
     * `footWPerK` to a foot at `footC` (no credit when the pad is colder than that) and
     * `airWPerK` to a room no colder than `coldestRoomC`. A healthy pad in any room from 10 C
     * up rises at least that much (its losses are smaller): the share of 0.4 leaves room for
     * the lag being only approximately a delay and for noise (a 20 s rise moves by at most
     * 0.16 K with the noisiest thermistor the supervisor is designed for, 0.35 K a sample), as
     * 1.5 K expected requires 0.6 K. Near its target a pad is heated no more than holding it
     * needs, which expects no rise, so a pad holding or settling is never judged. A dead
     * heater or a sensor reading the air fails within seconds of the controller heating in
     * earnest: full power expects 2.2 K in 20 s even at 40 C in a 10 C room, and 0.44 K in 6 s
     * at 43 C, so a reading that falls 0.3 K meanwhile (a sensor leaving the pad) is caught
     * within 6 s. A sensor that came loose but reads near the target (a room as warm as the
     * target) is caught once the controller has wound up to about 70 %.
     */
    watchWindowS = 20
    watchRiseShare = 0.4
    watchMinExpectedK = 1.5
    fallWindowS = 6
    fallK = 0.3
    fallMinExpectedK = 0.4
    lagS = 3
    /** The model's pad (PadModel), for the heating watch's expected rise. */
    padWatts = 3.6
    capacityJPerK = 15
    footWPerK = 0.15
    footC = 33
    airWPerK = 0.03
    coldestRoomC = 10
    /** The band around a target within which a pad counts as having reached it, K. */
    reachedBandK = 1.5

    /**
     * The rise, K, that `duty` (0..1) of full power over `ms` gives a pad at `tempC` at least,
     * with the largest plausible losses (see watchWindowS).
     */
    expectedRise(duty: number, tempC: number, ms: number): number {
        const foot = tempC > this.footC ? this.footWPerK * (tempC - this.footC) : 0
        const air = this.airWPerK * (tempC - this.coldestRoomC)
        return ((duty * this.padWatts - foot - air) * ms) / 1000 / this.capacityJPerK
    }
    /**
     * Stuck heater: once a pad has been commanded off for `stuckSettleMs`, a mean over its last
     * 4 s that is `stuckRiseK` above the mean over the 4 s before, or over 4 s eight seconds
     * earlier, means it still heats. A stuck 3.6 W heater gains at least 0.5 K in 8 s with a
     * foot on the pad in a 10 C room (0.06 K/s), 0.8 K in 4 s without a foot. A healthy pad commanded off cools, but its sensor
     * still closes the gap its 3 s lag left: up to 0.6 K when the pad climbed at 0.2 K/s (no
     * foot), of which 3 s of settling leave under 0.15 K across the 12 s compared; the
     * noisiest thermistor (0.35 K a sample) moves the difference by 0.08 K (one standard
     * deviation).
     */
    stuckSettleMs = 3000
    stuckRiseK = 0.3
    /** The stuck check applies above body temperature only: below it a pad also warms from the
     *  foot or a hot room without any heater. */
    stuckMinC = 38
    /**
     * After the user clears a pad's fault, the pad stays off this long before it may heat again.
     * A fault whose cause persists latches again within seconds of heat resuming, so a user (or
     * an app retrying) who clears it over and over gives the pad a few seconds of heat a minute
     * at most, not a climb: the pad cools through the hold. A repaired pad heats after a minute.
     */
    clearHoldMs = 60000
    /** Heat never lasts longer than a session: 30 minutes. */
    sessionMaxMs = 1800000
}

/** Fault records kept (latched and cleared), oldest first. */
const MAX_RECORDS = 32

/** 1 s blocks of history per pad: the 20 s heating window, shifted by 3 s of sensor lag, and one. */
const HISTORY = 24
/** The newest block's index in a pad's history. */
const NOW = HISTORY - 1

/** What the supervisor knows of one pad. */
class PadWatch {
    /** Last sample, and the last trusted temperature. */
    lastSampleMs = -1
    tempC = NaN
    /** The current sample is bad, and how many bad ones in a row. */
    bad = false
    badCount = 0
    /**
     * The current 1 s block: readings (sum, count, start) and the heat the pad got in it (ms its
     * heater was on, ms of frames). Then the last HISTORY blocks, newest last (NaN until filled):
     * their mean readings and the share of their frames the heater was on. Blocks drive the
     * rate, stuck, cutoff and heating checks.
     */
    blockStartMs = -1
    blockSum = 0
    blockCount = 0
    blockOnMs = 0
    blockMs = 0
    readonly means: number[] = filledArray(HISTORY, NaN)
    readonly duties: number[] = filledArray(HISTORY, NaN)
    /** Full blocks since the pad was last commanded on (for the stuck check). */
    offBlocks = 0
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
    /** Commanded off since (ms), -1 while commanded on. */
    offSinceMs = -1
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

    /** @param padCount heater pads (one per channel) */
    constructor(
        readonly padCount: number,
        limits?: SafetyLimits
    ) {
        this.limits = limits ? limits : new SafetyLimits()
        for (let p = 0; p < padCount; p++) this.pads.push(new PadWatch())
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
            const w = this.pads[p]
            w.offSinceMs = -1
            w.offBlocks = 0
            w.reached = false
        }
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
            w.rateBadBlocks = 0
        }
        this.masterCut = false
        return n
    }

    /**
     * At boot, before any heat: latches a fault that was latched when the device stopped (kept
     * in flash), as it was, so that only the user's deliberate clear ends it. Pad -1 means all.
     */
    restoreLatched(code: number, pad: number, tMs: number, tempC: number) {
        if (cutsAllHeat(code) || pad < 0) this.masterCut = true
        this.latch(code, pad, tMs, tempC)
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

    /** True when a pad may heat now. */
    padAllowed(pad: number, tMs: number): boolean {
        const w = this.pads[pad]
        return (
            !!w &&
            this.sessionActive &&
            !this.masterCut &&
            !w.latched &&
            tMs >= w.heldUntilMs &&
            !w.bad &&
            !w.rateBad &&
            w.lastSampleMs >= 0 &&
            tMs - w.lastSampleMs <= this.limits.staleMs
        )
    }

    // ---- samples ------------------------------------------------------------------------------

    /** A thermistor sample of a pad: raw 16-bit reading at tMs (ms since boot). */
    onSample(pad: number, raw: number, tMs: number) {
        const w = this.pads[pad]
        if (!w) return
        const L = this.limits
        w.lastSampleMs = tMs
        let code = FaultCode.None
        let temp = NaN
        if (!(raw >= 0 && raw <= ADC_FULL_SCALE)) code = FaultCode.SensorImplausible
        else if (atRail(raw)) code = raw >= ADC_FULL_SCALE / 2 ? FaultCode.SensorOpen : FaultCode.SensorShort
        else {
            const reading = celsiusOf(raw)
            if (!(reading >= L.minPlausibleC && reading <= L.maxPlausibleC))
                code = FaultCode.SensorImplausible
            else {
                temp = w.tempC === w.tempC ? w.tempC + (reading - w.tempC) * L.smoothing : reading
                if (this.addToBlock(w, reading, tMs)) {
                    // a block just closed: the rate between the last two 1 s means. A pad changing
                    // faster than it can is off until the next block; two such blocks latch.
                    const m = w.means
                    const rate = m[NOW] - m[NOW - 1]
                    w.rateBad = rate > L.maxRateKPerS || rate < -L.maxRateKPerS
                    if (!w.rateBad) w.rateBadBlocks = 0
                    else if (++w.rateBadBlocks >= 2) this.latch(FaultCode.SensorImplausible, pad, tMs, temp)
                    if (!w.rateBad) {
                        this.checkStuck(w, pad, tMs, temp)
                        this.checkHeating(w, pad, tMs)
                        this.checkCutoffAhead(w, pad, tMs)
                    }
                }
            }
        }
        if (code !== FaultCode.None) {
            // the pad is off from this sample on; a few in a row latch the fault
            w.bad = true
            w.badCount++
            if (w.badCount >= L.sensorLatchSamples) this.latch(code, pad, tMs, temp)
            return
        }
        w.bad = false
        w.badCount = 0
        w.tempC = temp
        if (temp >= L.cutoffC) {
            this.masterCut = true
            this.latch(FaultCode.Overtemp, pad, tMs, temp)
        }
    }

    /** At a block's end: the heating watch (see SafetyLimits.watchWindowS) on the pad's history. */
    private checkHeating(w: PadWatch, pad: number, tMs: number) {
        const L = this.limits
        const m = w.means
        const d = w.duties
        const mean = m[NOW]
        if (w.target > 0 && mean >= w.target - L.reachedBandK) w.reached = true
        // judged while heat control aims at a target, not while latched or held after a clear
        // (the history goes on: heat given before counts when judging resumes)
        if (w.target <= 0 || w.latched || tMs < w.heldUntilMs) return
        const code = w.reached ? FaultCode.Runaway : FaultCode.HeatingFailed
        const lag = L.lagS
        // the long window: a rise in proportion to the heat given
        const W = L.watchWindowS
        const start = m[NOW - W]
        const first = NOW - lag - W + 1
        if (first >= 0 && start === start && d[first] === d[first]) {
            const expected = L.expectedRise(this.dutyOver(w, first, NOW - lag), mean, W * 1000)
            if (expected >= L.watchMinExpectedK && mean - start < L.watchRiseShare * expected) {
                this.latch(code, pad, tMs, mean)
                return
            }
        }
        // the short window: no fall while heated more than any loss can take
        const F = L.fallWindowS
        const before = m[NOW - F]
        const firstF = NOW - lag - F + 1
        if (firstF >= 0 && before === before && d[firstF] === d[firstF]) {
            const expected = L.expectedRise(this.dutyOver(w, firstF, NOW - lag), mean, F * 1000)
            if (expected >= L.fallMinExpectedK && mean - before <= -L.fallK) this.latch(code, pad, tMs, mean)
        }
    }

    /** The share of frames a pad's heater was on over history blocks from..to (inclusive). */
    private dutyOver(w: PadWatch, from: number, to: number): number {
        let sum = 0
        for (let i = from; i <= to; i++) sum += w.duties[i]
        return sum / (to - from + 1)
    }

    /**
     * The cutoff ahead of the sensor's lag (see SafetyLimits.sensorLagS): the newest mean plus
     * the rise its 8 s slope gives over the lag.
     */
    private checkCutoffAhead(w: PadWatch, pad: number, tMs: number) {
        const L = this.limits
        const m = w.means
        const earlier = m[NOW - 8]
        let slope = earlier === earlier ? (m[NOW] - earlier) / 8 : 0
        // a climb that just began shows in the last 4 s before it moves the 8 s slope; less
        // what noise can put on a 4 s slope (two standard deviations at the noisiest)
        const recent = (m[NOW] - m[NOW - 4]) / 4 - L.slopeNoiseKPerS
        if (recent > slope) slope = recent
        const fastest = L.padWatts / L.capacityJPerK
        if (slope > fastest) slope = fastest
        const rise = slope > 0 ? slope * L.sensorLagS : 0
        if (m[NOW] + rise >= L.cutoffAheadC) {
            this.masterCut = true
            this.latch(FaultCode.Overtemp, pad, tMs, m[NOW])
        }
    }

    /**
     * Adds a reading to the pad's current 1 s block; returns true when that closed a block (its
     * mean and heat are then the newest in the history).
     */
    private addToBlock(w: PadWatch, reading: number, tMs: number): boolean {
        if (w.blockStartMs < 0) w.blockStartMs = tMs
        w.blockSum += reading
        w.blockCount++
        if (tMs - w.blockStartMs < 900) return false
        const m = w.means
        const d = w.duties
        for (let i = 0; i < NOW; i++) {
            m[i] = m[i + 1]
            d[i] = d[i + 1]
        }
        m[NOW] = w.blockSum / w.blockCount
        d[NOW] = w.blockMs > 0 ? w.blockOnMs / w.blockMs : 0
        w.blockSum = 0
        w.blockCount = 0
        w.blockOnMs = 0
        w.blockMs = 0
        w.blockStartMs = -1
        return m[NOW - 1] === m[NOW - 1]
    }

    /** At a block's end: a pad off for a while whose last 4 s are warmer than 4 s or 8 s before is stuck on. */
    private checkStuck(w: PadWatch, pad: number, tMs: number, temp: number) {
        const L = this.limits
        const settled = w.offSinceMs >= 0 && tMs - w.offSinceMs >= L.stuckSettleMs
        // judged whether or not heater power is on: a pad that heats with the master cut open
        // has a stuck cut as well, and that too must be latched and recorded
        if (!settled || temp < L.stuckMinC) {
            w.offBlocks = 0
            return
        }
        w.offBlocks++
        if (w.offBlocks < 8) return
        const m = w.means
        const after = (m[NOW - 3] + m[NOW - 2] + m[NOW - 1] + m[NOW]) / 4
        // 4 s apart catches a fast climb early, 8 s apart a slow one (a foot on the pad in a
        // cold room) surely
        const before4 = (m[NOW - 7] + m[NOW - 6] + m[NOW - 5] + m[NOW - 4]) / 4
        const before8 = w.offBlocks >= 12 ? (m[NOW - 11] + m[NOW - 10] + m[NOW - 9] + m[NOW - 8]) / 4 : after
        if (after - before4 >= L.stuckRiseK || after - before8 >= L.stuckRiseK) {
            this.masterCut = true
            this.latch(FaultCode.StuckOn, pad, tMs, temp)
            w.offBlocks = 0
        }
    }

    /**
     * Latches a fault on a pad and records it. A pad already latched records a further fault
     * only when it is a code not yet latched on it since the last clear (an over-temperature
     * after a sensor fault, say): a flapping connector records each fault once.
     */
    private latch(code: number, pad: number, tMs: number, tempC: number) {
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
        if (dt < 0 || dt > 1000) dt = 0
        this.lastInspectMs = tMs
        if (this.sessionActive && tMs - this.sessionStartMs > L.sessionMaxMs) this.endSession(tMs)
        let heaters = f.heaters
        const session = this.sessionActive && !this.masterCut
        for (let p = 0; p < this.padCount; p++) {
            const bit = 1 << p
            const w = this.pads[p]
            // padAllowed, inline: this runs every frame
            const allowed =
                session &&
                !w.latched &&
                tMs >= w.heldUntilMs &&
                !w.bad &&
                !w.rateBad &&
                w.lastSampleMs >= 0 &&
                tMs - w.lastSampleMs <= L.staleMs
            if (!allowed) heaters &= ~bit
            const on = (heaters & bit) !== 0 && f.heaterPower && !this.masterCut
            w.blockMs += dt
            if (on) {
                w.blockOnMs += dt
                w.offSinceMs = -1
                w.offBlocks = 0
            } else if (w.offSinceMs < 0) w.offSinceMs = tMs
        }
        f.heaters = heaters
        if (this.masterCut || !this.sessionActive) {
            f.heaters = 0
            f.heaterPower = false
        }
    }
}
