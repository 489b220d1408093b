/*
 * The test runner's verdicts: `npm test` must fail whenever a simulator suite fails, crashes,
 * times out or runs fewer tests than it registered.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { descendants, judgeNodeFile, judgeSimSuite, run } from "../../scripts/run-tests"

/** True while process `pid` runs (a zombie, killed and not yet reaped, does not run). */
function alive(pid: number): boolean {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
        return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z"
    } catch {
        return false
    }
}

const ok = "preparing to run tests...\nrunning 3 tests\n  a\n  b\n  c\ntests: 3, pass: 3, error: 0\ntest OK\n"

test("a suite that ran every test it registered passes", { timeout: 120000 }, () => {
    assert.deepEqual(judgeSimSuite("s", 0, ok), { name: "s", passed: 3, failed: 0, note: "" })
})

test("failed tests count as failed", { timeout: 120000 }, () => {
    const out = "running 3 tests\ntests: 3, pass: 1, error: 2\nPANIC 60005\ntest failed\n"
    const r = judgeSimSuite("s", 1, out)
    assert.equal(r.passed, 1)
    assert.equal(r.failed, 2)
})

test("a crash before the closing line fails every registered test", { timeout: 120000 }, () => {
    const r = judgeSimSuite("s", 1, "running 5 tests\n  a\nException: InfiniteLoop\nPANIC 60001\n")
    assert.equal(r.passed, 0)
    assert.equal(r.failed, 5)
    assert.match(r.note, /crashed/)
})

test("fewer tests run than registered is a failure", { timeout: 120000 }, () => {
    const r = judgeSimSuite("s", 0, "running 4 tests\ntests: 3, pass: 3, error: 0\n")
    assert.equal(r.failed, 1)
    assert.match(r.note, /ran 3 of 4/)
})

test(
    "a run that registered nothing (no --test-self-exit, or a compile error) fails",
    { timeout: 120000 },
    () => {
        const r = judgeSimSuite("s", 0, "test OK\n")
        assert.equal(r.passed, 0)
        assert.equal(r.failed, 1)
    }
)

test("a non-zero exit with all tests passed still fails", { timeout: 120000 }, () => {
    const r = judgeSimSuite("s", 1, ok)
    assert.equal(r.failed, 1)
})

test("colour codes in the output do not hide the counts", { timeout: 120000 }, () => {
    const coloured = ok.replace("tests: 3", "\u001b[95mtests: 3").replace("running", "\u001b[95mrunning")
    assert.equal(judgeSimSuite("s", 0, coloured).passed, 3)
})

test(
    "a node test file past its limit is killed, with what it started, and counts as failed",
    { timeout: 30000 },
    async () => {
        // a "test file" that starts a grandchild in a process group of its own, then hangs
        const script =
            'const { spawn } = require("node:child_process");' +
            'const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { detached: true, stdio: "ignore" });' +
            'console.log("grandchild " + c.pid); console.log("# pass 3"); setInterval(() => {}, 1000)'
        const t0 = Date.now()
        const r = await run(process.execPath, ["-e", script], 1500)
        assert.ok(Date.now() - t0 < 10000, "the run was not cut at its limit")
        assert.equal(r.timedOut, true)
        const pid = Number(/grandchild (\d+)/.exec(r.out)[1])
        await new Promise(res => setTimeout(res, 200))
        assert.equal(alive(pid), false, "the grandchild outlived the kill")
        const v = judgeNodeFile("node x", r, 1)
        assert.equal(v.passed, 0)
        assert.ok(v.failed >= 1)
        assert.match(v.note, /killed after its 1 s limit/)
    }
)

test(
    "a node test file: TAP counts, and a non-zero exit with no failure counted still fails",
    { timeout: 30000 },
    () => {
        const done = { code: 0, out: "# pass 4\n# fail 0\n", timedOut: false }
        assert.deepEqual(judgeNodeFile("n", done, 60), { name: "n", passed: 4, failed: 0, note: "" })
        assert.equal(judgeNodeFile("n", { ...done, code: 1 }, 60).failed, 1)
        assert.equal(
            judgeNodeFile("n", { code: 1, out: "# pass 2\n# fail 3\n", timedOut: false }, 60).failed,
            3
        )
        assert.equal(
            judgeNodeFile("n", { code: 1, out: "crashed before TAP", timedOut: false }, 60).failed,
            1
        )
    }
)

test("the process tree below a pid, from a ps table", { timeout: 30000 }, () => {
    const table: [number, number][] = [
        [10, 1],
        [11, 10],
        [12, 11],
        [13, 1],
        [14, 10],
    ]
    assert.deepEqual(descendants(10, table).sort(), [11, 12, 14])
    assert.deepEqual(descendants(13, table), [])
})
