// The golden trace in the DeviceScript VM: prints one GOLDEN line per pattern and second.
// Run by test/node/golden.test.ts: devs run test/golden/vm-trace.ts --test --test-self-exit
import * as ds from "@devicescript/core"
import { GoldenRun, TRACE_PATTERNS } from "./trace"

for (let i = 0; i < TRACE_PATTERNS; i++) {
    const run = new GoldenRun(i)
    await ds.sleep(0)
    let n = 0
    while (!run.done()) {
        const line = run.step()
        if (line !== null) console.log(line)
        if (++n % 10 === 0) await ds.sleep(0)
    }
    await ds.sleep(0)
}
console.log("GOLDEN END")
ds.restart()
