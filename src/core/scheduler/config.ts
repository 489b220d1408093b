import { MAX_FEET, ZONES_PER_FOOT } from "../util/zones"
import { isFiniteNumber } from "../util/numbers"
import { MAX_SLEW_FULL_SCALE_MS } from "../pattern/limits"

/**
 * Fixed settings of the frame scheduler: set at boot from the board and the user's settings,
 * never changed during a session.
 */
export interface SchedulerConfig {
    /** Feet the device drives: 1 or 2 (4 zones each). */
    feet: number
    /** Frame period in whole milliseconds (frame k covers t = k * framePeriodMs). */
    framePeriodMs: number
    /** Length of the crossfade when the pattern changes. */
    crossfadeMs: number
    /** Ramp from silence to full level when a session starts or resumes. */
    softStartMs: number
    /** Ramp from full level to silence when a session stops or pauses. */
    softStopMs: number
    /**
     * Shortest time a vibration level may take to swing from 0 to full (slew limit); at most
     * MAX_SLEW_FULL_SCALE_MS, which the pattern validator's wave rule assumes.
     */
    slewFullScaleMs: number
    /** Heater window in frames: each heater's duty is sliced into on/off frames within it. */
    heaterWindowFrames: number
    /** Most heaters on in any one frame. */
    maxHeatersOn: number
    /** Current the supply may deliver to heaters and motors together, in mA. */
    budgetMilliamps: number
    /** Current of one heater pad when on, in mA. */
    heaterMilliamps: number
    /** Current of one vibration motor at full level, in mA (taken as proportional to level). */
    motorMilliamps: number
}

/**
 * Defaults. The frame period: 20 ms (50 Hz). The VM sends at most 50 packets a second in
 * total (a token bucket in the runtime: 20 ms a packet, bursts of 5; `npm run bench` measures
 * it), so frames travel two per write (25 writes a second, see wire.ts): half of the packet
 * budget stays free for telemetry and the LED. The heater window is 1 s (50 frames).
 * Power: a 12 V, 3 A supply with 2.8 A for the outputs. Six pads on together (1.8 A) plus every
 * motor at full (0.96 A) stay within it, so no frame needs its current added up; six of eight
 * pads give each pad up to 75 % duty when all heat, enough to hold 43 C under a foot (60 %).
 */
export const DEFAULT_CONFIG: SchedulerConfig = {
    feet: 2,
    framePeriodMs: 20,
    crossfadeMs: 750,
    softStartMs: 2000,
    softStopMs: 1500,
    slewFullScaleMs: 120,
    heaterWindowFrames: 50,
    maxHeatersOn: 6,
    budgetMilliamps: 2800,
    heaterMilliamps: 300,
    motorMilliamps: 120,
}

/** A copy of the defaults with some fields changed. */
export function makeConfig(changes: any): SchedulerConfig {
    const c: SchedulerConfig = {
        feet: DEFAULT_CONFIG.feet,
        framePeriodMs: DEFAULT_CONFIG.framePeriodMs,
        crossfadeMs: DEFAULT_CONFIG.crossfadeMs,
        softStartMs: DEFAULT_CONFIG.softStartMs,
        softStopMs: DEFAULT_CONFIG.softStopMs,
        slewFullScaleMs: DEFAULT_CONFIG.slewFullScaleMs,
        heaterWindowFrames: DEFAULT_CONFIG.heaterWindowFrames,
        maxHeatersOn: DEFAULT_CONFIG.maxHeatersOn,
        budgetMilliamps: DEFAULT_CONFIG.budgetMilliamps,
        heaterMilliamps: DEFAULT_CONFIG.heaterMilliamps,
        motorMilliamps: DEFAULT_CONFIG.motorMilliamps,
    }
    if (changes) {
        const keys = Object.keys(changes)
        for (let i = 0; i < keys.length; i++) (c as any)[keys[i]] = changes[keys[i]]
    }
    return c
}

function checkInt(c: any, key: string, lo: number, hi: number): string {
    const v = c[key]
    if (!isFiniteNumber(v) || Math.floor(v) !== v) return `config.${key}: must be a whole number (got ${v})`
    if (v < lo || v > hi) return `config.${key}: must be within ${lo}..${hi} (got ${v})`
    return null
}

/**
 * Checks a configuration; returns null when it is usable, else a message naming the field and
 * the rule. Never throws.
 */
export function checkConfig(config: SchedulerConfig): string {
    const c: any = config
    if (!c || typeof c !== "object") return "config: must be an object"
    const rules: any[] = [
        ["feet", 1, MAX_FEET],
        ["framePeriodMs", 5, 200],
        ["crossfadeMs", 0, 10000],
        ["softStartMs", 0, 10000],
        ["softStopMs", 0, 10000],
        ["slewFullScaleMs", 0, MAX_SLEW_FULL_SCALE_MS],
        ["heaterWindowFrames", 4, 500],
        ["maxHeatersOn", 0, MAX_FEET * ZONES_PER_FOOT],
        ["budgetMilliamps", 0, 100000],
        ["heaterMilliamps", 1, 10000],
        ["motorMilliamps", 0, 10000],
    ]
    for (let i = 0; i < rules.length; i++) {
        const r = rules[i]
        const e = checkInt(c, r[0], r[1], r[2])
        if (e) return e
    }
    return null
}
