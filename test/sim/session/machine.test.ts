import { describe, test, expect } from "@devicescript/test"
import { Rig, kneadingPattern, rig } from "./rig"
import { FaultCode } from "../../../src/core/safety/faults"
import {
    REFUSED_FAULT,
    REFUSED_LOCKED,
    REFUSED_WRONG_STATE,
    SESSION_FAULT,
    SESSION_FINISHING,
    SESSION_IDLE,
    SESSION_OFF,
    SESSION_OK,
    SESSION_PAUSED,
    SESSION_RUNNING,
    refusalText,
    sessionStateName,
} from "../../../src/core/session/states"
import { SessionSettings } from "../../../src/core/session/settings"
import { breathe } from "../helpers"

/** Puts a fresh rig in a state, at about 1 s after boot. */
async function inState(state: number, locked: boolean): Promise<Rig> {
    const r = await rig()
    // a fresh slice: building a rig and its first frames is a large share of the VM's 128 K
    await breathe()
    const s = r.session
    let t = 1000
    r.frameAt(t)
    if (state === SESSION_IDLE) s.wake(t)
    if (state === SESSION_RUNNING || state === SESSION_PAUSED || state === SESSION_FINISHING) s.start(t)
    if (state === SESSION_PAUSED) s.pause(t + 20)
    if (state === SESSION_FINISHING) s.stop(t + 20)
    if (state === SESSION_FAULT) r.supervisor.restoreLatched(FaultCode.Overtemp, -1, t, 50)
    t += 40
    r.frameAt(t)
    if (locked) s.setLocked(true, t)
    if (s.state !== state)
        throw new Error("set-up: wanted " + sessionStateName(state) + ", got " + sessionStateName(s.state))
    return r
}

const COMMANDS = [
    "start",
    "stop",
    "pause",
    "resume",
    "extend",
    "minutes",
    "clear",
    "intensity",
    "heat",
    "focus",
    "pattern",
]

/** Runs a named command at tMs; returns its result. */
async function run(r: Rig, command: string, tMs: number): Promise<number> {
    const s = r.session
    if (command === "start") return s.start(tMs)
    if (command === "stop") return s.stop(tMs)
    if (command === "pause") return s.pause(tMs)
    if (command === "resume") return s.resume(tMs)
    if (command === "extend") return s.extend(5, tMs)
    if (command === "minutes") return s.setMinutes(20, tMs)
    if (command === "clear") return s.clearFault(tMs)
    if (command === "intensity") return s.setIntensity(3, tMs)
    if (command === "heat") return s.cycleHeat(tMs)
    if (command === "focus") return s.setFocus(1, 1.5, tMs)
    return s.setPattern("kneading", await kneadingPattern(), tMs)
}

const O = SESSION_OFF
const I = SESSION_IDLE
const R = SESSION_RUNNING
const Pa = SESSION_PAUSED
const Fi = SESSION_FINISHING
const Fa = SESSION_FAULT
const OK = SESSION_OK
const WS = REFUSED_WRONG_STATE
const FA = REFUSED_FAULT
const LK = REFUSED_LOCKED

/**
 * Per state, per command in COMMANDS order: [result, state after]. Every command from every
 * state, unlocked and locked.
 */
const TABLE: number[][][] = [
    // off
    [
        [OK, R],
        [WS, O],
        [WS, O],
        [WS, O],
        [WS, O],
        [OK, I],
        [WS, O],
        [OK, I],
        [OK, I],
        [OK, I],
        [OK, I],
    ],
    // idle
    [
        [OK, R],
        [WS, I],
        [WS, I],
        [WS, I],
        [WS, I],
        [OK, I],
        [WS, I],
        [OK, I],
        [OK, I],
        [OK, I],
        [OK, I],
    ],
    // running
    [
        [WS, R],
        [OK, Fi],
        [OK, Pa],
        [WS, R],
        [OK, R],
        [OK, R],
        [WS, R],
        [OK, R],
        [OK, R],
        [OK, R],
        [OK, R],
    ],
    // paused
    [
        [WS, Pa],
        [OK, Fi],
        [WS, Pa],
        [OK, R],
        [OK, Pa],
        [OK, Pa],
        [WS, Pa],
        [OK, Pa],
        [OK, Pa],
        [OK, Pa],
        [OK, Pa],
    ],
    // finishing
    [
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
        [WS, Fi],
    ],
    // fault
    [
        [FA, Fa],
        [WS, Fa],
        [WS, Fa],
        [WS, Fa],
        [WS, Fa],
        [OK, Fa],
        [OK, I],
        [OK, Fa],
        [FA, Fa],
        [OK, Fa],
        [OK, Fa],
    ],
]

/** Locked: everything is refused but stop (of a running or paused session). */
function lockedRow(state: number): number[][] {
    const row: number[][] = []
    for (let c = 0; c < COMMANDS.length; c++) {
        if (COMMANDS[c] === "stop") {
            const inSession = state === R || state === Pa
            row.push([inSession ? OK : WS, inSession ? Fi : state])
        } else row.push([LK, state])
    }
    return row
}

async function checkTable(locked: boolean) {
    let checked = 0
    for (let state = 0; state < TABLE.length; state++) {
        const row = locked ? lockedRow(state) : TABLE[state]
        for (let c = 0; c < COMMANDS.length; c++) {
            // one rig at a time: the VM's heap holds one (this suite's own state takes 17 KB)
            let r = await inState(state, locked)
            const got = await run(r, COMMANDS[c], r.t + 10)
            const what = `${locked ? "locked " : ""}${sessionStateName(state)} + ${COMMANDS[c]}`
            if (got !== row[c][0])
                throw new Error(`${what}: expected "${refusalText(row[c][0])}", got "${refusalText(got)}"`)
            if (r.session.state !== row[c][1])
                throw new Error(
                    `${what}: expected ${sessionStateName(row[c][1])}, got ${sessionStateName(r.session.state)}`
                )
            checked++
            r = null
            await breathe()
        }
    }
    expect(checked).toBe(66)
}

describe("session: every command from every state", () => {
    test("unlocked: the table", async () => {
        await checkTable(false)
    })
    test("locked: only stop is taken", async () => {
        await checkTable(true)
    })
    test("a refused command changes nothing", async () => {
        const r = await inState(SESSION_RUNNING, true)
        const before = r.session.changes
        expect(r.session.setIntensity(4, r.t + 5)).toBe(REFUSED_LOCKED)
        expect(r.session.cycleHeat(r.t + 5)).toBe(REFUSED_LOCKED)
        expect(r.session.intensity).toBe(1)
        expect(r.session.heatLevel).toBe(0)
        expect(r.session.changes).toBe(before)
    })
    test("unlock is always taken, and the panel works again", async () => {
        const r = await inState(SESSION_RUNNING, true)
        expect(r.session.setLocked(false, r.t + 5)).toBe(OK)
        expect(r.session.setIntensity(4, r.t + 10)).toBe(OK)
        expect(r.session.intensity).toBe(4)
    })
})

/** Pad p's sensor reads at the top rail (open) for ms: a sample and five frames every 100 ms. */
async function openSensor(r: Rig, p: number, ms: number) {
    const end = r.t + ms
    while (r.t < end) {
        r.supervisor.onSample(p, 65535, r.t + 1)
        for (let i = 1; i <= 5; i++) r.frameAt(r.t + 20)
        await breathe()
    }
}

describe("session: transitions on frames", () => {
    test("finishing: off once the soft stop has ramped down", async () => {
        const r = await inState(SESSION_FINISHING, false)
        await r.runTo(r.t + 1400)
        expect(r.session.state).toBe(SESSION_FINISHING)
        await r.runTo(r.t + 300)
        expect(r.session.state).toBe(SESSION_OFF)
        expect(r.motorSum()).toBe(0)
    })
    test("idle: off after two minutes without input", async () => {
        const r = await inState(SESSION_IDLE, false)
        const t = r.t
        r.frameAt(t + 119000)
        expect(r.session.state).toBe(SESSION_IDLE)
        r.frameAt(t + 121000)
        expect(r.session.state).toBe(SESSION_OFF)
    })
    test("a fault latched in any state puts the session in fault; heat and motors stop", async () => {
        for (let state = 0; state < 5; state++) {
            let r = await inState(state, false)
            r.supervisor.restoreLatched(FaultCode.StuckOn, -1, r.t + 5, 40)
            r.frameAt(r.t + 20)
            expect(r.session.state).toBe(SESSION_FAULT)
            expect(r.session.activeFault).toBe(FaultCode.StuckOn)
            expect(r.supervisor.heating()).toBe(false)
            await r.runTo(r.t + 2000)
            expect(r.motorSum()).toBe(0)
            expect(r.session.start(r.t + 5)).toBe(REFUSED_FAULT)
            r = null
            await breathe()
        }
    })
    test("a fault ends a running session with reason fault, once", async () => {
        const r = await inState(SESSION_RUNNING, false)
        r.supervisor.restoreLatched(FaultCode.Overtemp, -1, r.t + 5, 46)
        r.frameAt(r.t + 20)
        r.frameAt(r.t + 20)
        expect(r.log.has(2, 3)).toBe(true)
        expect(r.log.has(3, FaultCode.Overtemp)).toBe(true)
        let ended = 0
        for (let i = 0; i < r.log.events.length; i++) if (r.log.events[i].indexOf("2:") === 0) ended++
        expect(ended).toBe(1)
    })
    test("a fault cleared while its cause persists comes back at the next sample", async () => {
        const r = await inState(SESSION_IDLE, false)
        // pad 0's sensor reads at the top rail: open
        await openSensor(r, 0, 1000)
        expect(r.session.state).toBe(SESSION_FAULT)
        expect(r.session.clearFault(r.t + 10)).toBe(OK)
        expect(r.session.state).toBe(SESSION_IDLE)
        await openSensor(r, 0, 1000)
        expect(r.session.state).toBe(SESSION_FAULT)
    })
    test("nothing starts by itself: an hour of frames after boot with settings restored", async () => {
        const r = await rig()
        const s = r.session
        const settings = s.settingsInto(new SessionSettings())
        settings.heat = 3
        settings.intensity = 4
        expect(s.restore(settings, 10)).toBe(0)
        let n = 0
        for (let t = 20; t < 3600000; t += 997) {
            r.frameAt(t)
            if (s.state === SESSION_RUNNING || r.supervisor.heating() || r.motorSum() > 0)
                throw new Error("started by itself at " + t)
            if (++n % 8 === 0) await breathe()
        }
        expect(s.state).toBe(SESSION_OFF)
        expect(s.intensity).toBe(4)
        expect(s.heatLevel).toBe(3)
    })
})
