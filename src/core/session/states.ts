/**
 * The session's vocabulary: states, the codes a refused command returns, events and why a
 * session ended, and the limits of its settings. Numbers, not enums, so they travel on the
 * control service's wire as they are.
 */

import { isIn } from "../util/numbers"

/** Standby: nothing runs, the LED is dark. The state at boot and after every session. */
export const SESSION_OFF = 0
/** Awake and ready: settings can be chosen; back to off after IDLE_TIMEOUT_MS without input. */
export const SESSION_IDLE = 1
/** A session plays: motors follow the pattern, pads heat at the chosen level. */
export const SESSION_RUNNING = 2
/** Paused: motors ramped down and still, heat off; the session's clock keeps running. */
export const SESSION_PAUSED = 3
/** Soft stop: motors ramp down, heat is already off; then off. */
export const SESSION_FINISHING = 4
/** A heat fault is latched: no vibration, no heat, until the user clears it. */
export const SESSION_FAULT = 5

/** Number of session states. */
export const SESSION_STATE_COUNT = 6

/** The name of a session state ("off", "idle", ...), or "unknown". */
export function sessionStateName(state: number): string {
    // a local list: compiled into the image only where the names are used
    const names = ["off", "idle", "running", "paused", "finishing", "fault"]
    return state >= 0 && state < names.length ? names[state] : "unknown"
}

// ---- refusals ---------------------------------------------------------------------------------

/** The command was carried out. */
export const SESSION_OK = 0
/** Not in this state (e.g. pause while idle, start while finishing). */
export const REFUSED_WRONG_STATE = 1
/** A value out of its range (intensity, heat level, minutes, zone, gain) or not a number. */
export const REFUSED_OUT_OF_RANGE = 2
/** The panel lock is on: only stop and unlock are taken. */
export const REFUSED_LOCKED = 3
/** A heat fault is latched: clear it first. */
export const REFUSED_FAULT = 4
/** The session would pass the 30-minute limit. */
export const REFUSED_LIMIT = 5
/** No pattern (null) or no pattern id. */
export const REFUSED_NO_PATTERN = 6
/** The fault could not be cleared: it is latched again (its cause is still there). */
export const REFUSED_FAULT_PERSISTS = 7

const REFUSAL_TEXTS = [
    "ok",
    "not possible in this state",
    "value out of range",
    "the panel is locked",
    "a heat fault is latched",
    "the session would pass 30 minutes",
    "no such pattern",
    "the fault is still there",
]

/** The text of a session result code (SESSION_OK or REFUSED_*), for clients and logs. */
export function refusalText(code: number): string {
    const t = REFUSAL_TEXTS[code]
    return t === undefined ? "unknown refusal " + code : t
}

// ---- events -------------------------------------------------------------------------------------

/** A session started (detail: its length in minutes). */
export const EVENT_STARTED = 1
/** A session ended (detail: END_*); `Session.lastPlayedMs` says how long it ran. */
export const EVENT_ENDED = 2
/** A heat fault latched (detail: the FaultCode). */
export const EVENT_FAULT = 3
/** The session's state or a setting changed (detail: the new state): registers and the LED refresh. */
export const EVENT_CHANGED = 4

/** The session's time was up. */
export const END_TIMER = 1
/** The user (a button or a client) stopped it. */
export const END_USER = 2
/** A heat fault stopped it. */
export const END_FAULT = 3

/** The name of an end reason ("timer", "user", "fault"), or "unknown". */
export function endReasonName(reason: number): string {
    const names = ["", "timer", "user", "fault"]
    return reason >= 1 && reason < names.length ? names[reason] : "unknown"
}

/** Hears the session's events (the control service, storage, logs). */
export interface SessionListener {
    /**
     * An event (EVENT_*) at nowMs; `detail` is the length in minutes (started), the end reason
     * (ended), the fault code (fault) or the new state (changed). Must not throw; runs inside
     * the command or the frame that caused it, so it should only note the event.
     */
    sessionEvent(event: number, detail: number, nowMs: number): void
}

// ---- limits -------------------------------------------------------------------------------------

/** Shortest and longest session, and the step between lengths, in minutes. */
export const MIN_SESSION_MIN = 5
export const MAX_SESSION_MIN = 30
export const SESSION_STEP_MIN = 5
/** A session's length unless the user chose another. */
export const DEFAULT_SESSION_MIN = 15
/** Idle falls back to off after this long without a command. */
export const IDLE_TIMEOUT_MS = 120000

/** True when m is a session length: 5..30 in steps of 5. */
export function isSessionMinutes(m: number): boolean {
    if (!isIn(m, MIN_SESSION_MIN, MAX_SESSION_MIN)) return false
    return m % SESSION_STEP_MIN === 0
}
