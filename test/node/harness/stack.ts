/*
 * Starts the stack as `npm start` starts it (node build/node/scripts/start.js, a child process
 * without a terminal) for end-to-end tests, and talks to it over the hub's control endpoint.
 * An end-to-end test is: start, wait for `dashboard:`, act (press, control, fault), poll
 * `status()` until what it expects is seen or a deadline passes, stop.
 */
import { ChildProcess, spawn } from "node:child_process"
import { request } from "node:http"
import { connect } from "node:net"
import { join } from "node:path"
import type { StackStatus } from "../../../sim/stack"

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

/** A stack started by `start.js`. */
export class StackProcess {
    output = ""
    readonly exited: Promise<number>

    private constructor(
        readonly port: number,
        readonly child: ChildProcess
    ) {
        child.stdout.on("data", d => (this.output += d))
        child.stderr.on("data", d => (this.output += d))
        this.exited = new Promise(resolve => child.on("exit", code => resolve(code === null ? -1 : code)))
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
        await s.waitFor(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m, timeoutMs)
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
        const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs)
        const code = await this.exited
        clearTimeout(timer)
        return code
    }
}
