/**
 * `npm test`: runs every test runner and sums them up.
 *
 * - Simulator suites: every `test/sim/*.all.ts` aggregator is run in the DeviceScript simulator
 *   with `devs run FILE --test --test-self-exit` (without --test-self-exit a run exits 0 having
 *   run nothing). A suite passes only when it exits 0, prints its closing line, and ran as many
 *   tests as it registered.
 * - Node tests: `node --test` over build/node/test/node (compiled by tsc before this runs), one
 *   file at a time.
 *
 * Prints one line per runner and ends with `N passed, M failed`; exits 1 when anything failed.
 * Logs of every runner go to test-results/.
 */
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import { cpus } from "node:os"

const ROOT = process.cwd()
const RESULTS = join(ROOT, "test-results")
const DEVS = join(ROOT, "node_modules", ".bin", "devicescript")
/** Whole-run limit of one simulator suite (the CLI's default is 5 s). */
const SIM_TIMEOUT_MS = 900000

interface RunnerResult {
    name: string
    passed: number
    failed: number
    note: string
    /** Wall time of the runner, s. */
    seconds?: number
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
    return new Promise(resolve => {
        const child = spawn(cmd, args, {
            cwd: ROOT,
            env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
        })
        let out = ""
        child.stdout.on("data", d => (out += d))
        child.stderr.on("data", d => (out += d))
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
        child.on("close", code => {
            clearTimeout(timer)
            resolve({ code: code === null ? -1 : code, out })
        })
    })
}

// the CLI colours its output; strip ANSI escapes before parsing
function plain(s: string): string {
    return s.replace(/\u001b\[[0-9;]*m/g, "")
}

/** Parses a simulator suite's output; see the rules at the top of this file. */
export function judgeSimSuite(name: string, code: number, output: string): RunnerResult {
    const out = plain(output)
    const registered = /running (\d+) tests/.exec(out)
    const closing = /tests: (\d+), pass: (\d+), error: (\d+)/.exec(out)
    if (!registered)
        return { name, passed: 0, failed: 1, note: "no tests registered (did the suite compile?)" }
    const reg = parseInt(registered[1])
    if (!closing)
        return { name, passed: 0, failed: Math.max(1, reg), note: `crashed or timed out (exit ${code})` }
    const total = parseInt(closing[1])
    const pass = parseInt(closing[2])
    const error = parseInt(closing[3])
    let failed = total - pass
    let note = ""
    if (total < reg) {
        failed += reg - total
        note = `ran ${total} of ${reg} registered tests`
    }
    if (code !== 0 && failed === 0) {
        failed = 1
        note = `exit code ${code}`
    }
    if (error > 0 && !note) note = `${error} failed`
    return { name, passed: pass, failed, note }
}

async function runSimSuite(file: string): Promise<RunnerResult> {
    const name = "sim " + basename(file, ".ts")
    const started = Date.now()
    const { code, out } = await run(
        DEVS,
        ["run", file, "--test", "--test-self-exit", "-T", "" + SIM_TIMEOUT_MS],
        SIM_TIMEOUT_MS + 60000
    )
    writeFileSync(join(RESULTS, basename(file, ".ts") + ".log"), out)
    const r = judgeSimSuite(name, code, out)
    r.seconds = (Date.now() - started) / 1000
    if (r.failed > 0) printFailures(out)
    return r
}

async function runNodeTests(): Promise<RunnerResult> {
    const dir = join("build", "node", "test", "node")
    if (!existsSync(dir)) return { name: "node", passed: 0, failed: 0, note: "no node tests" }
    const files = readdirSync(dir)
        .filter(f => f.endsWith(".test.js"))
        .map(f => join(dir, f))
    // one file at a time: the bus tests each start `devs devtools` on 127.0.0.1:8081
    const { code, out } = await run(
        process.execPath,
        ["--test", "--test-concurrency=1", "--test-reporter=tap", ...files],
        1800000
    )
    writeFileSync(join(RESULTS, "node.log"), out)
    const pass = /^# pass (\d+)/m.exec(out)
    const fail = /^# fail (\d+)/m.exec(out)
    const passed = pass ? parseInt(pass[1]) : 0
    let failed = fail ? parseInt(fail[1]) : 1
    if (code !== 0 && failed === 0) failed = 1
    if (failed > 0) printFailures(out)
    return { name: "node", passed, failed, note: code !== 0 ? `exit code ${code}` : "" }
}

function printFailures(out: string) {
    const lines = plain(out).split("\n")
    const interesting = lines.filter(l => /not ok|error|Error|fail|PANIC|expected|timeout/i.test(l))
    console.log(
        interesting
            .slice(0, 40)
            .map(l => "    | " + l)
            .join("\n")
    )
}

async function pool<T>(items: string[], width: number, work: (item: string) => Promise<T>): Promise<T[]> {
    const results: T[] = new Array(items.length)
    let next = 0
    async function worker() {
        while (next < items.length) {
            const i = next++
            results[i] = await work(items[i])
        }
    }
    const workers: Promise<void>[] = []
    for (let i = 0; i < Math.min(width, items.length); i++) workers.push(worker())
    await Promise.all(workers)
    return results
}

/** Suites that run for minutes (the fault matrix) start first, so two workers end together. */
const SLOW_SUITES = ["faults-a.all.ts", "faults-b.all.ts", "session.all.ts", "heat.all.ts"]
function longestFirst(a: string, b: string): number {
    const ra = SLOW_SUITES.indexOf(a) < 0 ? SLOW_SUITES.length : SLOW_SUITES.indexOf(a)
    const rb = SLOW_SUITES.indexOf(b) < 0 ? SLOW_SUITES.length : SLOW_SUITES.indexOf(b)
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0
}

async function main() {
    mkdirSync(RESULTS, { recursive: true })
    const filter = process.argv[2]
    const suites = readdirSync(join(ROOT, "test", "sim"))
        .filter(f => f.endsWith(".all.ts") && (!filter || f.includes(filter)))
        .sort(longestFirst)
        .map(f => join("test", "sim", f))
    const width = Math.max(1, Math.min(2, cpus().length))
    const started = Date.now()
    const results: RunnerResult[] = []
    const simPromise = pool(suites, width, async file => {
        const r = await runSimSuite(file)
        console.log(
            `${r.failed ? "FAIL" : "ok  "} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.note ? " (" + r.note + ")" : ""} in ${r.seconds.toFixed(0)} s`
        )
        return r
    })
    results.push(...(await simPromise))
    if (!filter || filter === "node") {
        const r = await runNodeTests()
        console.log(
            `${r.failed ? "FAIL" : "ok  "} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.note ? " (" + r.note + ")" : ""}`
        )
        results.push(r)
    }
    const passed = results.reduce((s, r) => s + r.passed, 0)
    const failed = results.reduce((s, r) => s + r.failed, 0)
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s, logs in test-results/)`)
    console.log(`${passed} passed, ${failed} failed`)
    process.exit(failed > 0 || passed === 0 ? 1 : 0)
}

if (require.main === module) main()
