/**
 * `npm run bench:e2e`: figures of the whole stack as `npm start` runs it, written to
 * bench/e2e.json and printed as a table. Builds the firmware, starts the stack in this process
 * (sim/stack.ts on port 18190, so it never meets a running `npm start`) and runs each
 * measurement in MEASURES in turn. A measurement that needs what the firmware cannot do yet
 * says why instead of giving a figure.
 *
 * Adding one (e.g. button press to the first changed frame, once the session lands): write an
 * async function (stack, bus) => Figure[] and add it to MEASURES.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Stack } from "../sim/stack"
import { buildFirmware, waitForFirstFrame } from "./start"

const ROOT = process.cwd()
const PORT = 18190
const OUT = join(ROOT, "bench", "e2e.json")

/** One row of the table. */
export interface Figure {
    key: string
    value: number | null
    unit: string
    /** Why there is no value, or what the value means. */
    note: string
}

/** What the bus carried: frames, and the Jacdac packets inside them. */
export class BusTally {
    frames = 0
    packets = 0

    /** Counts one frame (12-byte header, then packets each padded to 4 bytes). */
    add(frame: Uint8Array) {
        this.frames++
        const end = 12 + frame[2]
        for (let at = 12; at + 4 <= end; at += (4 + frame[at] + 3) & ~3) this.packets++
    }
}

type Measure = (stack: Stack, tally: BusTally) => Promise<Figure[]>

function sleep(ms: number) {
    return new Promise(r => setTimeout(r, ms))
}

/** Bus traffic per second over `ms` with nothing happening (no session: keep-alives only). */
const idleTraffic: Measure = async (stack, tally) => {
    const ms = 10000
    const f0 = tally.frames
    const p0 = tally.packets
    const w0 = stack.status().writes
    const r0 = stack.sim.footIo.temperatureReports
    await sleep(ms)
    const s = ms / 1000
    return [
        {
            key: "idleBusFramesPerS",
            value: (tally.frames - f0) / s,
            unit: "/s",
            note: "every frame on the hub, idle",
        },
        {
            key: "idleBusPacketsPerS",
            value: (tally.packets - p0) / s,
            unit: "/s",
            note: "Jacdac packets in them",
        },
        {
            key: "idleFootIoWritesPerS",
            value: (stack.status().writes - w0) / s,
            unit: "/s",
            note: "frame-register writes at the board (keep-alives)",
        },
        {
            key: "idleTemperatureReportsPerS",
            value: (stack.sim.footIo.temperatureReports - r0) / s,
            unit: "/s",
            note: "thermistor reports the board streams",
        },
    ]
}

/** Traffic while a session runs: needs the session and its buttons (issue 10). */
const runningTraffic: Measure = async () => [
    {
        key: "runningBusPacketsPerS",
        value: null,
        unit: "/s",
        note: "needs a session: the firmware cannot start one yet",
    },
]

/** Button press to the first changed frame at the board: needs the session (issue 10). */
const buttonToFrame: Measure = async () => [
    {
        key: "buttonToFrameP95Ms",
        value: null,
        unit: "ms",
        note: "needs a session: the power button does nothing yet",
    },
]

/** Control command to frame: needs the control service (issue 10). */
const controlToFrame: Measure = async () => [
    { key: "controlToFrameP95Ms", value: null, unit: "ms", note: "needs the massagerControl service" },
]

const MEASURES: Measure[] = [idleTraffic, runningTraffic, buttonToFrame, controlToFrame]

async function main() {
    const program = await buildFirmware()
    const tally = new BusTally()
    const t0 = performance.now()
    const log = (line: string) => (process.env.VERBOSE ? console.log(line) : undefined)
    const stack = await Stack.start({
        root: ROOT,
        port: PORT,
        program,
        feet: 2,
        ambientC: 22,
        feetPresent: true,
        faults: [],
        seed: 1,
        log,
    })
    stack.hub.onFrame = f => tally.add(f)
    const figures: Figure[] = []
    try {
        await waitForFirstFrame(stack, 60000)
        figures.push({
            key: "startupToFirstFrameMs",
            value: Math.round(performance.now() - t0),
            unit: "ms",
            note: "hub, simulator and VM started (firmware built before) to the first frame at the board",
        })
        for (const m of MEASURES) figures.push(...(await m(stack, tally)))
    } finally {
        await stack.stop()
    }
    const rows = figures.map(f => [
        f.key,
        f.value === null ? "-" : `${+f.value.toFixed(2)} ${f.unit}`,
        f.note,
    ])
    const w = [0, 1].map(i => Math.max(...rows.map(r => r[i].length)))
    for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2]}`)
    const json: Record<string, unknown> = { date: new Date().toISOString() }
    for (const f of figures) json[f.key] = f.value === null ? { value: null, why: f.note } : f.value
    writeFileSync(OUT, JSON.stringify(json, null, 4) + "\n")
    console.log(`-> ${OUT}`)
}

if (require.main === module)
    main().catch(e => {
        console.error(`bench:e2e: ${e && e.message ? e.message : e}`)
        process.exit(1)
    })
