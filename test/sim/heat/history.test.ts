import { describe, test, expect } from "@devicescript/test"
import { BlockHistory } from "../../../src/core/safety/history"
import { Prng } from "../../../src/core/util/prng"
import { breathe } from "../helpers"

// The VM's own arithmetic differs from node's in places (`%` works on 32-bit integers, NaN | 0
// is 0): the packed history must read back here as in node (test/node/compact-state.test.ts).
describe("the supervisor's block history in the VM", () => {
    test("means and duties read back as pushed, unfilled blocks as NaN", async () => {
        const blocks = 44
        const h = new BlockHistory(8, blocks)
        expect(isNaN(h.mean(3, 0))).toBe(true)
        expect(isNaN(h.dutyOver(3, 5, 0))).toBe(true)
        const rng = new Prng(5)
        const means: number[] = []
        const duties: number[] = []
        for (let k = 0; k < 100; k++) {
            const m = 10 + rng.next() * 60
            const d = k % 7 === 0 ? 1 : k % 5 === 0 ? 0 : rng.next()
            h.push(3, m, d)
            means.push(m)
            duties.push(d)
            const n = means.length
            expect(Math.abs(h.mean(3, 0) - m) < 0.0001).toBe(true)
            if (n >= 3) expect(Math.abs(h.mean(3, 2) - means[n - 3]) < 0.0001).toBe(true)
            const span = n < 20 ? n : 20
            let sum = 0
            for (let b = 0; b < span; b++) sum += duties[n - 1 - b]
            expect(Math.abs(h.dutyOver(3, span - 1, 0) - sum / span) < 0.000001).toBe(true)
            if (n < blocks) expect(isNaN(h.dutyOver(3, n, 0))).toBe(true)
            await breathe()
        }
        expect(isNaN(h.mean(2, 0))).toBe(true)
        h.push(3, NaN, 0.5)
        expect(isNaN(h.mean(3, 0))).toBe(true)
        expect(isNaN(h.dutyOver(3, 1, 0))).toBe(true)
    })
})
