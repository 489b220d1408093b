/**
 * `npm run heat-sweep`: false faults and comfort of heat in normal use, on the model in node.
 * Plays the firmware's heat path (test/faults/rig.ts) for 15 minutes in every combination of
 * room (10..35 C), thermistor noise (20..200 counts), heat level (low, medium, high), foot (on,
 * off, placed or removed after 5 minutes) and 3 seeds; prints the runs that raised any fault
 * and the highest pad temperature seen. Exits 1 if any run raised a fault.
 */
import { DEFAULT_TARGETS_C } from "../src/core"
import { Rig } from "../test/faults/rig"

/**
 * Glitch runs on top of the healthy ones: realistic disturbances a healthy pad must ride out
 * without a fault, on every sensor of every pad, at the noise design limit (200 counts):
 * spikes (a burst of one or two samples, +-10 K, in 0.5 % of samples: a motor's switching
 * noise), dropped samples (5 % lost), and both together.
 */
const GLITCHES = ["spikes", "drops", "spikes+drops"]
/** From here on a pad with a foot must stay within HOLD_K of its target (true temperature). */
const SETTLED_MS = 300000
const HOLD_K = 1

const ROOMS = [10, 18, 22, 30, 35]
const NOISE = [20, 100, 200]
const LEVELS = [1, 2, 3]
const FEET = ["on", "off", "placed", "removed"]
const SEEDS = 3
const RUN_MS = 900000
const FOOT_CHANGE_MS = 300000

/** What a sweep found: runs, a line per run that raised a fault, the highest pad temperature. */
export interface SweepResult {
    runs: number
    glitchRuns: number
    faulty: string[]
    /** Runs with a foot on all along whose pads left target +-1 K after settling. */
    offTarget: string[]
    maxC: number
}

/** Plays every combination (see the top of this file). */
export function sweep(): SweepResult {
    let runs = 0
    let glitchRuns = 0
    let maxC = 0
    const faulty: string[] = []
    const offTarget: string[] = []
    const play = (room: number, noise: number, level: number, foot: string, seed: number, glitch: string) => {
        const rig = new Rig(room, seed * 7919 + room)
        for (const pad of rig.pads) {
            pad.ambientC = room
            pad.setNoise(noise)
            pad.footPresent = foot === "on" || foot === "removed"
            for (const s of [pad.control, pad.protection]) {
                if (glitch.indexOf("spikes") >= 0) {
                    s.spikeChance = 0.005
                    s.spikeK = 10
                }
                if (glitch.indexOf("drops") >= 0) s.dropChance = 0.05
            }
        }
        rig.runTo(1000)
        rig.startSession(level)
        const target = DEFAULT_TARGETS_C[level]
        let lo = 99
        let hi = 0
        while (rig.tMs < RUN_MS) {
            rig.step()
            if (rig.tMs === FOOT_CHANGE_MS && (foot === "placed" || foot === "removed"))
                for (const pad of rig.pads) pad.footPresent = foot === "placed"
            if (foot === "on" && rig.tMs >= SETTLED_MS && rig.tMs % 1000 === 0)
                for (const pad of rig.pads) {
                    lo = Math.min(lo, pad.tempC)
                    hi = Math.max(hi, pad.tempC)
                }
        }
        runs++
        if (glitch) glitchRuns++
        maxC = Math.max(maxC, rig.maxC)
        const what = `  room ${room} C, noise ${noise}, level ${level}, foot ${foot}, seed ${seed}${glitch ? ", " + glitch : ""}: `
        const records = rig.fw.supervisor.records
        if (records.length)
            faulty.push(
                what + records.map(r => `fault ${r.code} on pad ${r.pad} at ${r.tMs / 1000} s`).join(", ")
            )
        if (foot === "on" && (lo < target - HOLD_K || hi > target + HOLD_K))
            offTarget.push(what + `pads ${lo.toFixed(2)}..${hi.toFixed(2)} C after ${SETTLED_MS / 60000} min`)
    }
    for (const room of ROOMS)
        for (const noise of NOISE)
            for (const level of LEVELS)
                for (const foot of FEET)
                    for (let seed = 1; seed <= SEEDS; seed++) play(room, noise, level, foot, seed, "")
    for (const room of ROOMS)
        for (const level of LEVELS)
            for (const foot of FEET) for (const glitch of GLITCHES) play(room, 200, level, foot, 1, glitch)
    return { runs, glitchRuns, faulty, offTarget, maxC }
}

function main() {
    const r = sweep()
    for (const line of r.faulty) console.log(line)
    for (const line of r.offTarget) console.log(line)
    console.log(
        `heat sweep: ${r.runs} runs of ${RUN_MS / 60000} min (${r.glitchRuns} with glitches), ${r.faulty.length} with a fault, ` +
            `${r.offTarget.length} with a foot off target +-${HOLD_K} K, max pad ${r.maxC.toFixed(1)} C`
    )
    process.exit(r.faulty.length === 0 && r.offTarget.length === 0 ? 0 : 1)
}

if (require.main === module) main()
