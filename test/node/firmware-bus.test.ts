/*
 * The firmware (src/main.ts) on the bus with the node hardware simulator: the simulator's board
 * has an open thermistor on pad 0; the firmware must read it through the Foot IO service, latch
 * the fault and report it, and keep every output off (no session was started). The fault it
 * stores in the simulator's flash is deleted afterwards (test/bus/clear-faults.ts).
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { join } from "node:path"
import { runWithCompanion } from "../../scripts/vm-bus"
import { lastStatusLine } from "../../sim/app"

const ROOT = join(__dirname, "..", "..", "..", "..")

test(
    "the firmware reads the simulated thermistors and reports an open one",
    { timeout: 120000 },
    async () => {
        process.chdir(ROOT)
        const run = await runWithCompanion("src/main.ts", /heat fault \d+ on pad 0|Exception|PANIC/, 60000, {
            args: ["build/node/sim/app.js", "--status-ms", "0", "--fault", "0:sensor-open"],
            ready: /SIM ready/,
        })
        // the firmware stored the fault in the simulator's flash (as it must): take it out again
        const cleared = await runWithCompanion(
            "test/bus/clear-faults.ts",
            /FAULTS (CLEARED|LEFT)|Exception|PANIC/,
            30000,
            null
        )
        assert.match(cleared.vm, /FAULTS CLEARED/)
        assert.match(run.vm, /heat fault 2 on pad 0: A pad's temperature sensor is disconnected/)
        assert.doesNotMatch(run.vm, /Exception|PANIC/)
        const status = lastStatusLine(run.companion)
        assert.ok(status, "the simulator printed no status:\n" + run.companion.slice(-2000))
        assert.match(status, /heaters=0x0 power=cut/)
        assert.match(status, /malformed=0/)
    }
)
