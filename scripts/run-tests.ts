/**
 * `npm test`: runs every test runner and sums them up.
 *
 * - Simulator suites: every `test/sim/*.all.ts` aggregator is run in the DeviceScript simulator
 *   with `devs run FILE --test --test-self-exit` (without --test-self-exit a run exits 0 having
 *   run nothing). A suite passes only when it exits 0, prints its closing line, and ran as many
 *   tests as it registered.
 * - Node tests: every build/node/test/node/*.test.js (compiled by tsc before this runs), one file
 *   at a time, each in a `node --test` process of its own with a whole-file limit
 *   (NODE_FILE_LIMIT_S): past it the process, its group and everything it started are killed and
 *   the file counts as failed, so `npm test` never hangs. A test without a `timeout` of its own
 *   gets the file's limit, and `--test-force-exit` ends a file whose tests are done even
 *   if a handle was left open. The end-to-end suite (BESIDE_SIMS: long, but waiting on real time)
 *   runs beside the simulator suites; the other files after them.
 *
 * `run-tests.js WORD` runs only the simulator suites and node test files whose names contain
 * WORD (`node`: every node test file, no suite).
 *
 * Prints one line per suite and per node test file and ends with `N passed, M failed`; exits 1
 * when anything failed. Logs of every runner go to test-results/ (node.log and node-beside.log: the node files).
 */
import { execFileSync, spawn } from "node:child_process"
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

/** What a run gave: its exit code (-1 when killed), its output and whether it was killed at its limit. */
export interface RunOutcome {
    code: number
    out: string
    timedOut: boolean
}

/**
 * Runs a command in its own process group; past `timeoutMs` kills the group and every process
 * started under it (also those that made groups of their own), so nothing it started outlives it.
 */
export function run(cmd: string, args: string[], timeoutMs: number): Promise<RunOutcome> {
    return new Promise(resolve => {
        const child = spawn(cmd, args, {
            cwd: ROOT,
            env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
            detached: true,
        })
        let out = ""
        let timedOut = false
        child.stdout.on("data", d => (out += d))
        child.stderr.on("data", d => (out += d))
        const timer = setTimeout(() => {
            timedOut = true
            killTree(child.pid)
        }, timeoutMs)
        child.on("close", code => {
            clearTimeout(timer)
            resolve({ code: code === null ? -1 : code, out, timedOut })
        })
    })
}

/** Every process below `pid` (children first found, then theirs), from `ps`. */
export function descendants(pid: number, table: [number, number][]): number[] {
    const out: number[] = []
    const todo = [pid]
    while (todo.length) {
        const p = todo.pop()
        for (const [child, parent] of table)
            if (parent === p && !out.includes(child)) {
                out.push(child)
                todo.push(child)
            }
    }
    return out
}

/** SIGKILL for process `pid`, its group and everything below it. */
function killTree(pid: number) {
    let table: [number, number][] = []
    try {
        table = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" })
            .split("\n")
            .map(l => l.trim().split(/\s+/).map(Number) as [number, number])
            .filter(r => r.length === 2 && r[0] > 0)
    } catch {}
    // the list first: once the parents die, their children are adopted and cannot be found
    const below = descendants(pid, table)
    for (const target of [-pid, pid, ...below])
        try {
            process.kill(target, "SIGKILL")
        } catch {}
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

/** A node test file's whole-run limit, s: past it the file is killed and counts as failed. */
const NODE_FILE_LIMIT_S: Record<string, number> = {
    "e2e.test.js": 1800,
    "dashboard.test.js": 900,
    "golden.test.js": 900,
    "reference.test.js": 900,
    "heat-sweep.test.js": 900,
}
const NODE_FILE_DEFAULT_LIMIT_S = 600

/** Judges one node test file's TAP output, exit code and whether it was killed at its limit. */
export function judgeNodeFile(name: string, r: RunOutcome, limitS: number): RunnerResult {
    const out = plain(r.out)
    const pass = /^# pass (\d+)/m.exec(out)
    const fail = /^# fail (\d+)/m.exec(out)
    const passed = pass ? parseInt(pass[1]) : 0
    let failed = fail ? parseInt(fail[1]) : 1
    let note = ""
    if (r.timedOut) {
        // what it reported before it was killed does not count as passed
        failed = Math.max(1, failed)
        note = `killed after its ${limitS} s limit`
        return { name, passed: 0, failed, note }
    }
    if (r.code !== 0 && failed === 0) failed = 1
    if (r.code !== 0) note = `exit code ${r.code}`
    return { name, passed, failed, note }
}

/**
 * Node test files that run beside the simulator suites rather than after them: the end-to-end
 * suite spends its ~10 minutes waiting on the stack's real time (heat, a 5-minute session) and
 * needs little CPU, so it overlaps the CPU-bound suites instead of adding to the run.
 */
const BESIDE_SIMS = ["e2e.test.js"]

/** The node test files matching `filter`, sorted. */
function nodeTestFiles(filter: string): string[] {
    const dir = join("build", "node", "test", "node")
    if (!existsSync(dir)) return []
    return readdirSync(dir)
        .filter(f => f.endsWith(".test.js") && (!filter || filter === "node" || f.includes(filter)))
        .sort()
}

/** Runs node test files one at a time (several start a stack or `devs devtools` on loopback ports); logs to test-results/LOGNAME. */
async function runNodeTests(files: string[], logName: string): Promise<RunnerResult[]> {
    const dir = join("build", "node", "test", "node")
    const results: RunnerResult[] = []
    let log = ""
    for (const f of files) {
        const limitS = NODE_FILE_LIMIT_S[f] || NODE_FILE_DEFAULT_LIMIT_S
        const started = Date.now()
        const r = await run(
            process.execPath,
            [
                "--test",
                "--test-reporter=tap",
                "--test-force-exit",
                // node applies --test-timeout to the file's own wrapping test as well: anything
                // shorter than the file's limit cuts it (the e2e file was cut at 600 s under load)
                `--test-timeout=${limitS * 1000}`,
                join(dir, f),
            ],
            limitS * 1000
        )
        log += `### ${f}\n${r.out}\n`
        writeFileSync(join(RESULTS, logName), log)
        const res = judgeNodeFile("node " + basename(f, ".test.js"), r, limitS)
        res.seconds = (Date.now() - started) / 1000
        if (res.failed > 0) printFailures(r.out)
        printResult(res)
        results.push(res)
    }
    return results
}

function printResult(r: RunnerResult) {
    console.log(
        `${r.failed ? "FAIL" : "ok  "} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.note ? " (" + r.note + ")" : ""}${r.seconds !== undefined ? ` in ${r.seconds.toFixed(0)} s` : ""}`
    )
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
    const nodeFiles = nodeTestFiles(filter)
    if (!existsSync(join("build", "node", "test", "node")))
        results.push({ name: "node", passed: 0, failed: 1, note: "no node tests built" })
    const beside = runNodeTests(
        nodeFiles.filter(f => BESIDE_SIMS.includes(f)),
        "node-beside.log"
    )
    const simPromise = pool(suites, width, async file => {
        const r = await runSimSuite(file)
        printResult(r)
        return r
    })
    results.push(...(await simPromise))
    results.push(
        ...(await runNodeTests(
            nodeFiles.filter(f => !BESIDE_SIMS.includes(f)),
            "node.log"
        ))
    )
    results.push(...(await beside))
    const passed = results.reduce((s, r) => s + r.passed, 0)
    const failed = results.reduce((s, r) => s + r.failed, 0)
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s, logs in test-results/)`)
    console.log(`${passed} passed, ${failed} failed`)
    process.exit(failed > 0 || passed === 0 ? 1 : 0)
}

if (require.main === module) main()
