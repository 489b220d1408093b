/*
 * The stack as `npm start` starts it (build/node/scripts/start.js on a test port, no terminal):
 * the firmware's frames reach the simulated board through the hub, no devtools port is open,
 * the control endpoint injects faults for loopback clients and refuses other origins, a second
 * start reports the port taken, and Ctrl-C (SIGINT) stops everything and leaves no listener.
 * Run under `flock /tmp/foot-bus.lock`.
 */
import { test, before, after } from "node:test"
import assert from "node:assert/strict"
import { StackProcess, listening } from "./harness/stack"

const PORT = 18182
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

test("start-up prints its progress, then the dashboard's address", { timeout: 120000 }, () => {
    assert.match(stack.output, /start: building the firmware/)
    assert.match(stack.output, /start: first frame after \d+\.\d s/)
    assert.match(stack.output, new RegExp(`^dashboard: http://127\\.0\\.0\\.1:${PORT}/$`, "m"))
})

test(
    "the board sees the firmware's frames through the hub (all off: no session yet)",
    { timeout: 120000 },
    async () => {
        const s = await stack.until(s => s.frames >= 4, 10000, "four frames at the board")
        assert.ok(s.busFrames > 0, "the hub carried no frame")
        assert.equal(s.busClients, 2, "the simulator and the VM on the bus")
        assert.ok(s.vmRunning)
        assert.deepEqual(s.levels, [0, 0, 0, 0, 0, 0, 0, 0])
        assert.equal(s.heaters, 0)
        assert.equal(s.malformed, 0)
        assert.match(stack.output, /vm: connected to ws:\/\/127\.0\.0\.1:18182\/bus/)
    }
)

test("no devtools port is open", { timeout: 120000 }, async () => {
    for (const port of [8081, 8082, 8083]) assert.equal(await listening(port), false, `port ${port} listens`)
})

test(
    "the fault endpoint refuses a foreign origin and injects for a loopback client",
    { timeout: 120000 },
    async () => {
        const foreign = await stack.post(
            "fault",
            { pad: 0, fault: "stuck-on" },
            { Origin: "http://evil.example.com" }
        )
        assert.equal(foreign.status, 403)
        assert.equal((await stack.status()).faults[0], "none")
        // a half-power heater: invisible while nothing heats, so the firmware stores no fault in the
        // simulator's flash (an open sensor would be latched there for every later run)
        const own = await stack.post("fault", { pad: 3, fault: "heater-half" })
        assert.equal(own.status, 200, JSON.stringify(own.body))
        assert.equal((await stack.status()).faults[3], "heater-half")
        assert.equal((await stack.post("clear-faults")).status, 200)
        assert.equal((await stack.status()).faults[3], "none")
    }
)

test("hot room, bus drop, brownout and a VM restart from the endpoint", { timeout: 120000 }, async () => {
    assert.equal((await stack.post("hot-room", { on: true })).body.ambientC, 40)
    assert.equal((await stack.post("hot-room", { on: false })).body.ambientC, 22)
    const before = (await stack.status()).vmStarts
    assert.equal((await stack.post("restart")).status, 200)
    const s = await stack.until(s => s.vmStarts === before + 1 && s.vmRunning, 5000, "the VM restarted")
    assert.equal(s.vmStarts, before + 1)
    await stack.waitFor(/vm: .*start: foot-massager[^\n]*\n(.|\n)*start: foot-massager/, 20000)
    assert.equal((await stack.post("bus-drop", { ms: 300 })).status, 200)
    assert.equal((await stack.post("brownout", { ms: 300 })).status, 200)
    assert.equal((await stack.status()).powered, false)
    await stack.until(s => s.powered && s.vmRunning, 5000, "power and the VM back")
    assert.equal((await stack.post("brownout", { ms: -1 })).status, 400)
})

test("a second start on the same port says the port is taken", { timeout: 120000 }, async () => {
    const second = StackProcess.spawn(PORT)
    const code = await second.exited
    assert.equal(code, 1)
    assert.match(
        second.output,
        new RegExp(`port ${PORT} on 127\\.0\\.0\\.1 is taken: is another \`npm start\` running\\?`)
    )
})

test("Ctrl-C stops every process and leaves no listener", { timeout: 120000 }, async () => {
    const vmPid = (await stack.status()).vmPid
    assert.ok(vmPid > 0)
    const code = await stack.interrupt()
    stack = null
    assert.equal(code, 0)
    assert.equal(await listening(PORT), false, "the hub still listens")
    assert.throws(() => process.kill(vmPid, 0), /ESRCH/, "the VM still runs")
})
