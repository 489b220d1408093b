import { describe, test, expect } from "@devicescript/test"
import {
    LED_DARK,
    LED_FAULT,
    LED_HEAT_HIGH,
    LED_HEAT_LOW,
    LED_HEAT_MEDIUM,
    LED_LOCK,
    LED_NO_HEAT,
    LED_STEP_MS,
    dimColour,
    ledColour,
} from "../../../src/core/panel/led"
import { FaultCode } from "../../../src/core/safety/faults"
import {
    SESSION_FAULT,
    SESSION_FINISHING,
    SESSION_IDLE,
    SESSION_OFF,
    SESSION_PAUSED,
    SESSION_RUNNING,
} from "../../../src/core/session/states"
import { breathe } from "../helpers"

function hex(c: number): string {
    return "" + c
}

/** Rows: state, heat level, fault, locked (0/1), ms, colour: the table of docs/session.md. */
const TABLE: number[][] = [
    [SESSION_OFF, 0, 0, 0, 0, LED_DARK],
    [SESSION_OFF, 3, 0, 0, 700, LED_DARK],
    [SESSION_IDLE, 0, 0, 0, 300, 0x001f00],
    [SESSION_IDLE, 1, 0, 0, 300, 0x1f1800],
    [SESSION_RUNNING, 0, 0, 0, 300, LED_NO_HEAT],
    [SESSION_RUNNING, 1, 0, 0, 300, LED_HEAT_LOW],
    [SESSION_RUNNING, 2, 0, 0, 300, LED_HEAT_MEDIUM],
    [SESSION_RUNNING, 3, 0, 0, 300, LED_HEAT_HIGH],
    [SESSION_PAUSED, 2, 0, 0, 500, LED_HEAT_MEDIUM],
    [SESSION_PAUSED, 2, 0, 0, 1500, LED_DARK],
    [SESSION_PAUSED, 2, 0, 0, 2000, LED_HEAT_MEDIUM],
    [SESSION_FINISHING, 0, 0, 0, 300, 0x007f00],
    [SESSION_FINISHING, 3, 0, 0, 300, 0x7f1800],
    [SESSION_FAULT, 0, FaultCode.Overtemp, 0, 0, LED_FAULT],
    [SESSION_FAULT, 0, FaultCode.Overtemp, 0, 250, LED_DARK],
    [SESSION_FAULT, 0, FaultCode.Overtemp, 0, 500, LED_FAULT],
    // a fault shows whatever the state and the lock
    [SESSION_RUNNING, 3, FaultCode.SensorOpen, 1, 100, LED_FAULT],
    [SESSION_FAULT, 2, FaultCode.StuckOn, 1, 2000, LED_FAULT],
    // the lock: a blue flash at the start of every 2 s, the state's colour between
    [SESSION_RUNNING, 1, 0, 1, 2000, LED_LOCK],
    [SESSION_RUNNING, 1, 0, 1, 2250, LED_HEAT_LOW],
    [SESSION_OFF, 0, 0, 1, 4100, LED_LOCK],
    [SESSION_OFF, 0, 0, 1, 4300, LED_DARK],
]

describe("status LED", () => {
    test("the table", () => {
        for (let i = 0; i < TABLE.length; i++) {
            const r = TABLE[i]
            const got = ledColour(r[0], r[1], r[2], r[3] === 1, r[4])
            if (got !== r[5]) throw new Error(`row ${i}: expected ${hex(r[5])}, got ${hex(got)}`)
        }
    })
    test("every state has its own look: a running session is never dark, off always is", async () => {
        for (let t = 0; t < 8000; t += 10) {
            for (let heat = 0; heat <= 3; heat++) {
                expect(ledColour(SESSION_RUNNING, heat, 0, false, t) !== LED_DARK).toBe(true)
                expect(ledColour(SESSION_OFF, heat, 0, false, t)).toBe(LED_DARK)
                expect(
                    ledColour(SESSION_IDLE, heat, 0, false, t) !==
                        ledColour(SESSION_RUNNING, heat, 0, false, t)
                ).toBe(true)
            }
            if (t % 500 === 0) await breathe()
        }
    })
    test("blink edges fall on multiples of the LED step: a driver that looks every step misses none", async () => {
        for (let s = 0; s < SESSION_FAULT + 1; s++)
            for (let lock = 0; lock < 2; lock++) {
                for (let t = 0; t < 4000; t += 10) {
                    if (t % 500 === 0) await breathe()
                    if (t % LED_STEP_MS === 0) continue
                    const step = t - (t % LED_STEP_MS)
                    const f = s === SESSION_FAULT ? FaultCode.Overtemp : 0
                    expect(ledColour(s, 2, f, lock === 1, t)).toBe(ledColour(s, 2, f, lock === 1, step))
                }
                await breathe()
            }
    })
    test("dimming", () => {
        expect(dimColour(0xffffff, 3)).toBe(0x1f1f1f)
        expect(dimColour(0x804020, 1)).toBe(0x402010)
    })
})
