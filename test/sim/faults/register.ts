import * as ds from "@devicescript/core"
import { describe, test } from "@devicescript/test"
import { ScenarioRun, scenarioName } from "../../faults/scenarios"

function scenarioTest(i: number) {
    test(scenarioName(i) + " ends safe", async () => {
        await ds.sleep(0)
        const run = new ScenarioRun(i)
        await ds.sleep(0)
        while (!run.step(2)) await ds.sleep(0)
        const r = run.result
        console.log(
            `    max pad ${Math.round(r.maxC * 10) / 10} C, safe after ${r.timeToSafeMs} ms, fault ${r.fault}`
        )
        if (!r.safe) throw new Error(scenarioName(i) + ": " + r.note)
    })
}

/** Registers fault-matrix scenarios from..to-1 as tests (two suites share the matrix). */
export function registerScenarios(from: number, to: number) {
    describe("fault matrix " + from + ".." + (to - 1), () => {
        for (let i = from; i < to; i++) scenarioTest(i)
    })
}
