import {
    BUTTON_DOWN,
    BUTTON_HEAT,
    BUTTON_MODE,
    BUTTON_POWER,
    BUTTON_UP,
    GESTURE_LOCK,
    GESTURE_LONG,
    GESTURE_PRESS,
    GESTURE_REPEAT,
    GestureSink,
} from "./gestures"
import { Session } from "../session/session"
import {
    MAX_SESSION_MIN,
    MIN_SESSION_MIN,
    REFUSED_FAULT,
    REFUSED_WRONG_STATE,
    SESSION_FAULT,
    SESSION_FINISHING,
    SESSION_OK,
    SESSION_PAUSED,
    SESSION_RUNNING,
    SESSION_STEP_MIN,
} from "../session/states"

/** Chooses the next pattern (the firmware loads it and hands it to the session). */
export interface PatternCycler {
    /**
     * Plays the pattern after the current one in the menu; returns SESSION_OK when it is
     * (being) played, or the session's refusal. The firmware may load it in steps and set it a
     * few frames later.
     */
    nextPattern(nowMs: number): number
}

/** What the buttons' gestures do (docs/session.md, "Buttons"). */
export class PanelActions implements GestureSink {
    /** The result of the last gesture (SESSION_OK or REFUSED_*), for feedback and tests. */
    lastResult = SESSION_OK
    /** Gestures handled. */
    count = 0

    /**
     * @param session takes every command
     * @param patterns plays the next pattern (the mode button)
     */
    constructor(
        readonly session: Session,
        readonly patterns: PatternCycler
    ) {}

    /** A gesture of a button at nowMs: wakes the panel, then does the button's command. */
    gesture(kind: number, button: number, nowMs: number) {
        this.count++
        this.session.wake(nowMs)
        this.lastResult = this.act(kind, button, nowMs)
    }

    private act(kind: number, button: number, nowMs: number): number {
        const s = this.session
        const state = s.state
        let inSession = state === SESSION_RUNNING
        if (state === SESSION_PAUSED) inSession = true
        if (kind === GESTURE_LOCK) return s.setLocked(!s.locked, nowMs)
        if (button === BUTTON_POWER) {
            // while locked, power stops a session whatever the gesture: nothing else is taken
            if (s.locked) if (inSession) return s.stop(nowMs)
            if (kind === GESTURE_PRESS) {
                if (state === SESSION_RUNNING) return s.stop(nowMs)
                if (state === SESSION_PAUSED) return s.resume(nowMs)
                if (state === SESSION_FAULT) return REFUSED_FAULT
                if (state === SESSION_FINISHING) return REFUSED_WRONG_STATE
                // off or idle
                return s.start(nowMs)
            }
            if (kind === GESTURE_LONG) {
                if (state === SESSION_RUNNING) return s.pause(nowMs)
                if (state === SESSION_PAUSED) return s.stop(nowMs)
                if (state === SESSION_FAULT) return s.clearFault(nowMs)
            }
            return REFUSED_WRONG_STATE
        }
        if (button === BUTTON_MODE) {
            if (kind === GESTURE_PRESS) {
                const c = s.canChange(false)
                return c !== SESSION_OK ? c : this.patterns.nextPattern(nowMs)
            }
            if (kind === GESTURE_LONG) {
                if (inSession) return s.extend(SESSION_STEP_MIN, nowMs)
                const m = s.minutes()
                return s.setMinutes(m >= MAX_SESSION_MIN ? MIN_SESSION_MIN : m + SESSION_STEP_MIN, nowMs)
            }
            return REFUSED_WRONG_STATE
        }
        if (button === BUTTON_HEAT) return kind === GESTURE_PRESS ? s.cycleHeat(nowMs) : REFUSED_WRONG_STATE
        // up and down: a press or a repeat steps the intensity
        if (kind !== GESTURE_PRESS) if (kind !== GESTURE_REPEAT) return REFUSED_WRONG_STATE
        if (button === BUTTON_UP) return s.setIntensity(s.intensity + 1, nowMs)
        if (button === BUTTON_DOWN) return s.setIntensity(s.intensity - 1, nowMs)
        return REFUSED_WRONG_STATE
    }
}
