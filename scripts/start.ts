/**
 * `npm start`: the simulated massager, offline. Starts `devs devtools` (loopback only: the bus at
 * ws://127.0.0.1:8081 and its page at http://127.0.0.1:8081), the node hardware simulator
 * (sim/app.ts: the Foot IO board with motor and pad physics) and the firmware (src/main.ts) in
 * the DeviceScript simulator, and prints what each says, prefixed. Ctrl-C stops them all.
 * Extra arguments go to the simulator (see sim/app.ts), e.g. `npm start -- --fault 2:stuck-on`.
 */
import { ChildProcess, spawn } from "node:child_process"
import { DEVS, plain } from "./vm-bus"

const children: ChildProcess[] = []

function start(name: string, cmd: string, args: string[], ready?: RegExp): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd: process.cwd(), detached: true })
        children.push(child)
        let resolved = !ready
        if (resolved) resolve()
        const onData = (d: Buffer) => {
            const text = plain(d.toString())
            for (const line of text.split("\n")) if (line.trim()) console.log(`[${name}] ${line}`)
            if (!resolved && ready.test(text)) {
                resolved = true
                resolve()
            }
        }
        child.stdout.on("data", onData)
        child.stderr.on("data", onData)
        child.on("exit", code => {
            console.log(`[${name}] exited (${code})`)
            if (!resolved) reject(new Error(`${name} exited before it was ready`))
            stopAll(code === 0 ? 0 : 1)
        })
    })
}

let stopping = false
function stopAll(code: number) {
    if (stopping) return
    stopping = true
    for (const c of children.reverse())
        if (c.pid)
            try {
                process.kill(-c.pid, "SIGTERM")
            } catch {}
    setTimeout(() => process.exit(code), 1500)
}

async function main() {
    process.on("SIGINT", () => stopAll(0))
    process.on("SIGTERM", () => stopAll(0))
    await start("devtools", DEVS, ["devtools"], /ws:\/\/127\.0\.0\.1:8081/)
    await start("sim", process.execPath, ["build/node/sim/app.js", ...process.argv.slice(2)], /SIM ready/)
    await start("firmware", DEVS, ["run", "src/main.ts"])
    console.log("the simulated massager runs; Ctrl-C stops it")
}

main().catch(e => {
    console.error("start failed: " + (e && e.message ? e.message : e))
    stopAll(1)
})
