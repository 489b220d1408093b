/*
 * The simulator's panel on the hub's bus: a DeviceScript probe (test/bus/panel-probe.ts) binds
 * five named button roles and a status light as the firmware will; each press sent to
 * POST /sim/press reaches the role of the same name, and the colour the probe writes to the
 * light is seen in GET /sim/status. Run under `flock /tmp/foot-bus.lock`.
 */
import { test, before, after } from "node:test"
import assert from "node:assert/strict"
import { BUTTONS } from "../../sim/panel"
import { StackProcess } from "./harness/stack"

const PORT = 18183
/** The colour the probe paints for each button, in BUTTONS order. */
const COLORS = [0x0000ff, 0xff0000, 0x00ff00, 0xffffff, 0xffff00]
let stack: StackProcess

before(
    async () => {
        stack = await StackProcess.start(PORT, ["--program", "test/bus/panel-probe.ts"])
        await stack.waitFor(/PANEL bound \d+ led (true|false)/, 30000)
    },
    { timeout: 180000 }
)
after(
    async () => {
        if (stack) await stack.stop()
    },
    { timeout: 30000 }
)

test("the probe's five button roles and its light bind to the simulator's", { timeout: 60000 }, () => {
    assert.match(stack.output, /PANEL bound 5 led true/)
})

test(
    "each press reaches the role of its name, and the light shows the colour written",
    { timeout: 60000 },
    async () => {
        for (let i = 0; i < BUTTONS.length; i++) {
            const name = BUTTONS[i]
            const r = await stack.post("press", { button: name, ms: 150 })
            assert.equal(r.status, 200, JSON.stringify(r.body))
            await stack.waitFor(new RegExp(`PANEL down ${name}\\b`), 5000)
            const s = await stack.until(
                s => s.led.color === COLORS[i],
                3000,
                `the light at ${COLORS[i].toString(16)}`
            )
            assert.equal(s.led.color, COLORS[i])
        }
        assert.equal((await stack.status()).presses, BUTTONS.length)
    }
)

test("a press of a button that does not exist is refused", { timeout: 60000 }, async () => {
    const r = await stack.post("press", { button: "buttonSelfDestruct" })
    assert.equal(r.status, 400)
})
