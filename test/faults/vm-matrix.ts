// `npm run faults`, the part in the DeviceScript VM: plays every scenario of the fault matrix
// and prints one FAULTS line each; scripts/run-faults.ts prints the table.
import * as ds from "@devicescript/core"
import { SCENARIO_COUNT, ScenarioRun } from "./scenarios"
import { FamilyRun, SAMPLE_END_MS, familyScenarios, familySeed } from "./family"

console.log(`FAULTS COUNT ${SCENARIO_COUNT}`)
// one rig at a time: a local keeps its value until overwritten, so the last run is let go (and
// the heap collected across a yield) before the next is built (docs/devicescript-vm.md)
let run: ScenarioRun = null
for (let i = 0; i < SCENARIO_COUNT; i++) {
    run = null
    await ds.sleep(0)
    run = new ScenarioRun(i)
    while (!run.step(2)) await ds.sleep(0)
    const r = run.result
    // the VM prints numbers with 6 significant digits: send hundredths of a degree as integers
    console.log(
        `FAULTS ${i}|${run.name}|${r.safe ? 1 : 0}|${r.timeToSafeMs}|${Math.round(r.maxC * 100)}|${r.fault}|${r.note}`
    )
    await ds.sleep(0)
}
// a sample of the generated family (which npm run faults plays whole in node), the same
// scenarios with the same seeds over the first SAMPLE_END_MS of their sessions (the injection
// and 200 s after it): scripts/run-faults.ts compares them with node over the same slice
run = null
await ds.sleep(0)
const sample = familyScenarios(true)
let fam: FamilyRun = null
for (const sc of sample) {
    fam = null
    await ds.sleep(0)
    fam = new FamilyRun(sc, familySeed(sc.index), SAMPLE_END_MS)
    while (!fam.step(2)) await ds.sleep(0)
    const r = fam.result
    console.log(
        `FAMILY ${sc.index}|${sc.name}|${r.safe ? 1 : 0}|${r.timeToSafeMs}|${Math.round(r.maxC * 100)}|${r.fault}`
    )
    await ds.sleep(0)
}
console.log("FAULTS END")
ds.restart()
