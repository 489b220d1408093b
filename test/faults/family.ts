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
}

/** Every scenario of the family. */
export function familyScenarios(): FamilyScenario[] {
    const out: FamilyScenario[] = []
    const add = (
        family: string,
        target: string,
        kind: string,
        size: number,
        level: number,
        room: number,
        foot: boolean
    ) => {
        const name =
            `${target} ${kind}${size !== 0 ? " " + size : ""}, ${level === HEAT_HIGH ? "high" : "low"}, ` +
            `${room} C, ${foot ? "foot" : "no foot"}`
        out.push(new FamilyScenario(family, name, target, kind, size, level, room, foot))
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

/** Plays one family scenario to the end of its session. */
export function runFamilyScenario(sc: FamilyScenario, seed: number): FamilyResult {
    const rig = new Rig(sc.roomC > 30 ? sc.roomC : 30, seed)
    for (const pad of rig.pads) {
        pad.ambientC = sc.roomC
        pad.footPresent = sc.foot
        pad.setNoise(20)
    }
    // the pads a fault concerns: pad 0, the pads an ADC chip reads, or all (switch, loop)
    let concerned = 1
    if (sc.target === "chip") {
        concerned = 0
        for (const i of sensorsOfChip(sc.size, [])) concerned |= 1 << i % 8
    } else if (sc.target === "switch" || sc.target === "loop") concerned = 255
    let lastHeatedMs = -1
    let injected = false
    const r = new FamilyResult()
    while (rig.tMs < END_MS) {
        if (rig.tMs === START_MS) rig.startSession(sc.level)
        if (!injected && rig.tMs >= INJECT_MS) {
            injected = true
            inject(rig, sc)
        }
        rig.step()
        if (injected) {
            let heated = rig.pads[0].stuckOn && rig.fw.scheduler.output.heaterPower
            for (let p = 0; p < rig.pads.length; p++)
                if (concerned & (1 << p)) heated = heated || rig.heated(p)
            if (heated) lastHeatedMs = rig.tMs
        }
    }
    r.maxC = rig.maxC
    const records = rig.fw.supervisor.records
    r.fault = records.length > 0 ? records[0].code : 0
    r.timeToSafeMs = r.fault !== 0 ? (lastHeatedMs < 0 ? 0 : lastHeatedMs - INJECT_MS) : -1
    for (const pad of rig.pads) r.backstopTrips += pad.backstopTrips
    r.safe = r.maxC < SAFE_BELOW_C && r.backstopTrips === 0
    return r
}
