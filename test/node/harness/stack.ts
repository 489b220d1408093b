/*
 * Starts the stack as `npm start` starts it (node build/node/scripts/start.js, a child process
 * without a terminal) for end-to-end tests, and talks to it over the hub's control endpoint.
 * An end-to-end test is: start, wait for `dashboard:`, act (press, control, fault), poll
 * `status()` until what it expects is seen or a deadline passes, stop.
 *
 * Clean-up survives a failing test: `stop()` never throws, SIGINTs start.js, SIGKILLs it and the
 * last VM it ran when that does not end them in time, and every stack still running when the
 * test process exits is killed then (a test that timed out, an assertion in `before`).
 */
import { ChildProcess, spawn } from "node:child_process"
import { request } from "node:http"
import { readFileSync } from "node:fs"
import { connect } from "node:net"
import { join } from "node:path"
import type { FramesAnswer, StackStatus } from "../../../sim/stack"

/** The project folder, from build/node/test/node/harness. */
export const ROOT = join(__dirname, "..", "..", "..", "..", "..")

/** An HTTP answer. */
export interface Answer {
    status: number
    body: any
}

/** One request to the hub; `headers` may set Host and Origin. */
export function http(
    port: number,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const text = body === undefined ? "" : JSON.stringify(body)
        const req = request(
            {
                host: "127.0.0.1",
                port,
                method,
                path,
                headers: {
                    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
                    "Content-Length": Buffer.byteLength(text),
                    ...headers,
                },
            },
            res => {
                let data = ""
                res.on("data", d => (data += d))
                res.on("end", () => {
                    let parsed: any = data
                    try {
                        parsed = JSON.parse(data)
                    } catch {}
                    resolve({ status: res.statusCode, body: parsed })
                })
            }
        )
        req.on("error", reject)
        req.end(text)
    })
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const s = connect(port, "127.0.0.1")
        s.once("connect", () => {
            s.destroy()
            resolve(true)
        })
        s.once("error", () => resolve(false))
    })
}

/** Stacks started and not yet seen to exit: killed when the test process exits. */
const running = new Set<StackProcess>()
process.on("exit", () => {
    for (const s of running) s.kill()
})

/** A stack started by `start.js`. */
export class StackProcess {
    output = ""
    readonly exited: Promise<number>
    /** The VM processes start.js reported (GET /sim/status), to kill if start.js cannot. */
    private readonly vmPids = new Set<number>()
    private hasExited = false

    private constructor(
        readonly port: number,
        readonly child: ChildProcess
    ) {
        child.stdout.on("data", d => (this.output += d))
        child.stderr.on("data", d => (this.output += d))
        running.add(this)
        this.exited = new Promise(resolve =>
            child.on("exit", code => {
                this.hasExited = true
                running.delete(this)
                resolve(code === null ? -1 : code)
            })
        )
    }

    /** Spawns start.js with `args` on `port`; does not wait. */
    static spawn(port: number, args: string[] = []): StackProcess {
        const child = spawn(process.execPath, ["build/node/scripts/start.js", "--port", "" + port, ...args], {
            cwd: ROOT,
            env: { ...process.env, NO_COLOR: "1" },
            stdio: ["pipe", "pipe", "pipe"],
        })
        return new StackProcess(port, child)
    }

    /** Spawns start.js and waits for its `dashboard:` line. */
    static async start(port: number, args: string[] = [], timeoutMs = 120000): Promise<StackProcess> {
        const s = StackProcess.spawn(port, args)
        try {
            await s.waitFor(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m, timeoutMs)
            await s.status()
        } catch (e) {
            await s.stop()
            throw e
        }
        return s
    }

    /** Resolves once the output matches `pattern`; rejects on a timeout or an early exit. */
    async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
        const t0 = Date.now()
        let done = false
        this.exited.then(() => (done = true))
        while (!pattern.test(this.output)) {
            if (done) throw new Error(`start.js exited before ${pattern}:\n${this.output.slice(-3000)}`)
            if (Date.now() - t0 > timeoutMs)
                throw new Error(`no ${pattern} in ${timeoutMs} ms:\n${this.output.slice(-3000)}`)
            await new Promise(r => setTimeout(r, 100))
        }
    }

    /** GET /sim/status. */
    async status(): Promise<StackStatus> {
        const a = await http(this.port, "GET", "/sim/status")
        if (a.status !== 200) throw new Error(`GET /sim/status: ${a.status} ${JSON.stringify(a.body)}`)
        if (a.body.vmPid > 0) this.vmPids.add(a.body.vmPid)
        return a.body
    }

    /** GET /sim/frames: the frames the board played after `sinceMs` (simulator time). */
    async frames(sinceMs = -1, last?: number): Promise<FramesAnswer> {
        const q = `since=${sinceMs}` + (last === undefined ? "" : `&last=${last}`)
        const a = await http(this.port, "GET", `/sim/frames?${q}`)
        if (a.status !== 200) throw new Error(`GET /sim/frames: ${a.status} ${JSON.stringify(a.body)}`)
        return a.body
    }

    /** POST /sim/NAME with a JSON body, as a loopback node client (no Origin). */
    post(name: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Answer> {
        return http(this.port, "POST", `/sim/${name}`, body, headers)
    }

    /** Polls the status until `ok` holds; resolves with that status or rejects after timeoutMs. */
    async until(ok: (s: StackStatus) => boolean, timeoutMs: number, what: string): Promise<StackStatus> {
        const t0 = Date.now()
        let s: StackStatus
        while (Date.now() - t0 < timeoutMs) {
            s = await this.status()
            if (ok(s)) return s
            await new Promise(r => setTimeout(r, 100))
        }
        throw new Error(`${what}: not seen in ${timeoutMs} ms; last status ${JSON.stringify(s)}`)
    }

    /** Ctrl-C: SIGINT, then waits for the exit (SIGKILL after timeoutMs). Resolves with the exit code. */
    async interrupt(timeoutMs = 15000): Promise<number> {
        this.child.kill("SIGINT")
        // start.js did not stop in time: it and the VMs it ran are killed
        const timer = setTimeout(() => this.kill(), timeoutMs)
        const code = await this.exited
        clearTimeout(timer)
        return code
    }

    /**
     * Clean-up for `after` and `finally`: Ctrl-C, then SIGKILL for start.js and its VMs if they
     * are not gone in time. Never throws; resolves once start.js has exited.
     */
    async stop(timeoutMs = 15000): Promise<void> {
        try {
            if (!this.hasExited) await this.interrupt(timeoutMs)
        } catch {
            this.kill()
        }
    }

    /** SIGKILL start.js and every VM it reported, at once (synchronous: also from an exit hook). */
    kill() {
        if (!this.hasExited)
            try {
                this.child.kill("SIGKILL")
            } catch {}
        this.killVms()
    }

    /** Kills the VMs start.js reported that still run the DeviceScript CLI (a pid is not reused blindly). */
    private killVms() {
        for (const pid of this.vmPids)
            try {
                const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8")
                if (/devicescript/.test(cmd) && cmd.includes(ROOT)) process.kill(pid, "SIGKILL")
            } catch {}
        this.vmPids.clear()
    }
}
