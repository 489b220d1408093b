/*
 * `npm run sim`: the massager's hardware, simulated in node. It serves the Foot IO board on the
 * DeviceScript devtools bus (loopback), so the firmware running in the DeviceScript simulator
 * drives simulated motors and heating pads and reads simulated thermistors.
 *
 *     node build/node/sim/app.js [--feet 1|2] [--ambient C] [--no-feet] [--fault PAD:KIND]...
 *                                [--status-ms N] [--seed N]
 *
 * KIND is one of sim/board.ts PAD_FAULTS. Prints a `SIM ...` status line every N ms (default
 * 5000; 0 for none). Needs `devs devtools` running (npm start runs everything).
 */
import { JDServerServiceProvider } from "jacdac-ts"
import { DEFAULT_CONFIG } from "../src/core/config"
import { ZONES_PER_FOOT } from "../src/core/zones"
import { PAD_FAULTS, PadFault, SimBoard } from "./board"
import { FootIoSimServer } from "./foot-io-server"
import { createDevtoolsBus, loadProjectServices } from "./runtime"

/** Physics step: 10 ms resolves the motors' 40 ms spin-up and half a 20 ms frame. */
const STEP_MS = 10

/** The thermistors are reported unprompted at the firmware's sampling rate (src/heat-sampler.ts). */
const REPORT_MS = 100

/** Options of the simulator. */
export interface SimOptions {
    feet: number
    ambientC: number
    feetPresent: boolean
    faults: { pad: number; fault: PadFault }[]
    statusMs: number
    seed: number
}

/** Parses the command line; throws an Error with a clear message on bad input. */
export function parseArgs(argv: string[]): SimOptions {
    const o: SimOptions = {
        feet: DEFAULT_CONFIG.feet,
        ambientC: 22,
        feetPresent: true,
        faults: [],
        statusMs: 5000,
        seed: 1,
    }
    const number = (flag: string, v: string, lo: number, hi: number): number => {
        const x = Number(v)
        if (v === undefined || !Number.isFinite(x) || x < lo || x > hi)
            throw new Error(
                `${flag} needs a number from ${lo} to ${hi}, got ${v === undefined ? "nothing" : v}`
            )
        return x
    }
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]
        if (a === "--feet") {
            o.feet = number(a, argv[++i], 1, 2)
            if (o.feet !== 1 && o.feet !== 2) throw new Error("--feet is 1 or 2")
        } else if (a === "--ambient") o.ambientC = number(a, argv[++i], -10, 45)
        else if (a === "--no-feet") o.feetPresent = false
        else if (a === "--status-ms") o.statusMs = number(a, argv[++i], 0, 3600000)
        else if (a === "--seed") o.seed = number(a, argv[++i], 1, 2 ** 31 - 1)
        else if (a === "--fault") {
            const m = /^(\d+):([a-z-]+)$/.exec(argv[++i] || "")
            if (!m || !PAD_FAULTS.includes(m[2] as PadFault))
                throw new Error(`--fault takes PAD:KIND, KIND one of ${PAD_FAULTS.join(", ")}`)
            o.faults.push({ pad: parseInt(m[1]), fault: m[2] as PadFault })
        } else throw new Error(`unknown option ${a}`)
    }
    for (const f of o.faults)
        if (f.pad >= o.feet * ZONES_PER_FOOT)
            throw new Error(`--fault: pad ${f.pad} does not exist with ${o.feet} feet`)
    return o
}

/** One status line: what the board receives and does. */
export function statusLine(board: SimBoard, server: FootIoSimServer, tMs: number): string {
    const c = board.counters
    const out = board.output
    const pads = board.pads.map(p => p.tempC.toFixed(1)).join(" ")
    return (
        `SIM t=${(tMs / 1000).toFixed(1)}s writes=${c.writes} frames=${c.frames} duplicates=${c.duplicates} ` +
        `malformed=${c.malformed} watchdog=${board.watchdogOff ? "off" : "live"} trips=${c.watchdogTrips} ` +
        `reports=${server.temperatureReports} levels=${out.levels.join(",")} heaters=0x${out.heaters.toString(16)} ` +
        `power=${out.heaterPower ? "on" : "cut"} pads=${pads} C`
    )
}

/** The last status line in what the simulator printed, or undefined. */
export function lastStatusLine(output: string): string {
    return output
        .split("\n")
        .filter(l => l.startsWith("SIM t="))
        .pop()
}

async function main() {
    let options: SimOptions
    try {
        options = parseArgs(process.argv.slice(2))
    } catch (e) {
        console.error(`sim: ${(e as Error).message}`)
        process.exit(2)
    }
    loadProjectServices(process.cwd())
    const channels = options.feet * ZONES_PER_FOOT
    const board = new SimBoard(channels, DEFAULT_CONFIG.framePeriodMs, options.ambientC, options.seed)
    board.setFeetPresent(options.feetPresent)
    for (const f of options.faults) board.setFault(f.pad, f.fault)
    const t0 = performance.now()
    const now = () => performance.now() - t0
    const server = new FootIoSimServer(board, now)
    const bus = createDevtoolsBus()
    bus.addServiceProvider(new JDServerServiceProvider("foot-io-board", [server]))
    await bus.connect(true)

    const physics = setInterval(() => {
        board.step(now())
        server.refresh()
    }, STEP_MS)
    const reports = setInterval(() => server.stream(), REPORT_MS)
    const status =
        options.statusMs > 0
            ? setInterval(() => console.log(statusLine(board, server, now())), options.statusMs)
            : null
    console.log(
        `SIM ready: ${channels} channels, ambient ${options.ambientC} C, feet ${options.feetPresent ? "on" : "off"}`
    )
    const stop = async () => {
        clearInterval(physics)
        clearInterval(reports)
        if (status) clearInterval(status)
        console.log(statusLine(board, server, now()))
        await bus.stop()
        process.exit(0)
    }
    process.on("SIGINT", stop)
    process.on("SIGTERM", stop)
}

if (require.main === module) main()
