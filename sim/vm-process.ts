/*
 * The firmware in the DeviceScript VM, as a child process joined to the hub's bus: `devs run` of
 * the compiled program with sim/vm-preload.js sending its bus to the hub. It can be restarted (a
 * power cycle of the ESP32: the VM starts from scratch, the flash in .devicescript/flash stays).
 */
import { ChildProcess, spawn } from "node:child_process"
import { statSync } from "node:fs"
import { join } from "node:path"

/** How long the simulator's flash file must stay unchanged before a restart, ms (see restart). */
const FLASH_SETTLE_MS = 1500

function mtimeOf(file: string): number {
    try {
        return statSync(file).mtimeMs
    } catch {
        return -1
    }
}

/** What `devs run` prints, without colours, line by line. */
export type LineSink = (line: string) => void

/** Strips the CLI's colour codes. */
export function plainText(s: string): string {
    return s.replace(/\u001b\[[0-9;]*m/g, "")
}

/** The VM process and its restarts. */
export class VmProcess {
    private child: ChildProcess = null
    private stopping = false
    /** Starts so far (1 after the first). */
    starts = 0
    /** Set when the VM exited by itself (a crash of the CLI), with its exit code. */
    onExit: (code: number) => void = null

    /**
     * @param root the project folder (node_modules, build/node, the program)
     * @param program the program to run: a compiled .devs file (fast to restart) or a .ts entry
     * @param busUrl the hub's bus, ws://127.0.0.1:PORT/bus
     * @param onLine gets every line the VM prints
     */
    constructor(
        readonly root: string,
        readonly program: string,
        readonly busUrl: string,
        readonly onLine: LineSink
    ) {}

    /** Starts the VM (no-op while it runs). */
    start() {
        if (this.child) return
        this.stopping = false
        const cli = join(this.root, "node_modules", "@devicescript", "cli", "devicescript")
        const preload = join(this.root, "build", "node", "sim", "vm-preload.js")
        const child = spawn(process.execPath, ["--require", preload, cli, "run", this.program], {
            cwd: this.root,
            env: { ...process.env, FOOT_HUB_BUS: this.busUrl, NO_COLOR: "1", FORCE_COLOR: "0" },
            stdio: ["ignore", "pipe", "pipe"],
        })
        this.child = child
        this.starts++
        let pending = ""
        const onData = (d: Buffer) => {
            pending += plainText(d.toString())
            const lines = pending.split("\n")
            pending = lines.pop()
            for (const l of lines)
                if (l.trim())
                    // the VM names the URL it asked for; sim/vm-preload.js sent it to the hub instead
                    this.onLine(l.replace(/\r$/, "").replace(/ws:\/\/127\.0\.0\.1:8081\/?/, this.busUrl))
        }
        child.stdout.on("data", onData)
        child.stderr.on("data", onData)
        child.on("exit", code => {
            if (this.child === child) this.child = null
            if (!this.stopping && this.onExit) this.onExit(code === null ? -1 : code)
        })
    }

    /** True while the VM process runs. */
    get running(): boolean {
        return this.child !== null
    }

    /** The VM process's id, or -1 while it is down. */
    get pid(): number {
        return this.child && this.child.pid ? this.child.pid : -1
    }

    /** Stops the VM and waits for its process to end. */
    async stop(): Promise<void> {
        const child = this.child
        if (!child) return
        this.stopping = true
        const exited = new Promise<void>(resolve => child.once("exit", () => resolve()))
        child.kill("SIGKILL")
        await exited
        this.child = null
    }

    /**
     * Restarts the VM: stops it and starts it afresh. The simulator writes its flash file
     * (.devicescript/flash/sim.bin) a moment after the program's own write has returned, while
     * on the board a completed write is in flash: so a restart first waits until that file has
     * not changed for FLASH_SETTLE_MS (at most 4 s), and a power cycle loses nothing the firmware
     * has stored. (A brownout, which may cut a write, does not wait: see Stack.brownout.)
     */
    async restart(): Promise<void> {
        await this.flashSettled()
        await this.stop()
        this.start()
    }

    /** Resolves once the simulator's flash file has been still for FLASH_SETTLE_MS (or 4 s pass). */
    async flashSettled(): Promise<void> {
        const file = join(this.root, ".devicescript", "flash", "sim.bin")
        const t0 = Date.now()
        let still = Date.now()
        let last = mtimeOf(file)
        while (Date.now() - still < FLASH_SETTLE_MS && Date.now() - t0 < 4000) {
            await new Promise(r => setTimeout(r, 100))
            const m = mtimeOf(file)
            if (m !== last) {
                last = m
                still = Date.now()
            }
        }
    }
}
