/**
 * `npm start`: the simulated massager, offline, closed to other web pages. Builds the firmware,
 * starts the hub on 127.0.0.1:PORT (the page, the Jacdac bus at /bus, the simulator's control
 * endpoint at /sim/), the node hardware simulator and the firmware in the DeviceScript VM on
 * that bus, then prints `dashboard: http://127.0.0.1:PORT/` and turns the terminal into the
 * simulator's console (sim/console.ts). Ctrl-C stops everything it started. `--help` lists the
 * options and keys.
 */
import { spawn } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs"
import { createServer } from "node:net"
import { dirname, join } from "node:path"
import { parseArgs as parseSimArgs } from "../sim/app"
import { SimConsole, keysHelp } from "../sim/console"
import { DEFAULT_PORT, PortTakenError } from "../sim/hub/hub"
import { Scenario, parseScenario, runScenario } from "../sim/scenario"
import { Stack, firmwarePath } from "../sim/stack"
import { plainText } from "../sim/vm-process"

const ROOT = process.cwd()

/** The launcher's own options; the rest go to the simulator (sim/app.ts). */
export interface StartOptions {
    port: number
    scenario: string | null
    statusMs: number
    build: boolean
    /** Another DeviceScript program to run instead of the firmware (tests: a probe). */
    program: string | null
    help: boolean
    simArgs: string[]
}

const USAGE = `usage: npm start -- [options]

The simulated massager: the hub (page, bus, control endpoint) on 127.0.0.1:PORT, the firmware
(src/main.ts) in the DeviceScript VM and the node hardware simulator on the hub's bus.

options:
  --port N          the hub's port (default ${DEFAULT_PORT}, or FOOT_PORT)
  --scenario FILE   replay a scenario file (sim/scenario.ts; examples in sim/scenarios/)
  --status-ms N     status refresh (default 250 on a terminal; 5000 printed lines otherwise; 0 off)
  --no-build        run the firmware built last time (build/firmware/main.devs)
  --program FILE    run another DeviceScript program instead of the firmware (test probes)
  --feet 1|2        feet of the board (default 2)
  --ambient C       room temperature (default 22)
  --no-feet         no feet on the pads
  --fault PAD:KIND  start with a pad fault (KIND: sim/board.ts PAD_FAULTS), repeatable
  --seed N          the thermistor noise's seed
  --help            this text

keys:
${keysHelp()}

control endpoint (loopback and this origin only): GET /sim/status; POST /sim/press, fault,
clear-faults, room, hot-room, bus-drop, brownout, restart, control (sim/hub/control-routes.ts).`

/** Parses the command line; throws an Error with a clear message on bad input. */
export function parseStartArgs(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
    const o: StartOptions = {
        port: DEFAULT_PORT,
        scenario: null,
        program: null,
        statusMs: -1,
        build: true,
        help: false,
        simArgs: [],
    }
    const port = (v: string, from: string) => {
        const n = Number(v)
        if (!Number.isInteger(n) || n < 1024 || n > 65535)
            throw new Error(`${from} needs a port 1024..65535, got ${v}`)
        return n
    }
    if (env.FOOT_PORT) o.port = port(env.FOOT_PORT, "FOOT_PORT")
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]
        if (a === "--port") o.port = port(argv[++i], "--port")
        else if (a === "--scenario") {
            o.scenario = argv[++i]
            if (!o.scenario) throw new Error("--scenario needs a file")
        } else if (a === "--status-ms") {
            o.statusMs = Number(argv[++i])
            if (!Number.isInteger(o.statusMs) || o.statusMs < 0) throw new Error("--status-ms needs ms >= 0")
        } else if (a === "--no-build") o.build = false
        else if (a === "--program") {
            o.program = argv[++i]
            if (!o.program || !/\.(ts|devs)$/.test(o.program))
                throw new Error("--program needs a .ts or .devs file")
        } else if (a === "--help" || a === "-h") o.help = true
        else if (a === "--bus") throw new Error("--bus is the hub's own: use --port")
        else o.simArgs.push(a)
    }
    return o
}

function progress(line: string) {
    console.log(`start: ${line}`)
}

/** Fails fast when the port is in use, before minutes of building. */
function checkPortFree(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
        const probe = createServer()
        probe.once("error", (e: NodeJS.ErrnoException) =>
            reject(e.code === "EADDRINUSE" ? new PortTakenError(port) : e)
        )
        probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()))
    })
}

let building: ReturnType<typeof spawn> = null

function run(cmd: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        let out = ""
        const child = spawn(cmd, args, {
            cwd: ROOT,
            env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
        })
        building = child
        child.stdout.on("data", d => (out += d))
        child.stderr.on("data", d => (out += d))
        child.on("close", code => {
            building = null
            if (code === 0) resolve()
            else
                reject(
                    new Error(`${[cmd, ...args].join(" ")} failed (${code}):\n${plainText(out).slice(-3000)}`)
                )
        })
    })
}

/** Compiles src/main.ts and keeps a copy of its bytecode for the VM (and its restarts). */
export async function buildFirmware(): Promise<string> {
    const started = Date.now()
    progress("building the firmware (devs build src/main.ts)...")
    await run(join(ROOT, "node_modules", ".bin", "devicescript"), ["build", "src/main.ts"])
    const out = firmwarePath(ROOT)
    mkdirSync(dirname(out), { recursive: true })
    copyFileSync(join(ROOT, ".devicescript", "bin", "bytecode.devs"), out)
    progress(`firmware built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return out
}

/** Compiles the factory step (src/factory/provision.ts) for a new simulated device. */
async function buildProvision(): Promise<string> {
    progress("a new simulated device: building its factory step (src/factory/provision.ts)...")
    await run(join(ROOT, "node_modules", ".bin", "devicescript"), ["build", "src/factory/provision.ts"])
    const out = join(ROOT, "build", "firmware", "provision.devs")
    mkdirSync(dirname(out), { recursive: true })
    copyFileSync(join(ROOT, ".devicescript", "bin", "bytecode.devs"), out)
    return out
}

/** Builds the dashboard when the project has a `build:dashboard` script; else the placeholder is served. */
async function buildDashboard() {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"))
    if (!pkg.scripts || !pkg.scripts["build:dashboard"]) {
        progress("no dashboard to build yet: the hub serves the placeholder page")
        return
    }
    progress("building the dashboard (npm run build:dashboard)...")
    await run(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build:dashboard"])
}

export async function waitForFirstFrame(stack: Stack, timeoutMs: number): Promise<number> {
    const t0 = performance.now()
    while (stack.status().frames === 0) {
        if (performance.now() - t0 > timeoutMs)
            throw new Error(`no frame reached the board in ${timeoutMs / 1000} s`)
        await new Promise(r => setTimeout(r, 50))
    }
    return performance.now() - t0
}

/** Waits until the VM is on the hub's bus (beside the simulator). */
async function waitForVm(stack: Stack, timeoutMs: number) {
    const t0 = performance.now()
    while (stack.status().busClients < 2) {
        if (performance.now() - t0 > timeoutMs)
            throw new Error(`the VM did not join the bus in ${timeoutMs / 1000} s`)
        await new Promise(r => setTimeout(r, 50))
    }
}

async function main() {
    let o: StartOptions
    let scenario: Scenario = null
    try {
        o = parseStartArgs(process.argv.slice(2), process.env)
        if (o.help) {
            console.log(USAGE)
            return
        }
        parseSimArgs(o.simArgs) // checks them before anything starts
        if (o.scenario) scenario = parseScenario(readFileSync(o.scenario, "utf8"))
    } catch (e) {
        console.error(`start: ${(e as Error).message}\n(npm start -- --help lists the options)`)
        process.exit(2)
    }
    const sim = parseSimArgs(o.simArgs)
    let stack: Stack = null
    let ui: SimConsole = null
    let stopping = false
    const stop = async (code: number) => {
        if (stopping) return
        stopping = true
        if (ui) ui.stop()
        if (building) building.kill("SIGKILL")
        if (stack) {
            progress("stopping...")
            await stack.stop()
        }
        progress("stopped")
        process.exit(code)
    }
    process.on("SIGINT", () => stop(0))
    process.on("SIGTERM", () => stop(0))
    process.on("SIGHUP", () => stop(0))
    try {
        await checkPortFree(o.port)
        const program = o.program ? o.program : o.build ? await buildFirmware() : firmwarePath(ROOT)
        // a simulated device without flash is new: the factory stores its empty fault list
        // first, or its first boot would read as a lost store (docs/storage.md)
        const factory = !o.program && !existsSync(join(ROOT, ".devicescript", "flash", "sim.bin"))
        const provisionProgram = factory ? await buildProvision() : null
        await buildDashboard()
        if (stopping) return
        progress(`starting the hub on 127.0.0.1:${o.port}, the simulator and the VM...`)
        const log = (line: string) => (ui ? ui.log(line) : console.log(line))
        stack = await Stack.start({
            root: ROOT,
            port: o.port,
            program,
            ...sim,
            log,
            provision: provisionProgram,
        })
        if (o.program) {
            progress(`waiting for ${o.program} to join the bus...`)
            await waitForVm(stack, 60000)
        } else {
            progress("waiting for the firmware's first frame at the board...")
            const ms = await waitForFirstFrame(stack, 60000)
            progress(`first frame after ${(ms / 1000).toFixed(1)} s`)
        }
    } catch (e) {
        const message = e instanceof PortTakenError ? e.message : `failed: ${(e as Error).message}`
        console.error(`start: ${message}`)
        await stop(1)
        return
    }
    const tty = !!process.stdout.isTTY && !!process.stdin.isTTY
    const statusMs = o.statusMs >= 0 ? o.statusMs : tty ? 250 : 5000
    console.log(`dashboard: http://127.0.0.1:${o.port}/`)
    ui = new SimConsole(stack, () => stop(0), statusMs)
    ui.start()
    ui.log(
        "keys: p m u d h press the buttons (capital: long press), f fault, t hot room, ? all keys, q quits"
    )
    if (scenario) {
        ui.log(`scenario: ${o.scenario}${scenario.description ? ": " + scenario.description : ""}`)
        await runScenario(stack, scenario, performance.now(), line => ui.log(line))
        if (scenario.endAt !== undefined) {
            ui.log(`status: ${JSON.stringify(stack.status())}`)
            await stop(0)
        }
    }
}

if (require.main === module) main()
