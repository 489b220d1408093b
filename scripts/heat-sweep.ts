/**
 * `npm run heat-sweep`: false faults and comfort of heat in normal use, on the model in node.
 * Plays the firmware's heat path (test/faults/rig.ts) for 15 minutes in every combination of
 * room (10..35 C), thermistor noise (20..200 counts), heat level (low, medium, high), foot (on,
 * off, placed or removed after 5 minutes) and 3 seeds; prints the runs that raised any fault
 * and the highest pad temperature seen. Exits 1 if any run raised a fault.
 */
import { Rig } from "../test/faults/rig"

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
    faulty: string[]
    maxC: number
}

/** Plays every combination (see the top of this file). */
export function sweep(): SweepResult {
    let runs = 0
    let maxC = 0
    const faulty: string[] = []
    for (const room of ROOMS)
        for (const noise of NOISE)
            for (const level of LEVELS)
                for (const foot of FEET)
                    for (let seed = 1; seed <= SEEDS; seed++) {
                        const rig = new Rig(room, seed * 7919 + room)
                        for (const pad of rig.pads) {
                            pad.ambientC = room
                            pad.noiseCounts = noise
                            pad.footPresent = foot === "on" || foot === "removed"
                        }
                        rig.runTo(1000)
                        rig.startSession(level)
                        while (rig.tMs < RUN_MS) {
                            rig.step()
                            if (rig.tMs === FOOT_CHANGE_MS && (foot === "placed" || foot === "removed"))
                                for (const pad of rig.pads) pad.footPresent = foot === "placed"
                        }
                        runs++
                        maxC = Math.max(maxC, rig.maxC)
                        const records = rig.fw.supervisor.records
                        if (records.length)
                            faulty.push(
                                `  room ${room} C, noise ${noise}, level ${level}, foot ${foot}, seed ${seed}: ` +
                                    records
                                        .map(r => `fault ${r.code} on pad ${r.pad} at ${r.tMs / 1000} s`)
                                        .join(", ")
                            )
                    }
    return { runs, faulty, maxC }
}

function main() {
    const r = sweep()
    for (const line of r.faulty) console.log(line)
    console.log(
        `heat sweep: ${r.runs} runs of ${RUN_MS / 60000} min, ${r.faulty.length} with a fault, max pad ${r.maxC.toFixed(1)} C`
    )
    process.exit(r.faulty.length === 0 ? 0 : 1)
}

if (require.main === module) main()
