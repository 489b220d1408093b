import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { RESULT_HEAT_FAULT, RESULT_LOCKED, RESULT_OK } from "../../../src/control/results"
import { SESSION_FAULT } from "../../../src/core/session/states"
import { FaultCode } from "../../../src/core/safety/faults"
import { FOCUS_PULSE_ID } from "../../../src/core/pattern/library"
import { codeOf, mark, refusedUnchanged, restingRig } from "./rig"

describe("control commands: lists, order, lock and faults", () => {
    test("the pattern list pages fit 236 bytes and name every pattern", async () => {
        const r = await restingRig()
        const s = r.server
        const first = await s.listPatterns([60, 0])
        const n: number = first[3]
        expect(n >= 9).toBe(true)
        const spec = ds.MassagerControl.spec.lookup("listPatterns")
        const reason = ds.MassagerControl.spec.lookup("patternReason")
        for (let i = 0; i < n; i++) {
            const a = await s.listPatterns([61 + i, i])
            expect(codeOf(a)).toBe(RESULT_OK)
            expect((a[5] as string).length > 0).toBe(true)
            // the focus overlay is not a pattern to choose
            expect(a[4] === FOCUS_PULSE_ID).toBe(false)
            expect((a[6] as string).length > 0).toBe(true)
            expect(spec.response.encode(a).payload.length <= 236).toBe(true)
            const b = await s.patternReason([90 + i, i])
            expect(codeOf(b)).toBe(RESULT_OK)
            expect(reason.response.encode(b).payload.length <= 236).toBe(true)
        }
    })
    test("handlers run one at a time, in arrival order", async () => {
        const r = await restingRig()
        const s = r.server
        const order: number[] = []
        // forked commands: each would interleave at its first await without the queue
        const fork = (k: number) => {
            const job = async () => {
                const a = await s.setPattern([100 + k, k % 2 === 0 ? "kneading" : "deep-rolling"])
                order.push(k * 10 + codeOf(a))
            }
            job.start()
        }
        ;[0, 1, 2, 3, 4].forEach(fork)
        await ds.sleep(50)
        while (s.queue.pending() > 0) await ds.sleep(20)
        expect(order.length).toBe(5)
        for (let i = 0; i < 5; i++) expect(order[i]).toBe(i * 10)
        expect(r.session.patternId).toBe("kneading")
    })
    test("the lock refuses all but stop and unlock; a fault refuses heat and start", async () => {
        const r = await restingRig()
        const s = r.server
        await s.start([50, 0])
        expect(codeOf(await s.setLock([51, 1]))).toBe(RESULT_OK)
        expect(s.lock()).toBe(1)
        await refusedUnchanged(r, mark(r), await s.setHeat([52, 3]), RESULT_LOCKED)
        await refusedUnchanged(r, mark(r), await s.setIntensity([53, 5]), RESULT_LOCKED)
        await refusedUnchanged(r, mark(r), await s.setPattern([54, "kneading"]), RESULT_LOCKED)
        expect(codeOf(await s.stop([55]))).toBe(RESULT_OK)
        expect(codeOf(await s.setLock([56, 0]))).toBe(RESULT_OK)
        // a fault on the same rig (the VM's heap holds one), cleared at the end
        r.supervisor.restoreLatched(FaultCode.Overtemp, -1, ds.millis(), 46)
        await ds.sleep(60)
        expect(r.session.state).toBe(SESSION_FAULT)
        expect(s.fault()[0]).toBe(FaultCode.Overtemp)
        expect(s.fault()[1]).toBe(255)
        await refusedUnchanged(r, mark(r), await s.start([57, 0]), RESULT_HEAT_FAULT)
        await refusedUnchanged(r, mark(r), await s.setHeat([58, 1]), RESULT_HEAT_FAULT)
        expect(r.supervisor.clearFaults(ds.millis())).toBe(1)
        await ds.sleep(60)
        expect(r.session.state === SESSION_FAULT).toBe(false)
    })
})
