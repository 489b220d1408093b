/**
 * Intensity: five user levels and a fine trim. Levels are spaced evenly from 36% to 100%:
 * ERM motors barely move below about a third of full drive, and equal steps above that feel
 * like equal steps to the foot.
 */

/** Lowest and highest intensity level. */
export const MIN_INTENSITY_LEVEL = 1
export const MAX_INTENSITY_LEVEL = 5

/** Gain of an intensity level 1..5 (clamped). */
export function intensityGain(level: number): number {
    let l = Math.floor(level)
    if (!(l >= MIN_INTENSITY_LEVEL)) l = MIN_INTENSITY_LEVEL
    if (l > MAX_INTENSITY_LEVEL) l = MAX_INTENSITY_LEVEL
    return 0.36 + ((l - 1) * 0.64) / 4
}

/** Largest per-zone focus gain: a sore zone may get up to twice its pattern level (clipped at full). */
export const MAX_FOCUS_GAIN = 2
