import * as ds from "@devicescript/core"
import { makeConfig } from "../../src/core/config"
import { Scheduler } from "../../src/core/scheduler"
import { loadPattern } from "../../src/core/pattern"
import { BUILTIN_PATTERNS } from "../../src/core/library"

const cfg = makeConfig({ framePeriodMs: 20 })
const s = new Scheduler(cfg)
const p = loadPattern(BUILTIN_PATTERNS[1], 20).pattern
await ds.sleep(0)
const p2 = loadPattern(BUILTIN_PATTERNS[5], 20).pattern
await ds.sleep(0)
s.setPattern(p, 0)
s.start(0)
s.setHeaterDuty(0, 0.5)
s.setHeaterDuty(5, 0.3)
for (let k = 0; k < 400; k += 10) {
    await ds.sleep(0)
    const f = s.frame(k)
    if (k === 200) s.setPattern(p2, k + 1)
    console.log(`${k}: ${f.levels.join(",")} h=${f.heaters}`)
}
await ds.sleep(0)
const t0 = ds.millis()
for (let r = 0; r < 100; r++) {
    for (let k = 0; k < 50; k++) s.frame(400 + r * 50 + k)
    await ds.sleep(0)
}
console.log(`5000 frames: ${ds.millis() - t0} ms`)
