/*
 * `npm run sim`: the massager's hardware, simulated in node. It serves the Foot IO board on the
 * DeviceScript devtools bus (loopback), so the firmware running in the DeviceScript simulator
 * drives simulated motors and heating pads and reads simulated thermistors.
 *
 *     node build/node/sim/app.js [--feet 1|2] [--ambient C] [--no-feet] [--fault PAD:KIND]...
 *                                [--status-ms N] [--seed N] [--bus ws://127.0.0.1:PORT/bus]
 *
 * KIND is one of sim/board.ts PAD_FAULTS. Prints a `SIM ...` status line every N ms (default
 * 5000; 0 for none). Needs `devs devtools` running, or a hub with --bus (npm start runs
 * everything: scripts/start.ts).
 */
import { DEFAULT_CONFIG, ZONES_PER_FOOT } from "../src/core"
import { PAD_FAULTS, PadFault, SimBoard } from "./board"
import { FootIoSimServer } from "./foot-io-server"
import { DEVTOOLS_URL, loadProjectServices } from "./runtime"
import { SimNode } from "./sim-node"

/** Options of the simulator. */
export interface SimOptions {
    feet: number
    ambientC: number
    feetPresent: boolean
    faults: { pad: number; fault: PadFault }[]
    statusMs: number
    seed: number
    /** The bus to join: the devtools bus by default, or a hub's ws://127.0.0.1:PORT/bus. */
    busUrl: string
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
        busUrl: DEVTOOLS_URL,
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
        else if (a === "--bus") {
            o.busUrl = argv[++i]
            if (!/^ws:\/\/(127\.0\.0\.1|localhost):\d+(\/.*)?$/.test(o.busUrl || ""))
                throw new Error("--bus takes a loopback ws:// URL, e.g. ws://127.0.0.1:8080/bus")
        } else if (a === "--fault") {
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
    const sim = new SimNode(options)
    await sim.start()
    const status =
        options.statusMs > 0
            ? setInterval(() => console.log(statusLine(sim.board, sim.footIo, sim.now())), options.statusMs)
            : null
    console.log(
        `SIM ready: ${sim.board.channels} channels, ambient ${options.ambientC} C, feet ${options.feetPresent ? "on" : "off"}`
    )
    const stop = async () => {
        if (status) clearInterval(status)
        console.log(statusLine(sim.board, sim.footIo, sim.now()))
        await sim.stop()
        process.exit(0)
    }
    process.on("SIGINT", stop)
    process.on("SIGTERM", stop)
}

if (require.main === module) main()
