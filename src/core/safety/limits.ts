import { MEDIAN_SAMPLES } from "../physics/sensor-filter"

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
     *  from the first one. Three samples latch well within 1 s yet ignore a burst of two. */
    sensorLatchSamples = 3
    /** Samples the readings' median spans (physics/sensor-filter.ts): every rule but the rail
     *  and range checks sees medians, so a spike of one or two samples reaches none of them. */
    medianSamples = MEDIAN_SAMPLES
    /** A 1 s block closes with the first sample at least this long after its first one: ten
     *  samples 100 ms apart span 900 ms. */
    blockMs = 900
    /** Blocks in a row changing faster than `maxRateKPerS` that latch "implausible" (one turns
     *  the pad off until the next block). */
    rateLatchBlocks = 2
    /** Samples in a row at or over `cutoffC` that trip the cutoff: no cutoff on one sample; with
     *  the median's 2-sample delay a real over-temperature is acted on within 0.5 s. */
    cutoffSamples = 3
    /**
     * Cross-check of the two thermistors of a pad (control and protection, on different ADC
     * chips), on their 1 s means of medians: more apart than `crossBandK` turns the pad off
     * until they agree again; `crossLatchBlocks` such blocks in a row latch "sensors disagree".
     * Two healthy sensors on one pad differ by their tolerance (0.5 % parts: 0.2 K each at
     * 43 C), their lag mismatch (0.3 s at the fastest climb, 0.24 K/s: 0.07 K) and noise (200
     * counts a sample at the design limit: 0.35 K a sample, 0.11 K on a mean of ten, 0.16 K on
     * a difference, 0.65 K at 4 sigma): 1.1 K at the very worst. The band is 1.2 K: a control
     * sensor reading up to 1.2 K low holds its pad at most 44.2 C true at the 43 C target.
     */
    crossBandK = 1.2
    crossLatchBlocks = 3
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
     * at most what full power can do. Alone, it cut a stuck heater without a foot (0.2 K/s)
     * with the pad at 44.98-45.01 C: the slopes are slow to see a climb start; the stuck check
     * (stuckLagS) now cuts it first, and this stands behind it where noise makes that slow.
     * Trusting a shorter slope, or 0.1 K less margin, trips on noise when a pad without
     * a foot first reaches the highest target in a 35 C room (2 of 540 sessions in the heat
     * sweep); at 44.8 C none does.
     */
    sensorLagS = 5
    cutoffAheadC = 44.8
    slopeNoiseKPerS = 0.08
    /** The long and the short slope of the cutoff ahead, s (see sensorLagS). */
    cutoffSlopeLongS = 8
    cutoffSlopeShortS = 4
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
    /**
     * Holding-power check: the heating watch over a minute. A pad held at its reading by more
     * power than the model's largest losses can take at that reading (a foot at 33 C, the
     * coldest room) must be warming; if its reading does not rise `holdRiseShare` of what that
     * power gives when that is at least `holdMinExpectedK`, its sensor reads lower than the pad
     * ("runaway"). It needs no second sensor: a pad 5 K hotter than its reading of 43 C,
     * with a foot in a 22 C room, takes 3.0 W where 2.5 W is the most a 43 C pad can lose: 1.4 K
     * expected in 40 s (the window is 40 s, not a minute, for the VM's memory: 8 pads x 44 packed
     * blocks). (The cross-check catches far smaller offsets; this check stands where
     * both readings are low alike.) A healthy pad held at its target needs at most the largest
     * losses: it expects no rise and is never judged.
     */
    holdWindowS = 40
    holdRiseShare = 0.4
    holdMinExpectedK = 1.2
    /**
     * Foot presence from the holding power: over the holding window, the power a pad loses
     * (the heat let through minus what warmed it: duty x padWatts - capacityJPerK x rise / s)
     * against the model's two bounds at the window's mean temperature T (losses grow in
     * proportion to it, so a window that spans a heat-up is judged at its middle, not at its
     * newest reading): a bare pad loses at most airWPerK x (T - coldestRoomC), a pad with a
     * foot at least footWPerK x (T - footC) + airWPerK x (T - warmestRoomC). Halfway between is
     * the line. The bounds part only above about 38 C (the foot is at 33 C), so a pad is judged
     * from a window mean of `footJudgeMinC` up: at 39 C a bare pad loses at most 0.87 W, a pad
     * with a foot at least 1.02 W (the noise of the estimate at the design limit is about
     * 0.06 W; at 39.5 C, 13 of 120 feet put back in a 35 C room were never found, the pad
     * held under it by the foot). `footBlocks` judgements in a row against the current
     * one change it. A pad judged bare is held at `bareTargetC` (less heat without a foot; still
     * judged there, so a foot put back is found and the level's target returns).
     */
    footJudgeMinC = 39
    footBlocks = 10
    bareTargetC = 40
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
     * Stuck heater, judged every second on heat this supervisor did not let through, on both
     * sensors of a pad (docs/heat-safety.md, "The stuck heater"). The physics: above
     * `stuckMinC` a pad is warmer than any foot and any room of the design range (10 C to
     * `warmestRoomC`), so it warms only from its heater: dT/dt <= (padWatts x stuckHeatShare x
     * share - airWPerK x (T - warmestRoomC)) / capacityJPerK, `share` being that of the frames
     * this supervisor let heat (a foot only takes more). A thermistor follows the pad with a
     * first-order lag, so its reading's rate is the pad's rate lagged: after heat stops, the
     * most it still rises by decays as exp(-t / lag) from the rate before. The supervisor carries
     * that bound forward block by block (PadWatch.riseKPerS). Of each sensor's 1 s means it keeps
     * a fast and a slow average (weights `stuckFast`, `stuckSlow` a block), each carried forward
     * by the bound: readings that rise no faster than the bound never put the fast one ahead but
     * by noise (noise-free, never more than 0.0001 K in the heat sweep), readings that outrun it
     * by v K/s put it 2.3 v ahead once steady. A stuck switch gives full power where the frames
     * gave 0-20 %: the readings outrun the bound by up to 0.2 K/s within 3 s. Both sensors'
     * fast averages ahead by `stuckRiseK`, and by `stuckNoiseShare` times the pad's noise when
     * that is more, latch "stuck" (one sensor's own fault, a step or a drift, moves only one:
     * the cross-check's to catch).
     *
     * Noise: the fast-minus-slow difference of white noise is 0.39 sigma, sigma being the noise
     * of one sensor's 1 s mean (0.12 K at the design limit of 200 counts, 0.012 K at 20). The
     * noise is measured on the pad, from how much the difference of its two sensors' 1 s means
     * moves from one block to the next (the pad they share drops out), as an estimate quick to
     * rise and slow to fall (`noiseUp`, `noiseDown` a block) from `noiseStartK` at boot: on
     * 40,000 blocks at 20 and at 200 counts it sat at 1.28 sigma (median), above 0.96 sigma 99 %
     * of the time, never under 0.79 sigma. So the limit is 5.0 standard deviations of each
     * sensor's difference (3.7 at the estimate's 1 % low, 3.1 at its lowest); the two sensors'
     * noise is independent (different ADC chips): both at once, under 1e-12 a check (1e-8 at
     * the 1 % low). The heat sweep's healthy pads came no closer than 0.60 of the noise (40 % of
     * the limit), 0.82 with every heater 20 % stronger than the model's.
     *
     * Measured on the rig at 20 counts: the family's stuck switches are latched at 44.38 C at
     * most (45.01 C before); 1,020 injection times from 20 s to 240 s (rooms 10/22/35 C, foot
     * on and off, high) 44.79 C at most (45.29 C before): a switch sticking during the first
     * approach, hidden by heat control's own full heat until its pad is switched off. At 100
     * counts 45.06 C, at 200 counts 45.39 C (45.27 and 45.40 C before): through that much noise
     * the check needs 7 s or more and the cutoff ahead trips first.
     */
    /** The lag the bound decays with, s: the model's sensors have 3.0 and 3.3 s; a longer lag
     *  decays slower, so the bound also holds for a sensor up to 20 % slower. */
    stuckLagS = 4
    /** Weights of the fast and the slow average, per 1 s block. */
    stuckFast = 0.6
    stuckSlow = 0.25
    /** The least lead judged, K: readings outrunning the bound by 0.02 K/s, a tenth of a stuck
     *  switch's climb (quiet sensors are not judged on the model's exactness alone). */
    stuckRiseK = 0.05
    /** The lead judged, in units of the pad's noise estimate (see above). */
    stuckNoiseShare = 1.5
    /** The noise estimate at boot, K: a 1 s mean at the design limit (a restart may come in
     *  the middle of heat); and its weights a block, rising and falling. */
    noiseStartK = 0.12
    noiseUp = 0.125
    noiseDown = 0.03125
    /** The warmest room of the design range, C: a pad at T loses at least airWPerK x (T - it). */
    warmestRoomC = 35
    /** The heat a pad may get over the model's: a supply 10 % high gives 21 % more power, and a
     *  lighter pad climbs faster. */
    stuckHeatShare = 1.25
    /** A frame later than this after the one before, ms: the heaters held the earlier frame that
     *  long, unseen, and the bound starts again from full heat. */
    stuckGapMs = 250
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
    /** A gap between two frames longer than this (a stalled loop) credits no heater time: the
     *  heating watch never counts heat it did not see delivered. */
    maxFrameGapMs = 1000

    /** 1 s blocks of history a pad keeps: the longest window, shifted by the sensor's lag, and one. */
    historyBlocks(): number {
        const w = this.holdWindowS > this.watchWindowS ? this.holdWindowS : this.watchWindowS
        return w + this.lagS + 1
    }
}
