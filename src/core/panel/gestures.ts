import { filledArray, isWholeIn } from "../util/numbers"

/**
 * Button gestures from raw button edges, with time as an argument: debounce, short press, long
 * press, auto-repeat while held, and the lock chord (up and down held together). The firmware
 * feeds it each button's down and up edges and calls `tick` every few tens of ms; tests feed
 * edges and ticks with made-up times.
 */

/** The panel's buttons, in the board's order. */
export const BUTTON_POWER = 0
export const BUTTON_MODE = 1
export const BUTTON_UP = 2
export const BUTTON_DOWN = 3
export const BUTTON_HEAT = 4
export const BUTTON_COUNT = 5

/**
 * A short press. Buttons with a long gesture (power, mode) report it on release, when it is
 * known not to be long; the others (up, down, heat) on the press itself, at once.
 */
export const GESTURE_PRESS = 1
/** Held for LONG_MS (power, mode): reported once, while still held; no press follows. */
export const GESTURE_LONG = 2
/** Auto-repeat while held (up, down): after REPEAT_DELAY_MS, then every REPEAT_EVERY_MS. */
export const GESTURE_REPEAT = 3
/** Up and down held together for LOCK_HOLD_MS: toggle the lock (button: BUTTON_UP). */
export const GESTURE_LOCK = 4

// Timings of the gestures, ms.
/** Edges within this long of the last accepted edge of a button are contact bounce. */
export const DEBOUNCE_MS = 30
/** A press held this long is a long press. */
export const LONG_MS = 1000
/** Auto-repeat starts this long after the press... */
export const REPEAT_DELAY_MS = 500
/** ...and steps this often. */
export const REPEAT_EVERY_MS = 200
/** Up and down held together this long toggle the lock. */
export const LOCK_HOLD_MS = 3000

/** Hears recognized gestures. */
export interface GestureSink {
    /** A gesture (GESTURE_*) of a button (BUTTON_*) at nowMs. */
    gesture(kind: number, button: number, nowMs: number): void
}

/** True for buttons that have a long gesture (their short press is reported on release). */
export function hasLongGesture(button: number): boolean {
    return button === BUTTON_POWER ? true : button === BUTTON_MODE
}

/** True for buttons that auto-repeat while held. */
export function repeats(button: number): boolean {
    return button === BUTTON_UP ? true : button === BUTTON_DOWN
}

/**
 * Debounce is on the leading edge: the first edge of a button counts at once (no added
 * latency) and edges within DEBOUNCE_MS after it are bounce; if the button then rests in the
 * other position, `tick` accepts that once the debounce time has passed (a tap shorter than the
 * debounce time is still seen). The lock chord: when the second of up and down goes down while
 * the first is held, neither reports anything more (the first one's press has already stepped
 * the intensity once) until LOCK_HOLD_MS later the lock toggles; each button reports again from
 * its next press.
 */
export class GestureRecognizer {
    private readonly raw: boolean[]
    private readonly stable: boolean[]
    private readonly stableMs: number[]
    private readonly longDone: boolean[]
    private readonly nextRepeatMs: number[]
    /** Part of the lock chord: reports nothing until released. */
    private readonly inChord: boolean[]
    private chordStartMs = -1
    private chordDone = false

    /** @param sink hears every gesture */
    constructor(readonly sink: GestureSink) {
        const no: any = false
        this.raw = filledArray(BUTTON_COUNT, no) as any
        this.stable = filledArray(BUTTON_COUNT, no) as any
        this.stableMs = filledArray(BUTTON_COUNT, -1e9)
        this.longDone = filledArray(BUTTON_COUNT, no) as any
        this.nextRepeatMs = filledArray(BUTTON_COUNT, 0)
        this.inChord = filledArray(BUTTON_COUNT, no) as any
    }

    /** A raw edge of button b at nowMs: down (true) or up (false). Unknown buttons are ignored. */
    edge(b: number, down: boolean, nowMs: number) {
        if (!isWholeIn(b, 0, BUTTON_COUNT - 1)) return
        this.raw[b] = !!down
        this.settle(b, nowMs)
    }

    /** Time passes: late debounce edges, long presses, repeats and the lock chord. */
    tick(nowMs: number) {
        for (let b = 0; b < BUTTON_COUNT; b++) this.settle(b, nowMs)
        if (this.chordStartMs >= 0)
            if (!this.chordDone)
                if (nowMs - this.chordStartMs >= LOCK_HOLD_MS) {
                    this.chordDone = true
                    this.sink.gesture(GESTURE_LOCK, BUTTON_UP, nowMs)
                }
        for (let b = 0; b < BUTTON_COUNT; b++) {
            if (!this.stable[b]) continue
            if (this.inChord[b]) continue
            if (hasLongGesture(b)) {
                if (!this.longDone[b])
                    if (nowMs - this.stableMs[b] >= LONG_MS) {
                        this.longDone[b] = true
                        this.sink.gesture(GESTURE_LONG, b, nowMs)
                    }
            } else if (repeats(b))
                if (nowMs >= this.nextRepeatMs[b]) {
                    // one step per tick at most: a late tick does not burst
                    const next = this.nextRepeatMs[b] + REPEAT_EVERY_MS
                    this.nextRepeatMs[b] = next > nowMs ? next : nowMs + REPEAT_EVERY_MS
                    this.sink.gesture(GESTURE_REPEAT, b, nowMs)
                }
        }
    }

    private settle(b: number, nowMs: number) {
        const v = this.raw[b]
        if (v === this.stable[b]) return
        if (nowMs - this.stableMs[b] < DEBOUNCE_MS) return
        this.stable[b] = v
        this.stableMs[b] = nowMs
        if (v) {
            // pressed
            this.longDone[b] = false
            const other = b === BUTTON_UP ? BUTTON_DOWN : b === BUTTON_DOWN ? BUTTON_UP : -1
            if (other >= 0)
                if (this.stable[other]) {
                    this.inChord[b] = true
                    this.inChord[other] = true
                    this.chordStartMs = nowMs
                    this.chordDone = false
                    return
                }
            if (!hasLongGesture(b)) this.sink.gesture(GESTURE_PRESS, b, nowMs)
            if (repeats(b)) this.nextRepeatMs[b] = nowMs + REPEAT_DELAY_MS
        } else {
            // released
            const chord = this.inChord[b]
            this.inChord[b] = false
            if (repeats(b)) this.chordStartMs = -1
            if (!chord)
                if (hasLongGesture(b)) if (!this.longDone[b]) this.sink.gesture(GESTURE_PRESS, b, nowMs)
        }
    }
}
