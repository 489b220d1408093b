/**
 * Limits on pattern data. They bound memory (a compiled pattern lives in a 64 KB VM heap next
 * to everything else) and keep every accepted pattern playable at the frame rate.
 */

/** Most keyframes in one zone's track or in the envelope. */
export const MAX_KEYFRAMES = 32

/** Longest pattern pass: 10 minutes. */
export const MAX_DURATION_MS = 600000

/** Shortest pattern pass. */
export const MIN_DURATION_MS = 100

/** Longest envelope: 60 minutes (longer than any session). */
export const MAX_ENVELOPE_MS = 3600000

/** Longest wave period. */
export const MAX_WAVE_PERIOD_MS = 60000

/** A wave needs at least this many frames per period to be rendered, not aliased. */
export const MIN_FRAMES_PER_WAVE = 4

/** Longest id, name, description and reason. */
export const MAX_ID_LENGTH = 24
export const MAX_NAME_LENGTH = 32
export const MAX_DESCRIPTION_LENGTH = 120
export const MAX_REASON_LENGTH = 200

/** Shortest wave period at a given frame period. */
export function minWavePeriodMs(framePeriodMs: number): number {
    return MIN_FRAMES_PER_WAVE * framePeriodMs
}

/**
 * The slowest slew limit the scheduler may be configured with: a full swing (0 to 255) in this
 * many ms. The wave rule below assumes it, and the scheduler's config check refuses a slower one,
 * so every pattern the validator accepts plays under any accepted config.
 */
export const MAX_SLEW_FULL_SCALE_MS = 120

/**
 * The wave rule: what the slew limit lets through unchanged. Take a wave at full intensity
 * (gain 1): it swings over `swing` = level x depth of full scale, and the slew limit covers a
 * full swing in MAX_SLEW_FULL_SCALE_MS (T). A wave is accepted when
 * - sine: its steepest slope fits: period >= pi x swing x T;
 * - triangle: period >= 2 x swing x T;
 * - square and pulse: the slew limit turns each jump into a ramp of swing x T ms, and each
 *   stretch (on and off) must last at least that long, so the output reaches both levels every
 *   period whatever it played before;
 * - ramp: its rise fits (period >= swing x T) and its drop, played as a fall at the slew limit,
 *   takes at most a quarter of the period (period >= 4 x swing x T).
 * Under these rules the slew-limited output equals the wave (sine, triangle) or reaches its
 * every level each period (square, pulse), independent of history after one period. Derating
 * that remains, by design: a focus boost above 1 (up to MAX_FOCUS_GAIN) and an overlay or a
 * crossfade adding to a layer steepen the sum, and the slew limit then rounds it; the result is
 * still a pure function of the intent script.
 * @returns the shortest period in ms, for a shape, a swing 0..1 and (pulse) a duty
 */
export function minSlewPeriodMs(shape: string, swing: number, duty: number): number {
    const t = swing * MAX_SLEW_FULL_SCALE_MS
    if (shape === "sine") return 3.141592653589793 * t
    if (shape === "triangle") return 2 * t
    if (shape === "square") return 2 * t
    if (shape === "pulse") return t / (duty < 0.5 ? duty : 1 - duty)
    return 4 * t
}
