import { describe, test, expect } from "@devicescript/test"
import { ADC_FULL_SCALE, atRail, celsiusOf, rawOf } from "../../../src/core/physics/thermistor"
import {
    DEFAULT_TARGETS_C,
    HEAT_HIGH,
    HEAT_LOW,
    HEAT_MEDIUM,
    HeatController,
    MAX_TARGET_C,
    targetFor,
} from "../../../src/core/thermal/heat-control"
import { FaultCode, faultMessage } from "../../../src/core/safety/faults"
import { sensorsOfChip } from "../../../src/core/physics/sensor-map"
import { expectNear } from "../helpers"

describe("thermistor", () => {
    test("converts with the Beta equation at known points", () => {
        // at 25 C the NTC equals the fixed resistor: half scale
        expectNear(celsiusOf(ADC_FULL_SCALE / 2), 25, 1e-9, "25 C at half scale")
        // 10k * exp(3950 * (1/313.15 - 1/298.15)) = 5301 ohms at 40 C
        expectNear(rawOf(40), (65535 * 5301.1) / 15301.1, 2, "raw at 40 C")
        for (let c = -10; c <= 85; c += 5) expectNear(celsiusOf(rawOf(c)), c, 1e-6, "round trip " + c)
    })
    test("rails mean an open or shorted sensor; a rail never converts", () => {
        expect(atRail(ADC_FULL_SCALE)).toBe(true)
        expect(atRail(0)).toBe(true)
        expect(atRail(30)).toBe(true)
        expect(atRail(rawOf(85))).toBe(false)
        expect(atRail(rawOf(-10))).toBe(false)
        expect(isNaN(celsiusOf(0))).toBe(true)
        expect(isNaN(celsiusOf(ADC_FULL_SCALE))).toBe(true)
        expect(isNaN(celsiusOf(NaN))).toBe(true)
    })
    test("each ADC chip reads four sensors, listed whole in the VM too", () => {
        // (it cleared its list with `out.length = 0`, which the VM got wrong: a for-of over the
        // list saw nothing, and the family's chip faults were never injected in the VM)
        const want = [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 8, 9, 10, 11]
        const out = [99, 98, 97, 96, 95, 94]
        for (let c = 0; c < 4; c++) {
            sensorsOfChip(c, out)
            expect(out.length).toBe(4)
            let seen = 0
            for (const s of out) {
                expect(s).toBe(want[c * 4 + seen])
                seen++
            }
            expect(seen).toBe(4)
        }
        expect(sensorsOfChip(3, []).length).toBe(4)
    })
})

describe("heat levels and control", () => {
    test("levels map to 38 / 41 / 43 C, and nothing sets a target above 43 C", () => {
        expect(targetFor(HEAT_LOW, DEFAULT_TARGETS_C)).toBe(38)
        expect(targetFor(HEAT_MEDIUM, DEFAULT_TARGETS_C)).toBe(41)
        expect(targetFor(HEAT_HIGH, DEFAULT_TARGETS_C)).toBe(43)
        expect(targetFor(HEAT_HIGH, [0, 40, 46, 60])).toBe(MAX_TARGET_C)
        expect(targetFor(7, DEFAULT_TARGETS_C)).toBe(0)
        expect(targetFor(NaN, DEFAULT_TARGETS_C)).toBe(0)
        const c = new HeatController()
        c.setTarget(99)
        expect(c.target).toBe(MAX_TARGET_C)
        c.setTarget(-5)
        expect(c.target).toBe(0)
    })
    test("the controller drives hard when cold, backs off above the target, and never leaves 0..1", () => {
        const c = new HeatController()
        c.setTarget(43)
        expect(c.update(30, 0.1)).toBe(1)
        expect(c.update(43.6, 0.1)).toBe(0)
        expect(c.update(NaN, 0.1)).toBe(0)
        const d = c.update(43, 0.1)
        expect(d > 0.4 && d < 0.8).toBe(true)
        c.setTarget(0)
        expect(c.update(20, 0.1)).toBe(0)
    })
    test("every fault code has a message", () => {
        for (let code = 0; code <= FaultCode.StuckOn; code++) expect(faultMessage(code).length > 5).toBe(true)
        expect(faultMessage(99).indexOf("99") >= 0).toBe(true)
    })
})
