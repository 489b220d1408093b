import { Frame } from "../frame"
import { FrameGuard } from "../frame-guard"
import { filledArray } from "../numbers"
import { FaultCode, FaultRecord } from "./faults"
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
     *  a 1 s mean by about 0.13 K. A sensor falling off the pad shows 3 K/s and more. */
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
    /** Heating watch: once a pad has been heated this long (on-time) after its target rose, its
     *  reading must have risen `watchRiseK`. 20 s of full power puts 72 J in the pad, about 4 K
     *  on the model; a healthy pad shows at least 2 K even at half power. A dead heater or a
     *  sensor off the pad shows nothing, and the pad has then warmed by at most 5 K. */
    watchOnTimeMs = 20000
    watchRiseK = 1
    /** The watch is armed only when the pad starts at least this far below its target. */
    watchArmBelowK = 2
    /** Runaway: a pad that reached its target (within 1 K) and then sits more than
     *  `runawayBelowK` below it for `runawayMs` while heated. A healthy pad heated at full power
     *  recovers 4 K in about 20 s even from a cold foot. */
    runawayBelowK = 4
    runawayMs = 45000
    /** Stuck heater: once a pad has been commanded off for `stuckSettleMs` (near its target the
     *  sensor's lag carries it on by well under 0.1 K), a mean over 4 s that is `stuckRiseK` above
     *  the mean over the 4 s before means it still heats. A healthy pad commanded off at 43 C
     *  cools about 0.5 K in 4 s; a stuck 3.6 W heater still gains about 0.37 K; noise of 0.33 K
     *  per sample moves the difference of two 4 s means by 0.07 K. */
    stuckSettleMs = 1000
    stuckRiseK = 0.25
    /** The stuck check applies above body temperature only: below it a pad also warms from the
     *  foot or a hot room without any heater. */
    stuckMinC = 38
    /** Heat never lasts longer than a session: 30 minutes. */
    sessionMaxMs = 1800000
}

/** What the supervisor knows of one pad. */
class PadWatch {
    /** Last sample, and the last trusted temperature. */
    lastSampleMs = -1
    tempC = NaN
    /** The current sample is bad, and how many bad ones in a row. */
    bad = false
    badCount = 0
    /** The current 1 s block of readings (sum, count, start), and the means of the last 8 blocks
     *  (newest last; NaN until filled). Blocks drive the rate and stuck checks. */
    blockStartMs = -1
    blockSum = 0
    blockCount = 0
    readonly means: number[] = [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]
    /** Full blocks since the pad was last commanded on (for the stuck check). */
    offBlocks = 0
    /** The last block changed faster than a pad can, and how many blocks in a row did. */
    rateBad = false
    rateBadBlocks = 0
    /** Latched on this pad. */
    latched = false
    /** Target and the heating watch. */
    target = 0
    watchArmed = false
    watchStartC = 0
    watchOnMs = 0
    reached = false
    belowSinceMs = -1
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
    /** Heater power (the master cut closed) in the last frame. */
    private powerOn = false
    /** Every fault latched since boot, oldest first (at most 32: the oldest drop out). */
    readonly records: FaultRecord[] = []
    /** Heaters the supervisor allowed in the last frame (bit c = pad c). */
    allowedMask = 0

    /** @param padCount heater pads (one per channel) */
    constructor(
        readonly padCount: number,
        limits?: SafetyLimits
    ) {
        this.limits = limits ? limits : new SafetyLimits()
        for (let p = 0; p < padCount; p++) this.pads.push(new PadWatch())
    }

    // ---- the user's and heat control's side ---------------------------------------------------

    /** The user started a session: heat may flow (on pads without a latched fault). */
    startSession(tMs: number) {
        this.sessionActive = true
        this.sessionStartMs = tMs
        for (let p = 0; p < this.padCount; p++) {
            const w = this.pads[p]
            w.offSinceMs = -1
            w.offBlocks = 0
        }
    }

    /** The session ended (or timed out): every heater off. */
    endSession(tMs: number) {
        this.sessionActive = false
        for (let p = 0; p < this.padCount; p++) {
            this.pads[p].watchArmed = false
            this.pads[p].reached = false
            this.pads[p].belowSinceMs = -1
        }
    }

    /** True while a session may heat. */
    heating(): boolean {
        return this.sessionActive
    }

    /** Heat control set a pad's target (0 = off): arms the heating watch when the target rose. */
    setTarget(pad: number, targetC: number, tMs: number) {
        const w = this.pads[pad]
        if (!w) return
        const t = targetC > 0 ? targetC : 0
        if (t !== w.target) {
            w.reached = false
            w.belowSinceMs = -1
        }
        if (t > w.target && w.tempC === w.tempC && w.tempC < t - this.limits.watchArmBelowK) {
            w.watchArmed = true
            w.watchStartC = w.tempC
            w.watchOnMs = 0
        }
        if (t === 0) w.watchArmed = false
        w.target = t
    }

    /**
     * The user's deliberate action: clears every latched fault (records stay). A fault whose cause
     * persists latches again at the next sample. Returns how many were cleared.
     */
    clearFaults(tMs: number): number {
        let n = 0
        for (let i = 0; i < this.records.length; i++)
            if (this.records[i].clearedMs < 0) {
                this.records[i].clearedMs = tMs
                n++
            }
        for (let p = 0; p < this.padCount; p++) {
            this.pads[p].latched = false
            this.pads[p].badCount = 0
            this.pads[p].rateBadBlocks = 0
        }
        this.masterCut = false
        return n
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
        if (!(raw >= 0 && raw <= ADC_FULL_SCALE) || atRail(raw))
            code = raw >= ADC_FULL_SCALE / 2 ? FaultCode.SensorOpen : FaultCode.SensorShort
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
                    const rate = m[7] - m[6]
                    w.rateBad = rate > L.maxRateKPerS || rate < -L.maxRateKPerS
                    if (!w.rateBad) w.rateBadBlocks = 0
                    else if (++w.rateBadBlocks >= 2 && !w.latched)
                        this.latch(FaultCode.SensorImplausible, pad, tMs, temp)
                    if (!w.rateBad) this.checkStuck(w, pad, tMs, temp)
                }
            }
        }
        if (code !== FaultCode.None) {
            // the pad is off from this sample on; a few in a row latch the fault
            w.bad = true
            w.badCount++
            if (w.badCount >= L.sensorLatchSamples && !w.latched) this.latch(code, pad, tMs, temp)
            return
        }
        w.bad = false
        w.badCount = 0
        w.tempC = temp
        if (temp >= L.cutoffC) {
            this.masterCut = true
            this.latch(FaultCode.Overtemp, pad, tMs, temp)
        }
        // the heating watch: heated long enough, yet no rise
        if (w.watchArmed) {
            if (temp - w.watchStartC >= L.watchRiseK) w.watchArmed = false
            else if (w.watchOnMs >= L.watchOnTimeMs) {
                w.watchArmed = false
                this.latch(FaultCode.HeatingFailed, pad, tMs, temp)
            }
        }
        // runaway: far below a target it had reached, for too long, while allowed to heat
        if (w.target > 0 && this.sessionActive) {
            if (temp >= w.target - 1) w.reached = true
            if (w.reached && temp < w.target - L.runawayBelowK && this.padAllowed(pad, tMs)) {
                if (w.belowSinceMs < 0) w.belowSinceMs = tMs
                else if (tMs - w.belowSinceMs >= L.runawayMs) {
                    w.belowSinceMs = -1
                    this.latch(FaultCode.Runaway, pad, tMs, temp)
                }
            } else w.belowSinceMs = -1
        }
    }

    /**
     * Adds a reading to the pad's current 1 s block; returns true when that closed a block (its
     * mean is then means[7]).
     */
    private addToBlock(w: PadWatch, reading: number, tMs: number): boolean {
        if (w.blockStartMs < 0) w.blockStartMs = tMs
        w.blockSum += reading
        w.blockCount++
        if (tMs - w.blockStartMs < 900) return false
        const m = w.means
        for (let i = 0; i < 7; i++) m[i] = m[i + 1]
        m[7] = w.blockSum / w.blockCount
        w.blockSum = 0
        w.blockCount = 0
        w.blockStartMs = -1
        return m[6] === m[6]
    }

    /** At a block's end: a pad off for a while whose last 4 s are warmer than the 4 s before is stuck on. */
    private checkStuck(w: PadWatch, pad: number, tMs: number, temp: number) {
        const L = this.limits
        const settled = w.offSinceMs >= 0 && tMs - w.offSinceMs >= L.stuckSettleMs
        if (!this.powerOn || !settled || temp < L.stuckMinC) {
            w.offBlocks = 0
            return
        }
        w.offBlocks++
        if (w.offBlocks < 8) return
        const m = w.means
        const before = (m[0] + m[1] + m[2] + m[3]) / 4
        const after = (m[4] + m[5] + m[6] + m[7]) / 4
        if (after - before >= L.stuckRiseK) {
            this.masterCut = true
            this.latch(FaultCode.StuckOn, pad, tMs, temp)
            w.offBlocks = 0
        }
    }

    /** Latches a fault on a pad and records it (a pad already latched keeps its first record). */
    private latch(code: number, pad: number, tMs: number, tempC: number) {
        if (pad >= 0 && this.pads[pad]) {
            if (this.pads[pad].latched) return
            this.pads[pad].latched = true
        }
        if (this.records.length >= 32) this.records.shift()
        this.records.push(new FaultRecord(code, pad, tMs, tempC))
    }

    // ---- frames -------------------------------------------------------------------------------

    /** Vetoes a frame: clears the bits of pads that may not heat, opens the master cut if needed. */
    inspect(f: Frame, tMs: number) {
        const L = this.limits
        let dt = this.lastInspectMs < 0 ? 0 : tMs - this.lastInspectMs
        if (dt < 0 || dt > 1000) dt = 0
        this.lastInspectMs = tMs
        if (this.sessionActive && tMs - this.sessionStartMs > L.sessionMaxMs) this.endSession(tMs)
        let allowed = 0
        let heaters = f.heaters
        const session = this.sessionActive && !this.masterCut
        for (let p = 0; p < this.padCount; p++) {
            const bit = 1 << p
            const w = this.pads[p]
            // padAllowed, inline: this runs every frame
            if (
                session &&
                !w.latched &&
                !w.bad &&
                !w.rateBad &&
                w.lastSampleMs >= 0 &&
                tMs - w.lastSampleMs <= L.staleMs
            )
                allowed |= bit
            else heaters &= ~bit
            const on = (heaters & bit) !== 0 && f.heaterPower && !this.masterCut
            if (on) {
                if (w.watchArmed) w.watchOnMs += dt
                w.offSinceMs = -1
                w.offBlocks = 0
            } else if (w.offSinceMs < 0) w.offSinceMs = tMs
        }
        f.heaters = heaters
        if (this.masterCut || !this.sessionActive) {
            f.heaters = 0
            f.heaterPower = false
        }
        this.powerOn = f.heaterPower
        this.allowedMask = allowed
    }
}
