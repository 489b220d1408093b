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
    minWavePeriodMs,
} from "./limits"
import { isFiniteNumber } from "./numbers"
import { WAVE_SHAPES } from "./waves"
import { ZONE_NAMES, zoneIndex } from "./zones"

/*
 * The pattern validator. It guards patterns that users upload, so it must answer every input
 * (any JSON value, or worse) with either null (valid) or one clear message naming the field and
 * the rule, and never throw. Everything it accepts, the compiler and the scheduler can play.
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

function isObject(v: any): boolean {
    return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v)
}

function contains(list: string[], s: string): boolean {
    for (let i = 0; i < list.length; i++) if (list[i] === s) return true
    return false
}

function unknownKey(obj: any, allowed: string[], path: string): string {
    const keys = Object.keys(obj)
    for (let i = 0; i < keys.length; i++)
        if (!contains(allowed, keys[i]))
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

function checkText(v: any, path: string, required: boolean, max: number): string {
    if (v === undefined && !required) return null
    if (typeof v !== "string") return `${path}: must be text (got ${describe(v)})`
    if (required && v.length === 0) return `${path}: must not be empty`
    if (v.length > max) return `${path}: must be at most ${max} characters (got ${v.length})`
    return null
}

function checkId(v: any): string {
    const e = checkText(v, "pattern.id", true, MAX_ID_LENGTH)
    if (e) return e
    const s: string = v
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i)
        const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45
        if (!ok) return `pattern.id: only lowercase letters, digits and dashes are allowed (got "${s}")`
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
 * Checks keyframes [t, level]: a non-empty list of at most MAX_KEYFRAMES, whole ms times within
 * 0..maxT strictly increasing, levels within 0..1.
 */
function checkKeyframes(v: any, path: string, maxT: number): string {
    if (!Array.isArray(v)) return `${path}: must be a list of [time ms, level] pairs (got ${describe(v)})`
    const list: any[] = v
    if (list.length === 0) return `${path}: must hold at least one keyframe`
    if (list.length > MAX_KEYFRAMES)
        return `${path}: too many keyframes (${list.length}; at most ${MAX_KEYFRAMES})`
    let last = -1
    for (let i = 0; i < list.length; i++) {
        const kf = list[i]
        // the common case, all well, without building a message: loading must stay cheap
        const ok =
            Array.isArray(kf) &&
            kf.length === 2 &&
            isFiniteNumber(kf[0]) &&
            Math.floor(kf[0]) === kf[0] &&
            kf[0] > last &&
            kf[0] <= maxT &&
            isFiniteNumber(kf[1]) &&
            kf[1] >= 0 &&
            kf[1] <= 1
        if (!ok) return keyframeError(kf, `${path}[${i}]`, last, maxT)
        last = kf[0]
    }
    return null
}

/** The message for a keyframe that failed checkKeyframes. */
function keyframeError(kf: any, p: string, last: number, maxT: number): string {
    if (!Array.isArray(kf) || kf.length !== 2)
        return `${p}: must be a [time ms, level] pair (got ${describe(kf)})`
    const e = checkWholeMs(kf[0], p + " time", 0, maxT) || checkFraction(kf[1], p + " level", 0, 1)
    if (e) return e
    return `${p} time: times must increase (${kf[0]} after ${last})`
}

function checkWave(w: any, path: string, framePeriodMs: number): string {
    if (!isObject(w)) return `${path}: must be an object (got ${describe(w)})`
    const e0 = unknownKey(w, WAVE_KEYS, path)
    if (e0) return e0
    if (typeof w.shape !== "string" || !contains(WAVE_SHAPES, w.shape))
        return `${path}.shape: must be one of ${WAVE_SHAPES.join(", ")} (got ${describe(w.shape)})`
    const minPeriod = minWavePeriodMs(framePeriodMs)
    if (isFiniteNumber(w.periodMs) && w.periodMs < minPeriod && w.periodMs > 0)
        return `${path}.periodMs: ${w.periodMs} ms is too short to render at ${framePeriodMs} ms frames (at least ${minPeriod} ms)`
    const e1 = checkWholeMs(w.periodMs, path + ".periodMs", minPeriod, MAX_WAVE_PERIOD_MS)
    if (e1) return e1
    if (w.phase !== undefined) {
        const e = checkFraction(w.phase, path + ".phase", 0, 1)
        if (e) return e
    }
    if (w.depth !== undefined) {
        const e = checkFraction(w.depth, path + ".depth", 0, 1)
        if (e) return e
    }
    if (w.duty !== undefined) {
        if (w.shape !== "pulse") return `${path}.duty: only a pulse has a duty (shape is ${w.shape})`
        const e = checkFraction(w.duty, path + ".duty", 0.05, 0.95)
        if (e) return e
    }
    return null
}

function checkZone(z: any, path: string, durationMs: number, framePeriodMs: number): string {
    if (!isObject(z)) return `${path}: must be an object (got ${describe(z)})`
    const e0 = unknownKey(z, ZONE_KEYS, path)
    if (e0) return e0
    if (z.level !== undefined && z.keyframes !== undefined)
        return `${path}: give either level or keyframes, not both`
    if (z.level !== undefined) {
        const e = checkFraction(z.level, path + ".level", 0, 1)
        if (e) return e
    }
    if (z.keyframes !== undefined) {
        const e = checkKeyframes(z.keyframes, path + ".keyframes", durationMs)
        if (e) return e
    }
    if (z.ease !== undefined && z.ease !== "linear" && z.ease !== "smooth")
        return `${path}.ease: must be "linear" or "smooth" (got ${describe(z.ease)})`
    if (z.delayMs !== undefined) {
        const e = checkWholeMs(z.delayMs, path + ".delayMs", 0, durationMs)
        if (e) return e
    }
    if (z.wave !== undefined) {
        const e = checkWave(z.wave, path + ".wave", framePeriodMs)
        if (e) return e
    }
    return null
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
    if (!isObject(p)) return `pattern: must be an object (got ${describe(p)})`
    const e0 =
        unknownKey(p, PATTERN_KEYS, "pattern") ||
        checkId(p.id) ||
        checkText(p.name, "pattern.name", true, MAX_NAME_LENGTH) ||
        checkText(p.description, "pattern.description", false, MAX_DESCRIPTION_LENGTH) ||
        checkText(p.reason, "pattern.reason", false, MAX_REASON_LENGTH)
    if (e0) return e0
    if (p.durationMs === 0) return `pattern.durationMs: must not be 0`
    const e1 = checkWholeMs(p.durationMs, "pattern.durationMs", MIN_DURATION_MS, MAX_DURATION_MS)
    if (e1) return e1
    if (p.loop !== true && p.loop !== false)
        return `pattern.loop: must be true or false (got ${describe(p.loop)})`
    const duration: number = p.durationMs
    if (p.footOffsetMs !== undefined) {
        const e = checkWholeMs(p.footOffsetMs, "pattern.footOffsetMs", 0, duration)
        if (e) return e
    }
    if (p.envelope !== undefined) {
        const e = checkKeyframes(p.envelope, "pattern.envelope", MAX_ENVELOPE_MS)
        if (e) return e
    }
    if (!isObject(p.zones))
        return `pattern.zones: must be an object of zones by name (got ${describe(p.zones)})`
    const names = Object.keys(p.zones)
    if (names.length === 0) return `pattern.zones: must hold at least one of ${ZONE_NAMES.join(", ")}`
    for (let i = 0; i < names.length; i++) {
        const name = names[i]
        const path = "pattern.zones." + name
        if (zoneIndex(name) < 0) return `${path}: unknown zone (zones are ${ZONE_NAMES.join(", ")})`
        const e = checkZone(p.zones[name], path, duration, framePeriodMs)
        if (e) return e
    }
    return null
}
