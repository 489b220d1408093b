// The VM side of test/node/sim-bus.test.ts: drives the node simulator's Foot IO board over the
// devtools bus like the firmware does (frame batches out, thermistor readings in) and reports.
import * as ds from "@devicescript/core"
import { Frame } from "../../src/core/frame/frame"
import { batchSize, encodeHeader, encodeRecord } from "../../src/core/frame/wire"
import { celsiusOf } from "../../src/core/physics/thermistor"

const N = 8
const io = new ds.FootIo()
const t0 = ds.millis()
while (!io.isBound && ds.millis() - t0 < 20000) await ds.sleep(50)
console.log(`PROBE bound ${io.isBound}`)
const channels = await io.channels.read()
const buf = Buffer.alloc(batchSize(N, 2))
const f = new Frame(N)
f.heaters = 1
f.heaterPower = true
for (let c = 0; c < N; c++) f.levels[c] = 128
let k = 0
let reads = 0
let fresh = 0
let last = ""
let first = NaN
let pad0 = NaN
let pad1 = NaN
const start = ds.millis()
// 6 s: pad 0 heated at full power, every motor at half speed; readings every 100 ms
while (ds.millis() - start < 6000) {
    encodeHeader(buf, 2, k)
    encodeRecord(buf, 0, f)
    encodeRecord(buf, 1, f)
    k += 2
    await io.frame.write(buf)
    if (k % 4 === 0) {
        const t = await io.temperatures.read()
        reads++
        const hex = t.toString("hex")
        if (hex !== last) fresh++
        last = hex
        pad0 = celsiusOf(t.getAt(0, "u16"))
        pad1 = celsiusOf(t.getAt(2, "u16"))
        if (first !== first) first = pad0
    }
    await ds.sleep(40)
}
console.log(
    `PROBE channels=${channels} reads=${reads} fresh=${fresh} pad0from=${Math.round(first * 100)} pad0to=${Math.round(pad0 * 100)} pad1=${Math.round(pad1 * 100)}`
)
console.log("PROBE END")
