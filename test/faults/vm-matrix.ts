// `npm run faults`, the part in the DeviceScript VM: plays every scenario of the fault matrix
// and prints one FAULTS line each; scripts/run-faults.ts prints the table.
import * as ds from "@devicescript/core"
import { SCENARIO_COUNT, ScenarioRun } from "./scenarios"

console.log(`FAULTS COUNT ${SCENARIO_COUNT}`)
for (let i = 0; i < SCENARIO_COUNT; i++) {
    const run = new ScenarioRun(i)
    while (!run.step(4)) await ds.sleep(0)
    const r = run.result
    // the VM prints numbers with 6 significant digits: send hundredths of a degree as integers
    console.log(
        `FAULTS ${i}|${run.name}|${r.safe ? 1 : 0}|${r.timeToSafeMs}|${Math.round(r.maxC * 100)}|${r.fault}|${r.note}`
    )
    await ds.sleep(0)
}
console.log("FAULTS END")
ds.restart()
