/*
 * The control service's answer codes (services/massager-control.md, enum Result) and how the
 * session's refusals map onto them. Pure numbers, so the dashboard can import them.
 */
import { SESSION_OK, refusalText } from "../core/session/states"

export const RESULT_OK = 0
export const RESULT_OUT_OF_RANGE = 1
export const RESULT_UNKNOWN_PATTERN = 2
export const RESULT_WRONG_STATE = 3
export const RESULT_MALFORMED = 4
export const RESULT_OUT_OF_ORDER = 5
export const RESULT_INVALID_PATTERN = 6
export const RESULT_TOO_LARGE = 7
export const RESULT_STORE_FULL = 8
export const RESULT_CHECKSUM_MISMATCH = 9
export const RESULT_NO_UPLOAD = 10
export const RESULT_HEAT_FAULT = 11
export const RESULT_STORAGE_FAILED = 12
export const RESULT_BUILT_IN = 13
export const RESULT_BUSY = 14
export const RESULT_LOCKED = 15

/** The name of a result code. */
export function resultName(code: number): string {
    // a local list: compiled into the image only where the names are used
    const NAMES = [
        "ok",
        "out of range",
        "unknown pattern",
        "wrong state",
        "malformed",
        "out of order",
        "invalid pattern",
        "too large",
        "store full",
        "checksum mismatch",
        "no upload",
        "heat fault",
        "storage failed",
        "built-in",
        "busy",
        "locked",
    ]
    return code >= 0 && code < NAMES.length ? NAMES[code] : "result " + code
}

/** The result code of a session command's answer (SESSION_OK or REFUSED_*). */
export function resultOfSession(code: number): number {
    // by session code: ok, wrong state, out of range, locked, fault, limit, no pattern, fault persists
    const results = [
        RESULT_OK,
        RESULT_WRONG_STATE,
        RESULT_OUT_OF_RANGE,
        RESULT_LOCKED,
        RESULT_HEAT_FAULT,
        RESULT_OUT_OF_RANGE,
        RESULT_UNKNOWN_PATTERN,
        RESULT_HEAT_FAULT,
    ]
    const r = results[code]
    return r === undefined ? RESULT_BUSY : r
}

/** The session's own words for its answer ("" when done). */
export function messageOfSession(code: number): string {
    return code === SESSION_OK ? "" : refusalText(code)
}
