// The golden trace in the DeviceScript VM: prints one GOLDEN line per pattern and second.
// Run by test/node/golden.test.ts: devs run test/golden/vm-trace.ts --test --test-self-exit
import * as ds from "@devicescript/core"
import { CompiledPattern, DEFAULT_CONFIG, PatternLoader } from "../../src/core"
import { GoldenRun, TRACE_PATTERNS, traceOverlaySpec, traceSpec, traceVisitorSpec } from "./trace"

/** Loads as the firmware does: a loader step per VM slice, tables in Buffers. */
async function load(spec: any): Promise<CompiledPattern> {
    const loader = new PatternLoader(spec, DEFAULT_CONFIG.framePeriodMs, n => Buffer.alloc(n))
    while (!loader.step()) await ds.sleep(0)
    return loader.result.pattern
}

const focus = await load(traceOverlaySpec())
const visitor = await load(traceVisitorSpec())
for (let i = 0; i < TRACE_PATTERNS; i++) {
    const spec = traceSpec(i)
    const run = new GoldenRun(spec.id, await load(spec), focus, visitor)
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
