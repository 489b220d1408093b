import { SessionSettings, isSettings } from "../core/session/settings"
import { readJson, writeJson } from "./kv"

/** The setting that holds the user's last choices. */
export const USER_SETTINGS_KEY = "userSettings"

/**
 * Reads the stored form back: the settings (defaults when `v` is undefined: nothing stored), or
 * null when anything in it is malformed or out of range (the caller falls back to defaults for
 * all of it: a half-read setting would mislead). Never throws.
 */
export function decodeUserSettings(v: any): SessionSettings {
    const s = new SessionSettings()
    if (v === undefined) return s
    if (v === null) return null
    if (typeof v !== "object") return null
    if (Array.isArray(v)) return null
    s.pattern = v.p
    s.intensity = v.i
    s.heat = v.h
    s.minutes = v.m
    s.focus = v.f
    if (!isSettings(s)) return null
    s.focus = [v.f[0], v.f[1], v.f[2], v.f[3]]
    return s
}

/** The stored form (short keys: it must stay under the value limit). */
export function encodeUserSettings(s: SessionSettings): any {
    return { p: s.pattern, i: s.intensity, h: s.heat, f: s.focus, m: s.minutes }
}

/**
 * Reads `key` through `decode` (which takes undefined for "nothing stored" and answers null for
 * unreadable data): [value, ok]; ok false (logged with `lost`) when the stored value was
 * unreadable and the default (`decode(undefined)`) is used.
 */
export async function loadStored(key: string, decode: (v: any) => any, lost: string): Promise<any[]> {
    let v: any = null
    try {
        v = await readJson(key)
    } catch (e) {
        v = null
    }
    const s = decode(v)
    if (s) return [s, true]
    console.log("storage: " + lost)
    return [decode(undefined), false]
}

/** Loads the settings: [settings, ok]; ok false when stored ones were unreadable (defaults used). */
export async function loadUserSettings(): Promise<any[]> {
    return await loadStored(
        USER_SETTINGS_KEY,
        decodeUserSettings,
        "the saved settings are unreadable; defaults are used"
    )
}

/** Saves the settings. */
export async function saveUserSettings(s: SessionSettings) {
    await writeJson(USER_SETTINGS_KEY, encodeUserSettings(s))
}
