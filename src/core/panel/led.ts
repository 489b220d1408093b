import { FaultCode } from "../safety/faults"
import {
    SESSION_FAULT,
    SESSION_FINISHING,
    SESSION_IDLE,
    SESSION_PAUSED,
    SESSION_RUNNING,
} from "../session/states"
import { HEAT_HIGH, HEAT_LOW, HEAT_MEDIUM } from "../thermal/heat-control"

/**
 * The status LED as a pure function of the session: colour says heat level (and fault), blink
 * and brightness say state. docs/session.md has the table. Every blink edge falls on a
 * multiple of LED_STEP_MS, so a driver that looks every LED_STEP_MS misses none.
 */

/** Colours, 0xRRGGBB. */
export const LED_DARK = 0x000000
export const LED_NO_HEAT = 0x00ff00
export const LED_HEAT_LOW = 0xffc000
export const LED_HEAT_MEDIUM = 0xff7000
export const LED_HEAT_HIGH = 0xff3000
export const LED_FAULT = 0xff0000
export const LED_LOCK = 0x0000ff

/** The LED's time step: blinks change only on multiples of it, ms. */
export const LED_STEP_MS = 250
/** A fault blinks fast: on and off for this long each, ms. */
export const LED_FAULT_BLINK_MS = 250
/** A paused session blinks slowly: on and off for this long each, ms. */
export const LED_PAUSE_BLINK_MS = 1000
/** While locked, the LED flashes blue for LED_STEP_MS at the start of every this long, ms. */
export const LED_LOCK_EVERY_MS = 2000
/** Idle glows at 1/8 of full brightness (a right shift by 3)... */
export const LED_IDLE_SHIFT = 3
/** ...finishing at 1/2 (by 1). */
export const LED_FINISHING_SHIFT = 1

/** The colour of a heat level at full brightness (green: no heat). */
export function heatColour(level: number): number {
    if (level === HEAT_LOW) return LED_HEAT_LOW
    if (level === HEAT_MEDIUM) return LED_HEAT_MEDIUM
    if (level === HEAT_HIGH) return LED_HEAT_HIGH
    return LED_NO_HEAT
}

/** A colour with every channel shifted right by `shift` bits (dimmed to 1 / 2^shift). */
export function dimColour(colour: number, shift: number): number {
    const r = (colour >> 16) & 255
    const g = (colour >> 8) & 255
    const b = colour & 255
    return ((r >> shift) << 16) | ((g >> shift) << 8) | (b >> shift)
}

/**
 * The LED colour (0xRRGGBB) at nowMs.
 * @param state the session state (SESSION_*)
 * @param heatLevel the chosen heat level (HEAT_*)
 * @param fault the latched fault (FaultCode), None when none
 * @param locked the panel lock
 * @param nowMs ms since boot (the blink phase)
 */
export function ledColour(
    state: number,
    heatLevel: number,
    fault: number,
    locked: boolean,
    nowMs: number
): number {
    let t = nowMs
    if (!(t >= 0)) t = 0
    if (fault !== FaultCode.None) state = SESSION_FAULT
    if (state === SESSION_FAULT) return Math.floor(t / LED_FAULT_BLINK_MS) % 2 === 0 ? LED_FAULT : LED_DARK
    if (locked) if (t % LED_LOCK_EVERY_MS < LED_STEP_MS) return LED_LOCK
    const c = heatColour(heatLevel)
    if (state === SESSION_RUNNING) return c
    if (state === SESSION_PAUSED) return Math.floor(t / LED_PAUSE_BLINK_MS) % 2 === 0 ? c : LED_DARK
    if (state === SESSION_FINISHING) return dimColour(c, LED_FINISHING_SHIFT)
    if (state === SESSION_IDLE) return dimColour(c, LED_IDLE_SHIFT)
    return LED_DARK
}
