/*
 * Scenario files: a session replayed on the running stack (`npm start -- --scenario FILE`).
 * JSON: { "description"?: string, "steps": Step[], "endAt"?: ms }. Each step has `at` (ms after
 * the first frame reached the board) and exactly one action:
 *
 *     {"at": 0,    "press": "buttonPower", "ms"?: 120}   a press (ms: how long it is held)
 *     {"at": 500,  "hold": "buttonUp", "ms"?: 2000}       a long press
 *     {"at": 900,  "control": "setPattern", "args"?: [..]} a command to the control service
 *     {"at": 1000, "fault": "sensor-open", "pad": 0}      a pad fault ("none" repairs the pad)
 *     {"at": 1100, "clearFaults": true}                   repair every pad
 *     {"at": 1200, "room": 38}                            room temperature, C
 *     {"at": 1300, "hotRoom": true}                       40 C room (false: back to 22 C)
 *     {"at": 1400, "busDrop": 2000}                       the bus carries nothing for ms
 *     {"at": 1500, "brownout": 500}                       the power stage dark for ms, VM reset
 *     {"at": 1600, "restart": true}                       restart the VM
 *     {"at": 1700, "log": "text"}                         print a line
 *
 * Steps run in the order of `at` (ties in file order). With `endAt` the stack stops that long
 * after the first frame; without, it keeps running after the last step.
 */
import { PAD_FAULTS, PadFault } from "./board"
import { BUTTONS, LONG_PRESS_MS, isButtonName } from "./panel"
import type { StackActions } from "./stack"

/** One timed action. */
export type ScenarioStep = { at: number } & (
    | { press: string; ms?: number }
    | { hold: string; ms?: number }
    | { control: string; args?: unknown[] }
    | { fault: PadFault; pad: number }
    | { clearFaults: true }
    | { room: number }
    | { hotRoom: boolean }
    | { busDrop: number }
    | { brownout: number }
    | { restart: true }
    | { log: string }
)

/** A parsed scenario. */
export interface Scenario {
    description: string
    steps: ScenarioStep[]
    endAt?: number
}

const ACTIONS = [
    "press",
    "hold",
    "control",
    "fault",
    "clearFaults",
    "room",
    "hotRoom",
    "busDrop",
    "brownout",
    "restart",
    "log",
]
const EXTRA: Record<string, string[]> = { press: ["ms"], hold: ["ms"], control: ["args"], fault: ["pad"] }

function isMs(v: unknown, lo: number, hi: number): v is number {
    return typeof v === "number" && Number.isFinite(v) && v >= lo && v <= hi
}

/** Parses and checks a scenario; throws an Error naming the first bad step. */
export function parseScenario(text: string): Scenario {
    let v: any
    try {
        v = JSON.parse(text)
    } catch (e) {
        throw new Error(`scenario is not JSON: ${(e as Error).message}`)
    }
    if (typeof v !== "object" || v === null || !Array.isArray(v.steps))
        throw new Error('a scenario is an object with a "steps" array')
    if (v.endAt !== undefined && !isMs(v.endAt, 0, 24 * 3600000)) throw new Error("endAt must be ms >= 0")
    const steps: ScenarioStep[] = v.steps.map((s: any, i: number) => {
        const where = `step ${i + 1}`
        if (typeof s !== "object" || s === null) throw new Error(`${where} is not an object`)
        if (!isMs(s.at, 0, 24 * 3600000)) throw new Error(`${where}: "at" must be ms >= 0`)
        const actions = Object.keys(s).filter(k => ACTIONS.includes(k))
        if (actions.length !== 1)
            throw new Error(
                `${where}: needs exactly one of ${ACTIONS.join(", ")}, has ${actions.join(", ") || "none"}`
            )
        const action = actions[0]
        const allowed = ["at", action, ...(EXTRA[action] || [])]
        const unknown = Object.keys(s).filter(k => !allowed.includes(k))
        if (unknown.length) throw new Error(`${where}: unknown field ${unknown.join(", ")}`)
        const val = s[action]
        const bad = (what: string) => new Error(`${where}: ${action} ${what}`)
        switch (action) {
            case "press":
            case "hold":
                if (!isButtonName(String(val))) throw bad(`must name a button: ${BUTTONS.join(", ")}`)
                if (s.ms !== undefined && !isMs(s.ms, 0, 60000)) throw bad("ms must be 0..60000")
                break
            case "control":
                if (typeof val !== "string" || !val) throw bad("must be a command name")
                if (s.args !== undefined && !Array.isArray(s.args)) throw bad("args must be an array")
                break
            case "fault":
                if (!PAD_FAULTS.includes(val)) throw bad(`must be one of ${PAD_FAULTS.join(", ")}`)
                if (!Number.isInteger(s.pad) || s.pad < 0 || s.pad > 7) throw bad("needs a pad 0..7")
                break
            case "clearFaults":
            case "restart":
                if (val !== true) throw bad("must be true")
                break
            case "room":
                if (!isMs(val, -10, 60)) throw bad("must be -10..60 C")
                break
            case "hotRoom":
                if (typeof val !== "boolean") throw bad("must be true or false")
                break
            case "busDrop":
            case "brownout":
                if (!isMs(val, 1, 600000)) throw bad("must be 1..600000 ms")
                break
            case "log":
                if (typeof val !== "string") throw bad("must be text")
                break
        }
        return s as ScenarioStep
    })
    const order = steps.map((s, i) => i).sort((a, b) => steps[a].at - steps[b].at || a - b)
    return {
        description: typeof v.description === "string" ? v.description : "",
        steps: order.map(i => steps[i]),
        endAt: v.endAt,
    }
}

/** A step in words, for the log. */
export function describeStep(s: ScenarioStep): string {
    const [action] = Object.keys(s).filter(k => ACTIONS.includes(k))
    const rest = Object.entries(s)
        .filter(([k]) => k !== "at" && k !== action)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    return `${action} ${JSON.stringify((s as any)[action])}${rest.length ? " " + rest.join(" ") : ""}`
}

/** Runs one step on the stack. */
export async function runStep(a: StackActions, s: ScenarioStep, log: (line: string) => void) {
    if ("press" in s) a.press(s.press, s.ms).catch(e => log(`scenario: ${e.message}`))
    else if ("hold" in s)
        a.press(s.hold, s.ms === undefined ? LONG_PRESS_MS : s.ms).catch(e => log(`scenario: ${e.message}`))
    else if ("control" in s) await a.control(s.control, s.args || [])
    else if ("fault" in s) a.setFault(s.pad, s.fault)
    else if ("clearFaults" in s) a.clearFaults()
    else if ("room" in s) a.setRoom(s.room)
    else if ("hotRoom" in s) a.hotRoom(s.hotRoom)
    else if ("busDrop" in s) a.busDrop(s.busDrop)
    else if ("brownout" in s) await a.brownout(s.brownout)
    else if ("restart" in s) await a.restartVm()
    else if ("log" in s) log(`scenario: ${s.log}`)
}

/**
 * Plays `scenario` on the stack, each step at its time after `t0` (performance.now() ms), and
 * resolves after the last step (and at endAt when given).
 */
export async function runScenario(
    a: StackActions,
    scenario: Scenario,
    t0: number,
    log: (line: string) => void
) {
    const sleepUntil = async (at: number) => {
        const wait = t0 + at - performance.now()
        if (wait > 0) await new Promise(r => setTimeout(r, wait))
    }
    for (const step of scenario.steps) {
        await sleepUntil(step.at)
        log(`scenario: t=${(step.at / 1000).toFixed(1)}s ${describeStep(step)}`)
        try {
            await runStep(a, step, log)
        } catch (e) {
            log(`scenario: step failed: ${(e as Error).message}`)
        }
    }
    if (scenario.endAt !== undefined) await sleepUntil(scenario.endAt)
    log("scenario: done")
}
