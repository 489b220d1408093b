import {
    MAX_DESCRIPTION_LENGTH,
    MAX_DURATION_MS,
    MAX_ENVELOPE_MS,
    MAX_ID_LENGTH,
    MAX_KEYFRAMES,
    MAX_NAME_LENGTH,
    MAX_REASON_LENGTH,
    MAX_WAVE_PERIOD_MS,
    MIN_DURATION_MS,
    MAX_SLEW_FULL_SCALE_MS,
    minSlewPeriodMs,
    minWavePeriodMs,
} from "./limits"
import { isFiniteNumber, isWholeIn } from "../util/numbers"
import { WAVE_SHAPES } from "./waves"
import { ZONE_NAMES, zoneIndex } from "../util/zones"

/*
 * The pattern validator. It guards patterns that users upload, so it must answer every input
 * (any JSON value, or worse) with either null (valid) or one clear message naming the field and
 * the rule, and never throw. Everything it accepts, the compiler and the scheduler can play.
 * Each check answers null (fine) or its message, so the checks chain with `||`.
 */

const PATTERN_KEYS = [
    "id",
    "name",
    "description",
    "reason",
    "durationMs",
    "loop",
    "footOffsetMs",
    "envelope",
    "zones",
]
const ZONE_KEYS = ["level", "keyframes", "ease", "delayMs", "wave"]
const WAVE_KEYS = ["shape", "periodMs", "phase", "depth", "duty"]

/** True for an object that is not null and not a list. */
function isObject(v: any): boolean {
    if (v === null || v === undefined || typeof v !== "object") return false
    return !Array.isArray(v)
}

/** `obj` as an object with only `allowed` keys: null, or the message. */
function checkObject(obj: any, allowed: string[], path: string): string {
    if (!isObject(obj)) return `${path}: must be an object (got ${describe(obj)})`
    const keys = Object.keys(obj)
    for (let i = 0; i < keys.length; i++)
        if (allowed.indexOf(keys[i]) < 0)
            return `${path}.${keys[i]}: unknown field (allowed: ${allowed.join(", ")})`
    return null
}

function checkWholeMs(v: any, path: string, lo: number, hi: number): string {
    if (!isFiniteNumber(v)) return `${path}: must be a number of milliseconds (got ${describe(v)})`
    if (Math.floor(v) !== v) return `${path}: must be a whole number of milliseconds (got ${v})`
    if (v < lo || v > hi) return `${path}: must be within ${lo}..${hi} ms (got ${v})`
    return null
}

function checkFraction(v: any, path: string, lo: number, hi: number): string {
    if (!isFiniteNumber(v)) return `${path}: must be a number within ${lo}..${hi} (got ${describe(v)})`
    if (v < lo || v > hi) return `${path}: must be within ${lo}..${hi} (got ${v})`
    return null
}

/** checkWholeMs (`ms`) or checkFraction of the optional field `o[key]` (path `path.key`). */
function optional(o: any, key: string, path: string, ms: boolean, lo: number, hi: number): string {
    const v = o[key]
    if (v === undefined) return null
    return ms ? checkWholeMs(v, path + "." + key, lo, hi) : checkFraction(v, path + "." + key, lo, hi)
}

function checkText(v: any, path: string, required: boolean, max: number): string {
    if (v === undefined) if (!required) return null
    if (typeof v !== "string") return `${path}: must be text (got ${describe(v)})`
    if (required) if (v.length === 0) return `${path}: must not be empty`
    if (v.length > max) return `${path}: must be at most ${max} characters (got ${v.length})`
    return null
}

function checkId(v: any): string {
    const e = checkText(v, "pattern.id", true, MAX_ID_LENGTH)
    if (e) return e
    const s: string = v
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i)
        // lowercase letters (97..122), digits (48..57) and dashes (45)
        if (c !== 45 && !isWholeIn(c, 97, 122) && !isWholeIn(c, 48, 57))
            return `pattern.id: only lowercase letters, digits and dashes are allowed (got "${s}")`
    }
    return null
}

/** A short description of a bad value for messages. */
function describe(v: any): string {
    if (v === null) return "null"
    if (v === undefined) return "nothing"
    if (Array.isArray(v)) return "a list"
    if (typeof v === "number") return isNaN(v) ? "NaN" : "" + v
    if (typeof v === "string") return `"${v}"`
    return "a" + (typeof v === "object" ? "n object" : " " + typeof v)
}

/**
 * Checks keyframes [t, level] when there are any (`v` not undefined): a non-empty list of at most
 * MAX_KEYFRAMES, whole ms times within 0..maxT strictly increasing, levels within 0..1.
 */
function checkKeyframes(v: any, path: string, maxT: number): string {
    if (v === undefined) return null
    if (!Array.isArray(v)) return `${path}: must be a list of [time ms, level] pairs (got ${describe(v)})`
    const list: any[] = v
    if (list.length === 0) return `${path}: must hold at least one keyframe`
    if (list.length > MAX_KEYFRAMES)
        return `${path}: too many keyframes (${list.length}; at most ${MAX_KEYFRAMES})`
    let last = -1
    for (let i = 0; i < list.length; i++) {
        const kf = list[i]
        // the common case, all well, without building a message: loading must stay cheap
        let ok = false
        if (Array.isArray(kf))
            if (kf.length === 2) if (isWholeIn(kf[0], last + 1, maxT)) ok = isFraction(kf[1])
        if (!ok) {
            // the message for a keyframe that failed
            const p = `${path}[${i}]`
            if (!Array.isArray(kf) || kf.length !== 2)
                return `${p}: must be a [time ms, level] pair (got ${describe(kf)})`
            let e = checkWholeMs(kf[0], p + " time", 0, maxT)
            if (!e) e = checkFraction(kf[1], p + " level", 0, 1)
            return e ? e : `${p} time: times must increase (${kf[0]} after ${last})`
        }
        last = kf[0]
    }
    return null
}

/** True for a number within 0..1. */
function isFraction(v: any): boolean {
    if (typeof v !== "number") return false
    return v >= 0 && v <= 1
}

/**
 * @param level the zone's highest level (its constant level, or its highest keyframe)
 */
function checkWave(w: any, path: string, framePeriodMs: number, level: number): string {
    let e = checkObject(w, WAVE_KEYS, path)
    if (e) return e
    const shape = w.shape
    if (typeof shape !== "string" || WAVE_SHAPES.indexOf(shape) < 0)
        return `${path}.shape: must be one of ${WAVE_SHAPES.join(", ")} (got ${describe(shape)})`
    const period = w.periodMs
    const minPeriod = minWavePeriodMs(framePeriodMs)
    if (isFiniteNumber(period))
        if (period < minPeriod)
            if (period > 0)
                return `${path}.periodMs: ${period} ms is too short to render at ${framePeriodMs} ms frames (at least ${minPeriod} ms)`
    e = checkWholeMs(period, path + ".periodMs", minPeriod, MAX_WAVE_PERIOD_MS)
    if (e) return e
    e = optional(w, "phase", path, false, 0, 1)
    if (e) return e
    e = optional(w, "depth", path, false, 0, 1)
    if (e) return e
    let duty = w.duty
    if (duty === undefined) duty = 0.25
    else {
        if (shape !== "pulse") return `${path}.duty: only a pulse has a duty (shape is ${shape})`
        e = checkFraction(duty, path + ".duty", 0.05, 0.95)
        if (e) return e
    }
    // what the slew limit can play (limits.ts, minSlewPeriodMs)
    let depth = w.depth
    if (depth === undefined) depth = 1
    const minSlew = Math.ceil(minSlewPeriodMs(shape, level * depth, duty))
    if (period < minSlew)
        return `${path}.periodMs: ${period} ms is too fast for the slew limit (a full swing takes ${MAX_SLEW_FULL_SCALE_MS} ms): a ${shape} of depth ${depth} at level ${level} needs at least ${minSlew} ms`
    return null
}

function checkZone(z: any, path: string, durationMs: number, framePeriodMs: number): string {
    let e = checkObject(z, ZONE_KEYS, path)
    if (e) return e
    const kfs = z.keyframes
    if (z.level !== undefined)
        if (kfs !== undefined) return `${path}: give either level or keyframes, not both`
    e = optional(z, "level", path, false, 0, 1)
    if (e) return e
    e = checkKeyframes(kfs, path + ".keyframes", durationMs)
    if (e) return e
    const ease = z.ease
    if (ease !== undefined && ease !== "linear" && ease !== "smooth")
        return `${path}.ease: must be "linear" or "smooth" (got ${describe(ease)})`
    e = optional(z, "delayMs", path, true, 0, durationMs)
    if (e) return e
    if (z.wave === undefined) return null
    // the zone's highest level: its constant level, or its highest keyframe
    let level = z.level
    if (level === undefined) level = 1
    if (kfs !== undefined) {
        level = 0
        for (let i = 0; i < kfs.length; i++) if (kfs[i][1] > level) level = kfs[i][1]
    }
    return checkWave(z.wave, path + ".wave", framePeriodMs, level)
}

/**
 * Checks a pattern (any value, typically parsed JSON) against every rule the scheduler relies
 * on. Returns null when it is valid, else one message naming the field and the rule.
 * Never throws.
 * @param spec the pattern to check
 * @param framePeriodMs the frame period it will play at (bounds the shortest wave period)
 */
export function validatePattern(spec: any, framePeriodMs: number): string {
    try {
        return check(spec, framePeriodMs)
    } catch (e: any) {
        return `pattern: could not be read (${e && e.message ? e.message : "unknown error"})`
    }
}

function check(p: any, framePeriodMs: number): string {
    let e = checkObject(p, PATTERN_KEYS, "pattern")
    if (e) return e
    e = checkId(p.id)
    if (e) return e
    e = checkText(p.name, "pattern.name", true, MAX_NAME_LENGTH)
    if (e) return e
    e = checkText(p.description, "pattern.description", false, MAX_DESCRIPTION_LENGTH)
    if (e) return e
    e = checkText(p.reason, "pattern.reason", false, MAX_REASON_LENGTH)
    if (e) return e
    const duration = p.durationMs
    if (duration === 0) return `pattern.durationMs: must not be 0`
    e = checkWholeMs(duration, "pattern.durationMs", MIN_DURATION_MS, MAX_DURATION_MS)
    if (e) return e
    if (p.loop !== true && p.loop !== false)
        return `pattern.loop: must be true or false (got ${describe(p.loop)})`
    e = optional(p, "footOffsetMs", "pattern", true, 0, duration)
    if (e) return e
    e = checkKeyframes(p.envelope, "pattern.envelope", MAX_ENVELOPE_MS)
    if (e) return e
    const zones = p.zones
    if (!isObject(zones)) return `pattern.zones: must be an object of zones by name (got ${describe(zones)})`
    const names = Object.keys(zones)
    if (names.length === 0) return `pattern.zones: must hold at least one of ${ZONE_NAMES.join(", ")}`
    for (let i = 0; i < names.length; i++) {
        const path = "pattern.zones." + names[i]
        if (zoneIndex(names[i]) < 0) return `${path}: unknown zone (zones are ${ZONE_NAMES.join(", ")})`
        e = checkZone(zones[names[i]], path, duration, framePeriodMs)
        if (e) return e
    }
    return null
}
