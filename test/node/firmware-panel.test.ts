/*
 * The firmware's panel on the bus (src/main.ts as `npm start` runs it, the node simulator serving
 * the five buttons and the status light): the firmware's button roles and its LED bind to the
 * simulator's servers; a long press of power clears the "records lost" fault a fresh simulator
 * flash latches (docs/storage.md), a short press starts a session and the motors move at the
 * board, the status light shows a running session, and power again stops it. Run under
 * `flock /tmp/foot-bus.lock`.
 */
import { test, before, after } from "node:test"
import assert from "node:assert/strict"
import { StackProcess } from "./harness/stack"
import { LONG_PRESS_MS } from "../../sim/panel"

const PORT = 18184
let stack: StackProcess

before(
    async () => {
        stack = await StackProcess.start(PORT)
    },
    { timeout: 180000 }
)
after(
    async () => {
        if (stack) await stack.stop()
    },
    { timeout: 30000 }
)

const moving = (levels: number[]) => levels.some(l => l > 0)

test(
    "power on the panel starts and stops a session; the status light follows",
    { timeout: 150000 },
    async () => {
        await stack.until(s => s.frames >= 4, 20000, "frames at the board")
        // the roles bind a few seconds after the VM starts: until then a press is lost; a long
        // press clears a latched fault (a fresh flash latches "records lost") and does nothing
        // otherwise, then a short press starts: repeat until the motors move
        const t0 = Date.now()
        let started = false
        while (!started && Date.now() - t0 < 40000) {
            // a press request returns at once: a second press before the release would only
            // extend the first
            await stack.post("press", { button: "buttonPower", ms: LONG_PRESS_MS })
            await new Promise(r => setTimeout(r, LONG_PRESS_MS + 500))
            await stack.post("press", { button: "buttonPower" })
            try {
                await stack.until(s => moving(s.levels), 6000, "motors moving")
                started = true
            } catch (e) {
                // not bound yet, or the fault was still latched: press again
            }
        }
        assert.ok(started, "no session started from the power button:\n" + stack.output.slice(-3000))
        // running: the heat level's colour at full brightness (green without heat; the level may be
        // one restored from an earlier run's settings)
        const running = await stack.until(
            s => [0x00ff00, 0xffc000, 0xff7000, 0xff3000].includes(s.led.color),
            5000,
            "the light in a running session's colour"
        )
        assert.ok(running.presses >= 2)
        await stack.post("press", { button: "buttonPower" })
        await stack.until(s => !moving(s.levels), 8000, "motors still after the soft stop")
        assert.doesNotMatch(stack.output, /PANIC|Exception/)
    }
)
