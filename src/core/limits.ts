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
