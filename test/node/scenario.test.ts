/*
 * Scenario files (sim/scenario.ts) and the console's keys (sim/console.ts) against a recording
 * stand-in for the stack: no ports, no VM.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { parseScenario, runScenario } from "../../sim/scenario"
import { SimConsole } from "../../sim/console"
import type { StackActions } from "../../sim/stack"
import { ROOT } from "./harness/stack"

/** A stack that records what it is asked, with the time since `t0`. */
function recorder() {
    const calls: string[] = []
    const faults = ["none", "none", "none", "none", "none", "none", "none", "none"]
    const a = {
        press: async (b: string, ms: number): Promise<void> => void calls.push(`press ${b} ${ms}`),
        setFault: (pad: number, f: string) => {
            faults[pad] = f
            calls.push(`fault ${pad} ${f}`)
        },
        clearFaults: () => calls.push("clearFaults"),
        setRoom: (c: number) => calls.push(`room ${c}`),
        hotRoom: (on: boolean) => calls.push(`hotRoom ${on}`),
        busDrop: (ms: number) => calls.push(`busDrop ${ms}`),
        brownout: async (ms: number): Promise<void> => void calls.push(`brownout ${ms}`),
        restartVm: async (): Promise<void> => void calls.push("restart"),
        control: async (c: string, args: unknown[]) => {
            calls.push(`control ${c} ${JSON.stringify(args)}`)
            return { ok: false, message: "control service not available" }
        },
        status: () => ({ channels: 8, faults }),
    }
    return { calls, actions: a as unknown as StackActions }
}

test(
    "a scenario runs its steps in time order, each once, and ends at endAt",
    { timeout: 60000 },
    async () => {
        const s = parseScenario(
            JSON.stringify({
                steps: [
                    { at: 60, hold: "buttonUp", ms: 900 },
                    { at: 0, press: "buttonPower" },
                    { at: 30, control: "setPattern", args: ["wave"] },
                    { at: 30, fault: "stuck-on", pad: 2 },
                    { at: 90, hotRoom: true },
                    { at: 90, busDrop: 100 },
                    { at: 90, brownout: 50 },
                    { at: 90, restart: true },
                    { at: 90, room: 30 },
                    { at: 90, clearFaults: true },
                ],
                endAt: 150,
            })
        )
        const { calls, actions } = recorder()
        const lines: string[] = []
        const t0 = performance.now()
        await runScenario(actions, s, t0, l => lines.push(l))
        assert.ok(performance.now() - t0 >= 149, "ended before endAt")
        assert.deepEqual(calls, [
            "press buttonPower undefined",
            'control setPattern ["wave"]',
            "fault 2 stuck-on",
            "press buttonUp 900",
            "hotRoom true",
            "busDrop 100",
            "brownout 50",
            "restart",
            "room 30",
            "clearFaults",
        ])
        assert.equal(lines[lines.length - 1], "scenario: done")
    }
)

test("a bad scenario is refused with the step and the reason", { timeout: 60000 }, () => {
    const bad = (steps: unknown[]) => () => parseScenario(JSON.stringify({ steps }))
    assert.throws(bad([{ at: 0, press: "buttonNope" }]), /step 1: press must name a button/)
    assert.throws(bad([{ at: 0 }]), /step 1: needs exactly one of/)
    assert.throws(bad([{ at: 0, press: "buttonUp", fault: "none", pad: 0 }]), /exactly one/)
    assert.throws(bad([{ at: -1, restart: true }]), /"at" must be ms/)
    assert.throws(bad([{ at: 0, fault: "melt", pad: 0 }]), /fault must be one of/)
    assert.throws(bad([{ at: 0, fault: "stuck-on", pad: 9 }]), /pad 0..7/)
    assert.throws(bad([{ at: 0, busDrop: 0 }]), /1..600000/)
    assert.throws(bad([{ at: 0, restart: true, extra: 1 }]), /unknown field extra/)
    assert.throws(() => parseScenario("{"), /not JSON/)
    assert.throws(() => parseScenario("[]"), /"steps" array/)
})

test("the example scenario parses", { timeout: 60000 }, () => {
    const s = parseScenario(readFileSync(join(ROOT, "sim", "scenarios", "smoke.json"), "utf8"))
    assert.ok(s.steps.length >= 5)
})

test(
    "console keys press buttons short and long, cycle faults, and reach every action",
    { timeout: 60000 },
    async () => {
        const { calls, actions } = recorder()
        const ui = new SimConsole(actions, () => calls.push("quit"), 0)
        ui.log = () => undefined
        for (const k of "pPmMuUdDhH3fFfcbBrtq") ui.key(k)
        await new Promise(r => setTimeout(r, 10))
        assert.deepEqual(calls, [
            "press buttonPower 120",
            "press buttonPower 2000",
            "press buttonMode 120",
            "press buttonMode 2000",
            "press buttonUp 120",
            "press buttonUp 2000",
            "press buttonDown 120",
            "press buttonDown 2000",
            "press buttonHeat 120",
            "press buttonHeat 2000",
            "fault 3 sensor-open",
            "fault 3 none",
            "fault 3 sensor-open",
            "clearFaults",
            "busDrop 2000",
            "brownout 500",
            "restart",
            "hotRoom true",
            "quit",
        ])
    }
)
