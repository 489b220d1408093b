/*
 * The fault matrix: scenarios of things that go wrong with heat, each played on the rig with
 * the firmware's real heat path. A scenario is safe when no pad reaches 45 C, the fault it
 * should raise is latched, and the pads it concerns stop heating within its time limit.
 * Shared by `npm run faults` (test/faults/vm-matrix.ts) and `npm test` (test/sim/faults-a.all.ts
 * and faults-b.all.ts).
 */
import { FaultCode, HEAT_HIGH, HEAT_LOW } from "../../src/core"
import { Rig } from "./rig"

/** When the session starts, ms after boot: the supervisor has a second of samples by then. */
export const SESSION_START_MS = 1000

/** The burn threshold the matrix holds every scenario to, C. */
export const SAFE_BELOW_C = 45

/** Pads a fault concerns: the first one only, or all of them. */
const PAD0 = 1
const ALL = 255

/** Whether feet rest on the pads. */
const FOOT = true
const NO_FOOT = false

/**
 * The scenarios: [name, injected at (ms), simulated until (ms), fault expected, time to a safe
 * state allowed (ms, -1 when none is needed), pads concerned, room C, heat level, feet on the
 * pads, thermistor noise (counts)].
 */
const TABLE: any[][] = [
    ["sensor open", 150000, 170000, FaultCode.SensorOpen, 1000, PAD0, 22, HEAT_HIGH, FOOT, 20],
    ["sensor short", 150000, 170000, FaultCode.SensorShort, 1000, PAD0, 22, HEAT_HIGH, FOOT, 20],
    [
        "sensor detached from the start",
        0,
        90000,
        FaultCode.SensorsDisagree,
        5000,
        PAD0,
        22,
        HEAT_HIGH,
        FOOT,
        20,
    ],
    [
        "sensor detached while heating",
        150000,
        180000,
        FaultCode.SensorsDisagree,
        2000,
        PAD0,
        22,
        HEAT_HIGH,
        FOOT,
        20,
    ],
    ["heater dead", SESSION_START_MS, 90000, FaultCode.HeatingFailed, 40000, PAD0, 22, HEAT_HIGH, FOOT, 20],
    ["heater stuck on", 150000, 240000, FaultCode.StuckOn, 60000, ALL, 22, HEAT_HIGH, FOOT, 20],
    [
        "heater at half power",
        SESSION_START_MS,
        240000,
        FaultCode.HeatingFailed,
        -1,
        PAD0,
        22,
        HEAT_HIGH,
        FOOT,
        20,
    ],
    ["sample stream stopped", 150000, 170000, FaultCode.None, 2100, PAD0, 22, HEAT_HIGH, FOOT, 20],
    ["restart during heating", 150000, 200000, FaultCode.None, 100, ALL, 22, HEAT_HIGH, FOOT, 20],
    ["hot room (35 C)", SESSION_START_MS, 300000, FaultCode.None, -1, ALL, 35, HEAT_HIGH, FOOT, 20],
    ["noisy thermistor", SESSION_START_MS, 300000, FaultCode.None, -1, ALL, 22, HEAT_HIGH, FOOT, 200],
    ["target change mid-session", 150000, 420000, FaultCode.None, -1, ALL, 22, HEAT_HIGH, FOOT, 20],
    ["session end while heating", 150000, 170000, FaultCode.None, 100, ALL, 22, HEAT_HIGH, FOOT, 20],
    ["heater stuck on, no foot", 150000, 240000, FaultCode.StuckOn, 60000, ALL, 22, HEAT_HIGH, NO_FOOT, 20],
    [
        "sensor detached during heat-up (30 C room)",
        10000,
        90000,
        FaultCode.SensorsDisagree,
        5000,
        PAD0,
        30,
        HEAT_HIGH,
        FOOT,
        20,
    ],
    [
        "sensor detached at low heat (35 C room)",
        150000,
        240000,
        FaultCode.SensorsDisagree,
        5000,
        PAD0,
        35,
        HEAT_LOW,
        FOOT,
        20,
    ],
    [
        "sensors disagree, cleared, heats again",
        60000,
        200000,
        FaultCode.SensorsDisagree,
        90000,
        PAD0,
        22,
        HEAT_HIGH,
        FOOT,
        20,
    ],
    [
        "sensor detached at low heat (37 C room)",
        150000,
        400000,
        FaultCode.SensorsDisagree,
        20000,
        PAD0,
        37,
        HEAT_LOW,
        FOOT,
        20,
    ],
]

/** Number of scenarios. */
export const SCENARIO_COUNT = TABLE.length

/** A scenario's name. */
export function scenarioName(i: number): string {
    return TABLE[i][0]
}

/** The outcome of one scenario. */
export class ScenarioResult {
    safe = false
    /** From the injection until the concerned pads stopped heating for good, ms (-1: n/a). */
    timeToSafeMs = -1
    /** Highest pad temperature, C. */
    maxC = 0
    /** The fault latched (most recent), FaultCode.None if none. */
    fault = FaultCode.None
    /** Why it is not safe, or what happened. */
    note = ""
}

/** Plays one scenario a step at a time (so the VM can yield between steps). */
export class ScenarioRun {
    readonly rig: Rig
    readonly name: string
    private readonly injectMs: number
    private readonly endMs: number
    private readonly expected: number
    private readonly limitMs: number
    private readonly pads: number
    private injected = false
    /** Set between a restart and its boot (see boot). */
    private rebooting = false
    /** Last time a concerned pad was heated after the injection. */
    private lastHeatedMs = -1
    /** For the target-change scenario: its steps. */
    private stage = 0
    /** A scenario's own precondition that did not hold, or "". */
    private precondition = ""
    /** The heat level the session starts at. */
    private readonly level: number
    readonly result = new ScenarioResult()

    constructor(readonly index: number) {
        const row = TABLE[index]
        this.name = row[0]
        this.injectMs = row[1]
        this.endMs = row[2]
        this.expected = row[3]
        this.limitMs = row[4]
        this.pads = row[5]
        const n = this.name
        const room: number = row[6]
        // pads start at 30 C, or at the room's temperature when that is warmer
        this.rig = new Rig(room > 30 ? room : 30, 1234 + index)
        this.level = row[7]
        for (let p = 0; p < this.rig.pads.length; p++) {
            const pad = this.rig.pads[p]
            pad.ambientC = room
            pad.footPresent = row[8]
            pad.setNoise(row[9])
        }
        if (n === "sensors disagree, cleared, heats again") {
            const pad = this.rig.pads[0]
            pad.control.detachedShare = 1
            pad.control.sensedC = pad.ambientC
        }
    }

    private inject() {
        const rig = this.rig
        const pad = rig.pads[0]
        const n = this.name
        if (n === "sensor open") pad.control.open = true
        else if (n === "sensor short") pad.control.short = true
        else if (n === "sensor detached from the start") {
            // never on the pad: it has read the air since boot
            pad.control.detachedShare = 1
            pad.control.sensedC = pad.ambientC
        } else if (n === "sensor detached while heating") pad.control.detachedShare = 1
        else if (n === "heater dead") pad.heaterFactor = 0
        else if (n === "heater stuck on" || n === "heater stuck on, no foot") pad.stuckOn = true
        else if (n === "heater at half power") pad.heaterFactor = 0.5
        else if (n === "sample stream stopped") rig.samplesStopped[0] = true
        else if (n === "restart during heating") {
            // the firmware restarts (it boots at the next step, after the VM has let the old one
            // go: two rigs do not fit its heap); see boot()
            rig.fw = null
            this.rebooting = true
        } else if (n === "target change mid-session") rig.fw.heat.setLevel(HEAT_LOW, rig.tMs)
        else if (n === "session end while heating") rig.endSession()
        else if (n === "sensor detached during heat-up (30 C room)") pad.control.detachedShare = 1
        else if (n.indexOf("sensor detached at low heat") === 0) pad.control.detachedShare = 1
        else if (n === "sensors disagree, cleared, heats again") {
            // the user clears the fault while the sensor still reads the air
            if (rig.fw.supervisor.activeFault() !== FaultCode.SensorsDisagree)
                this.precondition = "no sensors-disagree fault to clear"
            rig.fw.supervisor.clearFaults(rig.tMs)
        }
    }

    /**
     * The restart's boot, at the same instant: the massage resumes at once and something asks
     * every pad for full heat, but no heat session was started since the boot: the supervisor
     * vetoes.
     */
    private boot() {
        const rig = this.rig
        this.rebooting = false
        rig.restart()
        rig.fw.scheduler.start(rig.k)
        for (let p = 0; p < rig.pads.length; p++) rig.fw.scheduler.setHeaterDuty(p, 1)
    }

    /** Runs up to `frames` more frames; returns true when the scenario is over. */
    step(frames: number): boolean {
        const rig = this.rig
        if (this.rebooting) this.boot()
        for (let i = 0; i < frames && rig.tMs < this.endMs; i++) {
            if (!this.injected && rig.tMs >= this.injectMs) {
                this.injected = true
                this.inject()
                // a restart boots at the next call, after the caller has yielded
                if (this.rebooting) return false
            }
            if (rig.tMs === SESSION_START_MS) rig.startSession(this.level)
            if (this.name === "target change mid-session" && this.stage === 0 && rig.tMs >= 300000) {
                this.stage = 1
                rig.fw.heat.setLevel(HEAT_HIGH, rig.tMs)
            }
            rig.step()
            if (this.injected && this.heatedConcerned()) this.lastHeatedMs = rig.tMs
        }
        if (rig.tMs < this.endMs) return false
        this.finish()
        return true
    }

    private heatedConcerned(): boolean {
        if (this.pads === PAD0) return this.rig.heated(0)
        for (let p = 0; p < this.rig.pads.length; p++) if (this.rig.heated(p)) return true
        return false
    }

    private finish() {
        const r = this.result
        const rig = this.rig
        r.maxC = rig.maxC
        r.fault = rig.fw.supervisor.activeFault()
        if (this.limitMs >= 0) r.timeToSafeMs = this.lastHeatedMs < 0 ? 0 : this.lastHeatedMs - this.injectMs
        const notes: string[] = []
        if (this.precondition) notes.push(this.precondition)
        if (r.maxC >= SAFE_BELOW_C) notes.push("a pad reached " + r.maxC + " C")
        // the expected fault must be latched (another may have followed it: a stuck heater cut by
        // the over-temperature rule is also found stuck); none expected means none at all
        let found = false
        let latched = 0
        const records = rig.fw.supervisor.records
        for (let i = 0; i < records.length; i++)
            if (records[i].clearedMs < 0) {
                latched++
                if (records[i].code === this.expected) found = true
            }
        if (this.expected === FaultCode.None ? latched > 0 : !found)
            notes.push("fault " + r.fault + ", expected " + this.expected)
        if (this.limitMs >= 0 && r.timeToSafeMs > this.limitMs)
            notes.push("heated " + r.timeToSafeMs + " ms after the fault (limit " + this.limitMs + " ms)")
        r.safe = notes.length === 0
        r.note = notes.join("; ")
    }
}
