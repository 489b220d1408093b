import { DEFAULT_SESSION_MIN, isSessionMinutes } from "./states"
import { MAX_FOCUS_GAIN, MAX_INTENSITY_LEVEL, MIN_INTENSITY_LEVEL } from "../scheduler/intensity"
import { HEAT_HIGH, HEAT_OFF } from "../thermal/heat-control"
import { MAX_ID_LENGTH } from "../pattern/limits"
import { isWholeIn } from "../util/numbers"
import { ZONES_PER_FOOT } from "../util/zones"

/** The built-in pattern a session plays unless the user chose another. */
export const DEFAULT_PATTERN_ID = "gentle-start"

/** Per-zone focus bounds, whole percent (100 = as the pattern says). */
export const MAX_FOCUS_PERCENT = MAX_FOCUS_GAIN * 100

/**
 * What the user chose, as storage saves and restores it (src/storage/user-settings.ts) and the
 * session takes it (`Session.restore`, `Session.settingsInto`). Restoring settings never starts
 * a session. Every field has a default; `isSettings` checks them all.
 */
export class SessionSettings {
    /** The pattern's id (built-in or custom), "" for the default. */
    pattern = ""
    /** The intensity a session starts at, 1..5: the lowest unless the user saved another. */
    intensity = MIN_INTENSITY_LEVEL
    /** Heat level HEAT_OFF..HEAT_HIGH. */
    heat = HEAT_OFF
    /** Focus per zone (heel, arch, ball, toes), whole percent 0..200 (100 = as the pattern says). */
    focus: number[] = [100, 100, 100, 100]
    /** Session length in minutes, 5..30 in steps of 5. */
    minutes = DEFAULT_SESSION_MIN
}

/** True when s (any value) holds settings with every field in range (see SessionSettings). */
export function isSettings(s: any): boolean {
    if (!s) return false
    if (typeof s.pattern !== "string") return false
    if (s.pattern.length > MAX_ID_LENGTH) return false
    if (!isWholeIn(s.intensity, MIN_INTENSITY_LEVEL, MAX_INTENSITY_LEVEL)) return false
    if (!isWholeIn(s.heat, HEAT_OFF, HEAT_HIGH)) return false
    if (!isSessionMinutes(s.minutes)) return false
    const f = s.focus
    if (!Array.isArray(f)) return false
    if (f.length !== ZONES_PER_FOOT) return false
    for (let z = 0; z < ZONES_PER_FOOT; z++) if (!isWholeIn(f[z], 0, MAX_FOCUS_PERCENT)) return false
    return true
}

/** True when v is a focus gain 0..2. */
export function isFocusGain(v: number): boolean {
    return typeof v === "number" && v >= 0 && v <= MAX_FOCUS_GAIN
}

export { isSessionMinutes }
