/*
 * The generated family of single faults: every sensor fault kind (on the control or the
 * protection sensor) x sizes or rates x heat level x room (10, 22, 35 C) x foot on or off, plus
 * ADC chip, heater switch and control-loop faults, each over a 30-minute session on the rig
 * (the firmware's heat path on the pad model). A scenario is safe when no pad's TRUE temperature
 * reaches 45 C and the hardware backstop never had to open. Portable (the VM can run it), run
 * in node by `npm run faults` (scripts/run-faults.ts).
 */
import { HEAT_HIGH, HEAT_LOW, SensorModel, sensorsOfChip } from "../../src/core"
import { Rig } from "./rig"
import { SAFE_BELOW_C } from "./scenarios"

/** Session start and fault injection, ms after boot: the pads are at their targets by then. */
const START_MS = 1000
const INJECT_MS = 150000
/** A session: 30 minutes. */
const END_MS = START_MS + 1800000
/**
 * The slice of a session the VM plays of its sample (test/faults/vm-matrix.ts), ms after boot:
 * the approach, the injection and 200 s after it. The sample's faults latch within a second of
 * their injection but the stuck switch (a bare pad held at 40 C in a 35 C room: 186 s); a
 * whole session takes the VM about 23 s, this slice about 5 s. scripts/run-faults.ts plays node
 * over the same slice to compare (and the whole family over whole sessions).
 */
export const SAMPLE_END_MS = INJECT_MS + 200000

const ROOMS = [10, 22, 35]
const FEET = [true, false]
const SENSORS = ["control", "protection"]

/** One generated scenario. */
export class FamilyScenario {
    constructor(
        readonly family: string,
        readonly name: string,
        /** "control" / "protection" sensor of pad 0, "chip", "switch", "loop". */
        readonly target: string,
        /** The fault's kind and its size. */
        readonly kind: string,
        readonly size: number,
        readonly level: number,
        readonly roomC: number,
        readonly foot: boolean
    ) {}
    /** Its place in the whole family (its seed is familySeed(index)). */
    index = -1
}

/**
 * Every scenario of the family, each with its index; with `lastOfEach`, only the last scenario
 * of each family (the warmest room, without a foot where the family has both, the highest
 * level): the sample the VM plays, built without the rest (the VM's heap cannot hold all 264).
 */
export function familyScenarios(lastOfEach = false): FamilyScenario[] {
    const out: FamilyScenario[] = []
    let index = -1
    const add = (
        family: string,
        target: string,
        kind: string,
        size: number,
        level: number,
        room: number,
        foot: boolean
    ) => {
        index++
        // the sample keeps only the latest of each family (the earlier ones are let go)
        if (lastOfEach && out.length > 0 && out[out.length - 1].family === family) out.pop()
        const name =
            `${target} ${kind}${size !== 0 ? " " + size : ""}, ${level === HEAT_HIGH ? "high" : "low"}, ` +
            `${room} C, ${foot ? "foot" : "no foot"}`
        const sc = new FamilyScenario(family, name, target, kind, size, level, room, foot)
        sc.index = index
        out.push(sc)
    }
    const each = (family: string, kind: string, sizes: number[], levels: number[], feet: boolean[]) => {
        for (const sensor of SENSORS)
            for (const size of sizes)
                for (const level of levels)
                    for (const room of ROOMS)
                        for (const foot of feet) add(family, sensor, kind, size, level, room, foot)
    }
    each("sensor offset", "offset", [-10, -5, -2, 5], [HEAT_LOW, HEAT_HIGH], FEET)
    each("sensor gain", "gain", [0.8, 1.2], [HEAT_HIGH], FEET)
    each("sensor drift", "drift", [-0.01, -0.05], [HEAT_HIGH], FEET)
    each("sensor detached", "detached", [0.5, 1], [HEAT_HIGH], FEET)
    each("sensor open/short", "open", [0], [HEAT_HIGH], [true])
    each("sensor open/short", "short", [0], [HEAT_HIGH], [true])
    each("sensor stuck", "stuck", [30, 43], [HEAT_HIGH], FEET)
    each("sensor spikes", "spikes", [20], [HEAT_HIGH], FEET)
    for (let chip = 0; chip < 4; chip++)
        for (const room of ROOMS) {
            add("ADC chip", "chip", "absent", chip, HEAT_HIGH, room, true)
            add("ADC chip", "chip", "reference", chip, HEAT_HIGH, room, true)
        }
    for (const level of [HEAT_LOW, HEAT_HIGH])
        for (const room of ROOMS)
            for (const foot of FEET) add("heater switch", "switch", "stuck-on", 0, level, room, foot)
    for (const kind of ["full", "frozen"])
        for (const room of ROOMS)
            for (const foot of FEET) add("control loop", "loop", kind, 0, HEAT_HIGH, room, foot)
    return out
}

/** The outcome of one family scenario. */
export class FamilyResult {
    safe = false
    /** Highest TRUE pad temperature over the session, C. */
    maxC = 0
    /** From the injection until the faulty pad (every pad, for chip, switch and loop faults)
     *  heated for the last time, ms; -1 when it never stopped (a fault that needs no action). */
    timeToSafeMs = -1
    /** The first fault latched, 0 if none. */
    fault = 0
    /** Times a hardware backstop opened (must be 0). */
    backstopTrips = 0
}

/** Applies a scenario's fault to the rig. */
function inject(rig: Rig, sc: FamilyScenario) {
    const pad = rig.pads[0]
    if (sc.target === "control" || sc.target === "protection") {
        const s: SensorModel = sc.target === "control" ? pad.control : pad.protection
        if (sc.kind === "offset") s.offsetK = sc.size
        else if (sc.kind === "gain") s.gain = sc.size
        else if (sc.kind === "drift") s.driftKPerS = sc.size
        else if (sc.kind === "detached") s.detachedShare = sc.size
        else if (sc.kind === "open") s.open = true
        else if (sc.kind === "short") s.short = true
        else if (sc.kind === "stuck") s.stuckC = sc.size
        else if (sc.kind === "spikes") {
            // a loose connector: a spike in one sample of ten
            s.spikeChance = 0.1
            s.spikeK = sc.size
        }
    } else if (sc.target === "chip") {
        const sensors = sensorsOfChip(sc.size, [])
        for (const i of sensors) {
            const p = rig.pads[i % 8]
            const s = i < 8 ? p.control : p.protection
            if (sc.kind === "absent") s.open = true
            else s.rawScale = 0.95
        }
    } else if (sc.target === "switch") pad.stuckOn = true
    else if (sc.target === "loop") rig.controlFault = sc.kind
}

/**
 * One family scenario played in steps, so that the VM can run it between yields
 * (test/faults/vm-matrix.ts plays a sample of the family this way).
 */
export class FamilyRun {
    readonly result = new FamilyResult()
    private readonly rig: Rig
    /** The pads a fault concerns: pad 0, the pads an ADC chip reads, or all (switch, loop). */
    private concerned = 1
    private lastHeatedMs = -1
    private injected = false

    /** @param endMs where the run stops, ms after boot (the session's end unless told) */
    constructor(
        readonly scenario: FamilyScenario,
        seed: number,
        readonly endMs = END_MS
    ) {
        const sc = scenario
        const rig = new Rig(sc.roomC > 30 ? sc.roomC : 30, seed)
        for (const pad of rig.pads) {
            pad.ambientC = sc.roomC
            pad.footPresent = sc.foot
            pad.setNoise(20)
        }
        if (sc.target === "chip") {
            this.concerned = 0
            for (const i of sensorsOfChip(sc.size, [])) this.concerned |= 1 << i % 8
        } else if (sc.target === "switch" || sc.target === "loop") this.concerned = 255
        this.rig = rig
    }

    /** Plays up to `steps` of the rig's steps; true once the run reached its end (the result is then filled). */
    step(steps: number): boolean {
        const rig = this.rig
        const end = this.endMs
        for (let n = 0; n < steps && rig.tMs < end; n++) {
            if (rig.tMs === START_MS) rig.startSession(this.scenario.level)
            if (!this.injected && rig.tMs >= INJECT_MS) {
                this.injected = true
                inject(rig, this.scenario)
            }
            rig.step()
            if (this.injected) {
                let heated = rig.pads[0].stuckOn && rig.fw.scheduler.output.heaterPower
                for (let p = 0; p < rig.pads.length; p++)
                    if (this.concerned & (1 << p)) heated = heated || rig.heated(p)
                if (heated) this.lastHeatedMs = rig.tMs
            }
        }
        if (rig.tMs < end) return false
        const r = this.result
        r.maxC = rig.maxC
        const records = rig.fw.supervisor.records
        r.fault = records.length > 0 ? records[0].code : 0
        r.timeToSafeMs = r.fault !== 0 ? (this.lastHeatedMs < 0 ? 0 : this.lastHeatedMs - INJECT_MS) : -1
        r.backstopTrips = 0
        for (const pad of rig.pads) r.backstopTrips += pad.backstopTrips
        r.safe = r.maxC < SAFE_BELOW_C && r.backstopTrips === 0
        return true
    }
}

/** Plays one family scenario to the end of its session (or to `endMs`). */
export function runFamilyScenario(sc: FamilyScenario, seed: number, endMs = END_MS): FamilyResult {
    const run = new FamilyRun(sc, seed, endMs)
    while (!run.step(100000)) {}
    return run.result
}

/** The family's seed for scenario i (node and the VM play the same). */
export function familySeed(i: number): number {
    return 4242 + i
}
