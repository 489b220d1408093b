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
    /** Foot presence (SafetySupervisor.bareMask), judged at medium and high heat: */
    foot: FootFigures
}

/** How the supervisor's judgement of foot presence did over the sweep. */
export interface FootFigures {
    /** Runs with a foot on all along in which any pad was ever judged bare (must be none). */
    falseBare: string[]
    /** Runs without a foot (from the start or once removed) at medium or high heat, and those in
     *  which not every pad was judged bare by the end. */
    bareRuns: number
    bareMissed: string[]
    /** Slowest time to judge every pad bare: from the start (foot off) and from the removal, s. */
    slowestBareFromStartS: number
    slowestBareAfterRemovalS: number
    /** The hottest a pad judged bare got from 2 min after the judgement on (true temperature), C. */
    maxBareHeldC: number
    /** Runs with a foot placed at 5 min at medium or high heat; those in which a pad was still
     *  judged bare 2 min later, and the slowest time to take every pad back, s. */
    placedRuns: number
    placedMissed: string[]
    slowestFootBackS: number
}

/** Plays every combination (see the top of this file). */
export function sweep(): SweepResult {
    let runs = 0
    let glitchRuns = 0
    let maxC = 0
    const faulty: string[] = []
    const offTarget: string[] = []
    const foot0: FootFigures = {
        falseBare: [],
        bareRuns: 0,
        bareMissed: [],
        slowestBareFromStartS: 0,
        slowestBareAfterRemovalS: 0,
        maxBareHeldC: 0,
        placedRuns: 0,
        placedMissed: [],
        slowestFootBackS: 0,
    }
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
        const sup = rig.fw.supervisor
        // foot presence: when every pad was first judged bare, and (placed) taken back
        const judged = level >= 2
        let everBare = false
        let allBareMs = -1
        let backMs = -1
        while (rig.tMs < RUN_MS) {
            rig.step()
            const mask = sup.bareMask
            if (mask !== 0) everBare = true
            if (mask === 0xff && allBareMs < 0 && (foot === "off" || rig.tMs > FOOT_CHANGE_MS))
                allBareMs = rig.tMs
            if (foot === "placed" && rig.tMs > FOOT_CHANGE_MS && mask === 0 && backMs < 0) backMs = rig.tMs
            if (foot === "placed" && rig.tMs <= FOOT_CHANGE_MS && mask === 0) backMs = -1
            if (allBareMs >= 0 && rig.tMs >= allBareMs + 120000 && foot !== "placed")
                for (const pad of rig.pads) foot0.maxBareHeldC = Math.max(foot0.maxBareHeldC, pad.tempC)
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
        if (foot === "on" && everBare) foot0.falseBare.push(what + "judged bare")
        if (judged && (foot === "off" || foot === "removed")) {
            foot0.bareRuns++
            if (allBareMs < 0) foot0.bareMissed.push(what + "not every pad judged bare")
            else if (foot === "off")
                foot0.slowestBareFromStartS = Math.max(foot0.slowestBareFromStartS, allBareMs / 1000)
            else
                foot0.slowestBareAfterRemovalS = Math.max(
                    foot0.slowestBareAfterRemovalS,
                    (allBareMs - FOOT_CHANGE_MS) / 1000
                )
        }
        if (judged && foot === "placed") {
            foot0.placedRuns++
            if (backMs < 0 || backMs > FOOT_CHANGE_MS + 120000)
                foot0.placedMissed.push(what + "a pad still judged bare")
            else foot0.slowestFootBackS = Math.max(foot0.slowestFootBackS, (backMs - FOOT_CHANGE_MS) / 1000)
        }
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
    return { runs, glitchRuns, faulty, offTarget, maxC, foot: foot0 }
}

function main() {
    const r = sweep()
    for (const line of r.faulty) console.log(line)
    for (const line of r.offTarget) console.log(line)
    console.log(
        `heat sweep: ${r.runs} runs of ${RUN_MS / 60000} min (${r.glitchRuns} with glitches), ${r.faulty.length} with a fault, ` +
            `${r.offTarget.length} with a foot off target +-${HOLD_K} K, max pad ${r.maxC.toFixed(1)} C`
    )
    const f = r.foot
    for (const line of [...f.falseBare, ...f.bareMissed, ...f.placedMissed]) console.log(line)
    console.log(
        `foot presence (medium and high heat): ${f.falseBare.length} runs with a foot judged bare; ` +
            `${f.bareRuns - f.bareMissed.length}/${f.bareRuns} bare runs judged (slowest ${f.slowestBareFromStartS} s from the start, ` +
            `${f.slowestBareAfterRemovalS} s after removal), bare pads held at most ${f.maxBareHeldC.toFixed(1)} C; ` +
            `${f.placedRuns - f.placedMissed.length}/${f.placedRuns} feet placed found again (slowest ${f.slowestFootBackS} s)`
    )
    const ok = r.faulty.length === 0 && r.offTarget.length === 0 && f.falseBare.length === 0
    process.exit(ok && f.bareMissed.length === 0 && f.placedMissed.length === 0 ? 0 : 1)
}

if (require.main === module) main()
