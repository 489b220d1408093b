import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import {
    RESULT_MALFORMED,
    RESULT_OK,
    RESULT_OUT_OF_RANGE,
    RESULT_UNKNOWN_PATTERN,
    RESULT_WRONG_STATE,
} from "../../../src/control/results"
import { SESSION_OFF, SESSION_PAUSED, SESSION_RUNNING } from "../../../src/core/session/states"
import { codeOf, mark, refusedUnchanged, restingRig } from "./rig"

describe("control commands", () => {
    test("a session runs through start, pause, resume, extend and stop, each answered ok", async () => {
        const r = await restingRig()
        const s = r.server
        expect(r.session.state).toBe(SESSION_OFF)
        expect(codeOf(await s.setPattern([1, "kneading"]))).toBe(RESULT_OK)
        expect(r.session.patternId).toBe("kneading")
        const a = await s.start([2, 10])
        expect(a[0]).toBe(2)
        expect(codeOf(a)).toBe(RESULT_OK)
        expect(r.session.state).toBe(SESSION_RUNNING)
        expect(Math.abs(s.remaining() - 600) <= 1).toBe(true)
        await ds.sleep(200)
        // motors move at the port
        let moving = false
        for (let c = 0; c < r.port.channels; c++) if (r.port.last.levels[c] > 0) moving = true
        expect(moving).toBe(true)
        expect(codeOf(await s.pause([3]))).toBe(RESULT_OK)
        expect(r.session.state).toBe(SESSION_PAUSED)
        expect(codeOf(await s.resume([4]))).toBe(RESULT_OK)
        expect(codeOf(await s.extend([5, 10]))).toBe(RESULT_OK)
        expect(Math.abs(s.remaining() - 1200) <= 1).toBe(true)
        // past 30 minutes in all: refused, nothing changes
        const before = s.remaining()
        await refusedUnchanged(r, mark(r), await s.extend([6, 15]), RESULT_OUT_OF_RANGE)
        expect(Math.abs(s.remaining() - before) <= 1).toBe(true)
        expect(codeOf(await s.stop([7]))).toBe(RESULT_OK)
    })
    test("a resent command (same code and seq) is answered again, not run again", async () => {
        const r = await restingRig()
        const s = r.server
        await s.start([10, 5])
        const a = await s.extend([11, 5])
        const left = s.remaining()
        const b = await s.extend([11, 5])
        expect(codeOf(b)).toBe(codeOf(a))
        expect(Math.abs(s.remaining() - left) <= 1).toBe(true)
        // a new seq runs
        expect(codeOf(await s.extend([12, 5]))).toBe(RESULT_OK)
        expect(s.remaining() > left + 250).toBe(true)
    })
    test("every malformed, out-of-range or wrong-state command is refused with a reason", async () => {
        const r = await restingRig()
        const s = r.server
        const changes = r.session.changes
        await refusedUnchanged(r, mark(r), await s.start([]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.start(["x", 5]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.start([20]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.start([21, 7]), RESULT_OUT_OF_RANGE)
        await refusedUnchanged(r, mark(r), await s.start([22, 35]), RESULT_OUT_OF_RANGE)
        await refusedUnchanged(r, mark(r), await s.stop([23]), RESULT_WRONG_STATE)
        await refusedUnchanged(r, mark(r), await s.pause([24]), RESULT_WRONG_STATE)
        await refusedUnchanged(r, mark(r), await s.resume([25]), RESULT_WRONG_STATE)
        await refusedUnchanged(r, mark(r), await s.extend([26, 5]), RESULT_WRONG_STATE)
        await refusedUnchanged(r, mark(r), await s.clearFault([27]), RESULT_WRONG_STATE)
        await refusedUnchanged(r, mark(r), await s.setPattern([28, "no-such"]), RESULT_UNKNOWN_PATTERN)
        await refusedUnchanged(r, mark(r), await s.setPattern([29, ""]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.setPattern([30, 5]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.setIntensity([31, 0]), RESULT_OUT_OF_RANGE)
        await refusedUnchanged(r, mark(r), await s.setIntensity([32, 6]), RESULT_OUT_OF_RANGE)
        await refusedUnchanged(r, mark(r), await s.setIntensity([33, 2.5]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.setHeat([34, 4]), RESULT_OUT_OF_RANGE)
        await refusedUnchanged(r, mark(r), await s.setHeat([35]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.setFocus([36, 100, 100, 100, 201]), RESULT_OUT_OF_RANGE)
        await refusedUnchanged(r, mark(r), await s.setFocus([37, 100, 100]), RESULT_MALFORMED)
        await refusedUnchanged(r, mark(r), await s.setLock([38, 2]), RESULT_OUT_OF_RANGE)
        expect(codeOf(await s.listPatterns([39, 200]))).toBe(RESULT_UNKNOWN_PATTERN)
        await refusedUnchanged(r, mark(r), await s.setClock([40, 0, 5]), RESULT_OUT_OF_RANGE)
        await refusedUnchanged(r, mark(r), await s.deletePattern([41, "kneading"]), 13)
        await refusedUnchanged(r, mark(r), await s.deletePattern([42, "nope"]), RESULT_UNKNOWN_PATTERN)
        expect(r.session.changes).toBe(changes)
        expect(r.session.state).toBe(SESSION_OFF)
        // register writes go the same road
        await s.set_intensity(9)
        expect(s.writeResult()[0]).toBe(0x80)
        expect(s.writeResult()[1]).toBe(RESULT_OUT_OF_RANGE)
        await s.set_focus([100, 250, 100, 100])
        expect(s.writeResult()[1]).toBe(RESULT_OUT_OF_RANGE)
        await s.set_sessionMinutes(12)
        expect(s.writeResult()[1]).toBe(RESULT_OUT_OF_RANGE)
        expect(r.session.changes).toBe(changes)
        await s.set_intensity(3)
        expect(s.writeResult()[1]).toBe(RESULT_OK)
        expect(s.intensity()).toBe(3)
        await s.set_focus([100, 150, 50, 200])
        expect(s.focus()[1]).toBe(150)
        await s.set_sessionMinutes(20)
        expect(s.sessionMinutes()).toBe(20)
    })
})
