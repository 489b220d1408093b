/*
 * The node hardware simulator on the bus: `devs devtools` (loopback), sim/app.ts serving the Foot
 * IO board, and a DeviceScript program (test/bus/probe.ts) driving it as the firmware does. Frames
 * must reach the board and move its motors and heat its pad; thermistor readings must come back
 * fresh at the sampling rate.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { join } from "node:path"
import { runWithCompanion } from "../../scripts/vm-bus"
import { lastStatusLine } from "../../sim/app"

const ROOT = join(__dirname, "..", "..", "..", "..")

test(
    "the firmware's frames drive the simulated board, its readings come back",
    { timeout: 120000 },
    async () => {
        process.chdir(ROOT)
        const run = await runWithCompanion("test/bus/probe.ts", /PROBE END|Exception|PANIC/, 60000, {
            args: ["build/node/sim/app.js", "--status-ms", "0", "--ambient", "22"],
            ready: /SIM ready/,
        })
        const probe =
            /PROBE channels=(\d+) reads=(\d+) fresh=(\d+) pad0from=(-?\d+) pad0to=(-?\d+) pad1=(-?\d+)/.exec(
                run.vm
            )
        assert.ok(probe, "the probe did not report:\n" + run.vm.slice(-2000))
        const [channels, reads, fresh, from, to, pad1] = probe.slice(1).map(Number)
        assert.equal(channels, 8)
        // readings every 80 ms for 6 s; the board streams them every 100 ms, so nearly all are fresh
        assert.ok(reads >= 50, `reads ${reads}`)
        assert.ok(fresh >= reads * 0.6, `only ${fresh} of ${reads} readings were fresh`)
        // pad 0 heated at full power for 6 s warms (behind its sensor's lag); pad 1 does not
        assert.ok(to - from >= 50, `pad 0 went from ${from / 100} to ${to / 100} C`)
        assert.ok(Math.abs(pad1 / 100 - 22) < 3, `pad 1 at ${pad1 / 100} C`)
        const status = lastStatusLine(run.companion)
        assert.ok(status, "the simulator printed no status:\n" + run.companion.slice(-2000))
        const writes = Number(/writes=(\d+)/.exec(status)[1])
        const frames = Number(/frames=(\d+)/.exec(status)[1])
        assert.ok(writes >= 100, `writes ${writes}`)
        assert.ok(frames >= 2 * writes - 4, `frames ${frames} for ${writes} writes`)
        assert.match(status, /malformed=0/)
    }
)
