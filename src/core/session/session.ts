import {
    DEFAULT_SESSION_MIN,
    END_FAULT,
    END_TIMER,
    END_USER,
    EVENT_CHANGED,
    EVENT_ENDED,
    EVENT_FAULT,
    EVENT_STARTED,
    IDLE_TIMEOUT_MS,
    MAX_SESSION_MIN,
    REFUSED_FAULT,
    REFUSED_FAULT_PERSISTS,
    REFUSED_LIMIT,
    REFUSED_LOCKED,
    REFUSED_NO_PATTERN,
    REFUSED_OUT_OF_RANGE,
    REFUSED_WRONG_STATE,
    SESSION_FAULT,
    SESSION_FINISHING,
    SESSION_IDLE,
    SESSION_OFF,
    SESSION_OK,
    SESSION_PAUSED,
    SESSION_RUNNING,
    SESSION_STEP_MIN,
    SessionListener,
    isSessionMinutes,
} from "./states"
import { SessionSettings, isSettings } from "./settings"
import { Frame } from "../frame/frame"
import { FrameClock } from "../frame/clock"
import { FrameGuard } from "../frame/guard"
import { CompiledPattern } from "../pattern/loader"
import { MAX_FOCUS_GAIN, MAX_INTENSITY_LEVEL, MIN_INTENSITY_LEVEL } from "../scheduler/intensity"
import { STATE_IDLE, Scheduler } from "../scheduler/scheduler"
import { FaultCode } from "../safety/faults"
import { SafetySupervisor } from "../safety/supervisor"
import { HEAT_HIGH, HEAT_OFF } from "../thermal/heat-control"
import { HeatManager } from "../thermal/heat-manager"
import { isIn, isWholeIn } from "../util/numbers"
import { ZONES_PER_FOOT } from "../util/zones"

const MINUTE_MS = 60000

/**
 * The session: the only owner of intent. Buttons and the control service ask it; it decides
 * (state, lock, fault, ranges) and only then calls the scheduler's and heat's setters, so every
 * change plays from the next frame. States: off, idle, running, paused, finishing, fault
 * (docs/session.md has the table).
 *
 * Time is an argument (`nowMs`, ms since boot, the clock the frame loop and the supervisor
 * use); the frame a change plays from is the next one of the frame loop's clock. As a
 * FrameGuard it sees every frame after the safety supervisor: it ends the session on time
 * (the soft stop begins at the frame that covers the end), follows a latched heat fault, and
 * finishes the soft stop. It never starts a session by itself: only `start` does.
 *
 * Every command returns SESSION_OK or a REFUSED_* code and changes nothing when refused.
 */
export class Session implements FrameGuard {
    // Read-only outside the session: only its commands change them.
    /** The state (SESSION_*). */
    state = SESSION_OFF
    /** True while the panel lock is on. */
    locked = false
    /** The intensity level 1..5 (of the session, or the one the next session starts at). */
    intensity = MIN_INTENSITY_LEVEL
    /** The chosen heat level HEAT_OFF..HEAT_HIGH (it heats only while running). */
    heatLevel = HEAT_OFF
    /** The id of the pattern chosen, "" before any. */
    patternId = ""
    /** The latched fault the session follows (FaultCode), FaultCode.None when none. */
    activeFault = FaultCode.None
    /** Counts every change of state or setting: storage saves, registers refresh when it moves. */
    changes = 0
    /** How long the last session ran, ms (start to the beginning of its soft stop). */
    lastPlayedMs = 0

    /** The intensity a session starts at (the lowest unless the user saved another). */
    private startLevel = MIN_INTENSITY_LEVEL
    private chosenMin = DEFAULT_SESSION_MIN
    private readonly focusGains: number[] = [1, 1, 1, 1]
    private pattern: CompiledPattern = null
    private readonly listeners: SessionListener[] = []
    private startedMs = 0
    private endMs = 0
    /** The frame that covers endMs: the soft stop starts there. */
    private endFrame = 0
    private lastInputMs = 0

    /**
     * @param scheduler whose intent the session sets (pattern, intensity, focus, start/stop)
     * @param heatManager whose heat level the session sets
     * @param supervisor whose latched faults the session follows, and whose heat session it opens
     * @param clock the frame loop's clock: maps a command's time to the next frame
     */
    constructor(
        readonly scheduler: Scheduler,
        readonly heatManager: HeatManager,
        readonly supervisor: SafetySupervisor,
        readonly clock: FrameClock
    ) {}

    /** Adds a listener of session events. */
    addListener(l: SessionListener) {
        this.listeners.push(l)
    }

    // ---- reads --------------------------------------------------------------------------------

    /** The chosen session length, minutes: of the running session (with extensions) or the next. */
    minutes(): number {
        if (this.inSession()) return Math.round((this.endMs - this.startedMs) / MINUTE_MS)
        return this.chosenMin
    }

    /** The focus gain of a zone 0..3 (0..2, 1 = as the pattern says), NaN for a bad zone. */
    focus(zone: number): number {
        return isWholeIn(zone, 0, ZONES_PER_FOOT - 1) ? this.focusGains[zone] : NaN
    }

    /** Ms left in the session at nowMs (0 outside running and paused). */
    remainingMs(nowMs: number): number {
        if (!this.inSession()) return 0
        const r = this.endMs - nowMs
        return r > 0 ? r : 0
    }

    /** Fills `out` with what storage saves (focus in whole percent); returns it. */
    settingsInto(out: SessionSettings): SessionSettings {
        out.pattern = this.patternId
        out.intensity = this.startLevel
        out.heat = this.heatLevel
        out.minutes = this.chosenMin
        for (let z = 0; z < ZONES_PER_FOOT; z++) out.focus[z] = Math.round(this.focusGains[z] * 100)
        return out
    }

    /**
     * What a command would get now, without doing it: SESSION_OK, REFUSED_LOCKED,
     * REFUSED_FAULT (heat) or REFUSED_WRONG_STATE (finishing) for a setting change. Check it
     * before loading a pattern. Stop and unlock pass the lock.
     * @param heat true for heat level changes (refused during a fault)
     */
    canChange(heat: boolean): number {
        if (this.locked) return REFUSED_LOCKED
        if (this.state === SESSION_FINISHING) return REFUSED_WRONG_STATE
        if (heat) if (this.state === SESSION_FAULT) return REFUSED_FAULT
        return SESSION_OK
    }

    // ---- session commands ---------------------------------------------------------------------

    /**
     * Starts a session from off or idle with what was chosen: the intensity shown (the lowest
     * unless the user saved or chose another), pattern, heat level, focus and length, under the
     * scheduler's soft start. Refused during a fault, while locked, and without a pattern.
     */
    start(nowMs: number): number {
        if (this.locked) return REFUSED_LOCKED
        if (this.state === SESSION_FAULT) return REFUSED_FAULT
        // only from off or idle
        if (this.state > SESSION_IDLE) return REFUSED_WRONG_STATE
        if (!this.pattern) return REFUSED_NO_PATTERN
        const k = this.nextFrame(nowMs)
        const s = this.scheduler
        s.setIntensity(this.intensity, 100, k)
        for (let z = 0; z < ZONES_PER_FOOT; z++) s.setFocus(z, this.focusGains[z], k)
        s.start(k)
        this.startedMs = nowMs
        this.setEnd(nowMs + this.chosenMin * MINUTE_MS)
        this.supervisor.startSession(nowMs)
        this.heatManager.setLevel(this.heatLevel, nowMs)
        this.lastInputMs = nowMs
        this.enter(SESSION_RUNNING, nowMs)
        this.emit(EVENT_STARTED, this.chosenMin, nowMs)
        return SESSION_OK
    }

    /** Stops a running or paused session with a soft stop (heat off at once). Passes the lock. */
    stop(nowMs: number): number {
        if (!this.inSession()) return REFUSED_WRONG_STATE
        this.finish(this.nextFrame(nowMs), END_USER, nowMs)
        return SESSION_OK
    }

    /** Pauses a running session: motors ramp down, heat off; the session's clock runs on. */
    pause(nowMs: number): number {
        if (this.locked) return REFUSED_LOCKED
        if (this.state !== SESSION_RUNNING) return REFUSED_WRONG_STATE
        this.scheduler.pause(this.nextFrame(nowMs))
        this.heatManager.setLevel(HEAT_OFF, nowMs)
        this.lastInputMs = nowMs
        this.enter(SESSION_PAUSED, nowMs)
        return SESSION_OK
    }

    /** Resumes a paused session where its pattern left off, under a soft start; heat again. */
    resume(nowMs: number): number {
        if (this.locked) return REFUSED_LOCKED
        if (this.state !== SESSION_PAUSED) return REFUSED_WRONG_STATE
        this.scheduler.resume(this.nextFrame(nowMs))
        this.heatManager.setLevel(this.heatLevel, nowMs)
        this.lastInputMs = nowMs
        this.enter(SESSION_RUNNING, nowMs)
        return SESSION_OK
    }

    /**
     * Adds minutes (5, 10, ... 25) to a running or paused session; refused (REFUSED_LIMIT) when
     * the session would last more than 30 minutes from its start (the heat limit).
     */
    extend(minutes: number, nowMs: number): number {
        if (this.locked) return REFUSED_LOCKED
        if (!this.inSession()) return REFUSED_WRONG_STATE
        if (!isWholeIn(minutes, SESSION_STEP_MIN, MAX_SESSION_MIN - SESSION_STEP_MIN))
            return REFUSED_OUT_OF_RANGE
        if (minutes % SESSION_STEP_MIN !== 0) return REFUSED_OUT_OF_RANGE
        const end = this.endMs + minutes * MINUTE_MS
        if (end - this.startedMs > MAX_SESSION_MIN * MINUTE_MS) return REFUSED_LIMIT
        this.setEnd(end)
        this.touch(nowMs, true)
        return SESSION_OK
    }

    /**
     * Sets the session length, 5..30 minutes in steps of 5: of the next session (off, idle,
     * fault), or of the running or paused one (counted from its start; it must end after nowMs).
     */
    setMinutes(minutes: number, nowMs: number): number {
        const c = this.canChange(false)
        if (c !== SESSION_OK) return c
        if (!isSessionMinutes(minutes)) return REFUSED_OUT_OF_RANGE
        if (this.inSession()) {
            const end = this.startedMs + minutes * MINUTE_MS
            if (!(end > nowMs)) return REFUSED_OUT_OF_RANGE
            this.setEnd(end)
        } else this.chosenMin = minutes
        this.touch(nowMs, true)
        return SESSION_OK
    }

    // ---- intent -------------------------------------------------------------------------------

    /**
     * Plays a loaded pattern: crossfaded from the next frame in a session, or the one the next
     * session starts with. Refused while locked or finishing, and without a pattern or an id.
     */
    setPattern(id: string, pattern: CompiledPattern, nowMs: number): number {
        const c = this.canChange(false)
        if (c !== SESSION_OK) return c
        return this.play(id, pattern, nowMs, true)
    }

    /**
     * The pattern chosen at boot (restored from storage, or the default): like setPattern but
     * it does not wake the panel, and only outside a session (else REFUSED_WRONG_STATE).
     */
    restorePattern(id: string, pattern: CompiledPattern, nowMs: number): number {
        if (this.inSession()) return REFUSED_WRONG_STATE
        if (this.state === SESSION_FINISHING) return REFUSED_WRONG_STATE
        return this.play(id, pattern, nowMs, false)
    }

    // setPattern and restorePattern: `wake` wakes the panel
    private play(id: string, pattern: CompiledPattern, nowMs: number, wake: boolean): number {
        if (!pattern) return REFUSED_NO_PATTERN
        if (typeof id !== "string") return REFUSED_NO_PATTERN
        if (id.length === 0) return REFUSED_NO_PATTERN
        this.pattern = pattern
        this.patternId = id
        this.scheduler.setPattern(pattern, this.nextFrame(nowMs))
        this.touch(nowMs, wake)
        return SESSION_OK
    }

    /** Sets the intensity level 1..5 (whole): from the next frame in a session, else the next start's. */
    setIntensity(level: number, nowMs: number): number {
        const c = this.canChange(false)
        if (c !== SESSION_OK) return c
        if (!isWholeIn(level, MIN_INTENSITY_LEVEL, MAX_INTENSITY_LEVEL)) return REFUSED_OUT_OF_RANGE
        this.intensity = level
        if (this.inSession()) this.scheduler.setIntensity(level, 100, this.nextFrame(nowMs))
        this.touch(nowMs, true)
        return SESSION_OK
    }

    /**
     * Sets the intensity a session starts at (the user's saved choice, 1..5), and the intensity
     * shown outside a session.
     */
    setStartIntensity(level: number, nowMs: number): number {
        const c = this.canChange(false)
        if (c !== SESSION_OK) return c
        if (!isWholeIn(level, MIN_INTENSITY_LEVEL, MAX_INTENSITY_LEVEL)) return REFUSED_OUT_OF_RANGE
        this.startLevel = level
        if (!this.inSession()) this.intensity = level
        this.touch(nowMs, true)
        return SESSION_OK
    }

    /** Sets the heat level HEAT_OFF..HEAT_HIGH: heats from now while running, else the next session's. */
    setHeatLevel(level: number, nowMs: number): number {
        const c = this.canChange(true)
        if (c !== SESSION_OK) return c
        if (!isWholeIn(level, HEAT_OFF, HEAT_HIGH)) return REFUSED_OUT_OF_RANGE
        this.heatLevel = level
        if (this.state === SESSION_RUNNING) this.heatManager.setLevel(level, nowMs)
        this.touch(nowMs, true)
        return SESSION_OK
    }

    /** The heat button: off, low, medium, high, off... */
    cycleHeat(nowMs: number): number {
        return this.setHeatLevel(this.heatLevel >= HEAT_HIGH ? HEAT_OFF : this.heatLevel + 1, nowMs)
    }

    /** Sets a zone's focus gain (zone 0..3 heel, arch, ball, toes; gain 0..2, 1 = as the pattern). */
    setFocus(zone: number, gain: number, nowMs: number): number {
        const c = this.canChange(false)
        if (c !== SESSION_OK) return c
        if (!isWholeIn(zone, 0, ZONES_PER_FOOT - 1)) return REFUSED_OUT_OF_RANGE
        if (!isIn(gain, 0, MAX_FOCUS_GAIN)) return REFUSED_OUT_OF_RANGE
        this.focusGains[zone] = gain
        if (this.inSession()) this.scheduler.setFocus(zone, gain, this.nextFrame(nowMs))
        this.touch(nowMs, true)
        return SESSION_OK
    }

    /** Turns the panel lock on or off; always taken (it is the unlock). */
    setLocked(on: boolean, nowMs: number): number {
        this.locked = !!on
        this.lastInputMs = nowMs
        this.touch(nowMs, false)
        return SESSION_OK
    }

    /**
     * Clears a latched heat fault (the user's deliberate action). The supervisor decides: a
     * fault whose cause is still there latches again (REFUSED_FAULT_PERSISTS, at once or at the
     * next sample, and the session is back in fault). On success the session is idle.
     */
    clearFault(nowMs: number): number {
        if (this.locked) return REFUSED_LOCKED
        if (this.state !== SESSION_FAULT) return REFUSED_WRONG_STATE
        this.supervisor.clearFaults(nowMs)
        const f = this.supervisor.activeFault()
        if (f !== FaultCode.None) return REFUSED_FAULT_PERSISTS
        this.activeFault = FaultCode.None
        this.lastInputMs = nowMs
        this.enter(SESSION_IDLE, nowMs)
        return SESSION_OK
    }

    /** Any input: off wakes to idle (the LED shows the choice), idle stays awake. */
    wake(nowMs: number) {
        this.lastInputMs = nowMs
        if (this.state === SESSION_OFF) this.enter(SESSION_IDLE, nowMs)
    }

    /**
     * Restores saved settings (never starts anything): intensity (also the start level), heat
     * level, focus and length, all of them or, when any is missing or out of range
     * (`isSettings`), none. The pattern is not restored here (load it, then restorePattern).
     * Returns 0 when they were taken, 1 when refused, -1 (nothing changed) outside off, idle and
     * fault.
     */
    restore(s: SessionSettings, nowMs: number): number {
        if (this.inSession()) return -1
        if (this.state === SESSION_FINISHING) return -1
        if (!isSettings(s)) return 1
        this.startLevel = this.intensity = s.intensity
        this.heatLevel = s.heat
        this.chosenMin = s.minutes
        for (let z = 0; z < ZONES_PER_FOOT; z++) this.focusGains[z] = s.focus[z] / 100
        this.touch(nowMs, false)
        return 0
    }

    // ---- every frame --------------------------------------------------------------------------

    /**
     * Called by the frame loop after frame f (computed at tMs) and after the supervisor saw it:
     * follows a latched fault, ends the session at its end frame, finishes the soft stop, and
     * lets idle fall back to off. Allocates nothing.
     */
    inspect(f: Frame, tMs: number) {
        const k = f.index
        const fault = this.supervisor.activeFault()
        if (fault !== FaultCode.None) {
            if (this.state === SESSION_FAULT) if (fault === this.activeFault) return
            this.enterFault(fault, k + 1, tMs)
            return
        }
        const state = this.state
        if (state === SESSION_FAULT) {
            // cleared elsewhere (not by clearFault): nothing latched any more
            this.activeFault = FaultCode.None
            this.lastInputMs = tMs
            this.enter(SESSION_IDLE, tMs)
        } else if (this.inSession()) {
            if (k + 1 >= this.endFrame) this.finish(k + 1, END_TIMER, tMs)
        } else if (state === SESSION_FINISHING) {
            if (this.scheduler.sessionState() === STATE_IDLE) this.enter(SESSION_OFF, tMs)
        } else if (state === SESSION_IDLE) {
            if (tMs - this.lastInputMs >= IDLE_TIMEOUT_MS) this.enter(SESSION_OFF, tMs)
        }
    }

    // ---- inside ---------------------------------------------------------------------------------

    private inSession(): boolean {
        if (this.state === SESSION_RUNNING) return true
        return this.state === SESSION_PAUSED
    }

    private nextFrame(nowMs: number): number {
        return this.clock.indexAt(nowMs) + 1
    }

    private setEnd(endMs: number) {
        this.endMs = endMs
        this.endFrame = this.clock.indexAt(endMs)
    }

    /** Soft stop from frame k: heat off at once, the supervisor's heat session ends. */
    private finish(k: number, reason: number, nowMs: number) {
        this.scheduler.stop(k)
        this.heatManager.setLevel(HEAT_OFF, nowMs)
        this.supervisor.endSession(nowMs)
        this.lastPlayedMs = nowMs - this.startedMs
        // the next session starts gently again
        this.intensity = this.startLevel
        this.enter(SESSION_FINISHING, nowMs)
        this.emit(EVENT_ENDED, reason, nowMs)
    }

    private enterFault(fault: number, k: number, nowMs: number) {
        this.activeFault = fault
        if (this.inSession()) this.finish(k, END_FAULT, nowMs)
        else {
            // nothing may heat or move: a finishing ramp goes on down, and heat stays off
            this.heatManager.setLevel(HEAT_OFF, nowMs)
            this.supervisor.endSession(nowMs)
        }
        this.enter(SESSION_FAULT, nowMs)
        this.emit(EVENT_FAULT, fault, nowMs)
    }

    private enter(state: number, nowMs: number) {
        if (state === this.state) return
        this.state = state
        this.changes++
        this.emit(EVENT_CHANGED, state, nowMs)
    }

    /** A setting changed: counted and heard; with `wake`, an input that wakes the panel. */
    private touch(nowMs: number, wake: boolean) {
        if (wake) {
            this.lastInputMs = nowMs
            if (this.state === SESSION_OFF) this.state = SESSION_IDLE
        }
        this.changes++
        this.emit(EVENT_CHANGED, this.state, nowMs)
    }

    private emit(event: number, detail: number, nowMs: number) {
        for (let i = 0; i < this.listeners.length; i++) this.listeners[i].sessionEvent(event, detail, nowMs)
    }
}
