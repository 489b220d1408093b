/**
 * Runs a DeviceScript program in the simulator without GC stress, for the benchmark and the
 * fault matrix. Test mode (`devs run FILE --test --test-self-exit`) stresses the GC and makes
 * every call about 20x slower, and a normal run needs a Jacdac bus: this starts
 * `devs devtools` on loopback (127.0.0.1:8081-8083), then `devs run ENTRY`, collects its output
 * until `endMarker`, and stops both.
 */
import { spawn, ChildProcess } from "node:child_process"
import { join } from "node:path"

const ROOT = process.cwd()
export const DEVS = join(ROOT, "node_modules", ".bin", "devicescript")

/** Strips the CLI's colour codes. */
export function plain(s: string): string {
    return s.replace(/\u001b\[[0-9;]*m/g, "")
}

function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs: number, echo: boolean): Promise<string> {
    return new Promise((resolve, reject) => {
        let buf = ""
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}`)), timeoutMs)
        const onData = (d: Buffer) => {
            const s = plain(d.toString())
            if (echo) process.stderr.write(s)
            buf += s
            if (/PANIC \d+/.test(buf)) {
                // the VM died (an uncaught exception, out of memory); `devs run` would restart it
                clearTimeout(timer)
                reject(new Error(`the program panicked:\n${buf.slice(-3000)}`))
                return
            }
            if (pattern.test(buf)) {
                clearTimeout(timer)
                resolve(buf)
            }
        }
        child.stdout.on("data", onData)
        child.stderr.on("data", onData)
        child.on("exit", code => {
            clearTimeout(timer)
            if (!pattern.test(buf))
                reject(new Error(`exited (${code}) before ${pattern}:\n${buf.slice(-3000)}`))
        })
    })
}

/** A node process to run beside the VM on the bus (the hardware simulator). */
export interface Companion {
    /** Arguments to `node`. */
    args: string[]
    /** What it prints once it is on the bus. */
    ready: RegExp
}

/** What a run printed: the VM, and the companion if there was one. */
export interface BusRun {
    vm: string
    companion: string
}

/**
 * Runs `entry` on a local devtools bus until it prints `endMarker`, with an optional companion
 * process started first (and stopped with SIGTERM at the end, so it can print its last words).
 */
export async function runWithCompanion(
    entry: string,
    endMarker: RegExp,
    timeoutMs: number,
    companion: Companion
): Promise<BusRun> {
    const devtools = spawn(DEVS, ["devtools"], { cwd: ROOT, detached: true })
    let vm: ChildProcess = null
    let side: ChildProcess = null
    let sideOut = ""
    try {
        await waitFor(devtools, /websocket\s*:\s*ws:\/\/127\.0\.0\.1:8081/, 60000, false)
        if (companion) {
            side = spawn(process.execPath, companion.args, { cwd: ROOT, detached: true })
            side.stdout.on("data", (d: Buffer) => (sideOut += d.toString()))
            side.stderr.on("data", (d: Buffer) => (sideOut += d.toString()))
            await waitFor(side, companion.ready, 30000, false)
        }
        vm = spawn(DEVS, ["run", entry], { cwd: ROOT, detached: true })
        const out = await waitFor(vm, endMarker, timeoutMs, !!process.env.VERBOSE)
        if (side && side.pid) {
            const exited = new Promise(resolve => side.on("exit", resolve))
            process.kill(-side.pid, "SIGTERM")
            await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 3000))])
        }
        return { vm: out, companion: sideOut }
    } finally {
        for (const p of [vm, side, devtools])
            if (p && p.pid) {
                try {
                    process.kill(-p.pid, "SIGKILL")
                } catch {}
            }
    }
}

/** Runs `entry` on a local devtools bus until it prints `endMarker`; returns everything it printed. */
export async function runOnBus(entry: string, endMarker: RegExp, timeoutMs: number): Promise<string> {
    return (await runWithCompanion(entry, endMarker, timeoutMs, null)).vm
}
