/*
 * Golden trace: the core compiled by standard TypeScript (this process) must produce
 * byte-identical frames to the core compiled by DeviceScript (the simulator), for every built-in
 * pattern over its first 30 s under a fixed script of intents (test/golden/trace.ts).
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import {
    GoldenRun,
    TRACE_PATTERNS,
    TRACE_SECONDS,
    traceOverlaySpec,
    traceSpec,
    traceVisitorSpec,
} from "../golden/trace"
import { DEFAULT_CONFIG, loadPattern } from "../../src/core"

function run(i: number): GoldenRun {
    const P = DEFAULT_CONFIG.framePeriodMs
    const spec = traceSpec(i)
    return new GoldenRun(
        spec.id,
        loadPattern(spec, P).pattern,
        loadPattern(traceOverlaySpec(), P).pattern,
        loadPattern(traceVisitorSpec(), P).pattern
    )
}

const ROOT = join(__dirname, "..", "..", "..", "..")

function nodeTrace(): string[] {
    const lines: string[] = []
    for (let i = 0; i < TRACE_PATTERNS; i++) {
        const r = run(i)
        while (!r.done()) {
            const line = r.step()
            if (line !== null) lines.push(line)
        }
    }
    return lines
}

function vmTrace(): string[] {
    const devs = join(ROOT, "node_modules", ".bin", "devicescript")
    const r = spawnSync(
        devs,
        ["run", "test/golden/vm-trace.ts", "--test", "--test-self-exit", "-T", "300000"],
        {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, NO_COLOR: "1" },
            maxBuffer: 64 * 1024 * 1024,
        }
    )
    const out = (r.stdout + r.stderr).replace(/\u001b\[[0-9;]*m/g, "")
    assert.equal(r.status, 0, "the VM trace run failed:\n" + out.slice(-2000))
    assert.ok(out.includes("GOLDEN END"), "the VM trace did not finish")
    return out
        .split("\n")
        .map(l => /GOLDEN \S+ \d+ \d+ \d+/.exec(l))
        .filter(m => m !== null)
        .map(m => m[0])
}

test(
    "the VM and node produce byte-identical frames for every built-in pattern over 30 s",
    { timeout: 600000 },
    () => {
        const expected = nodeTrace()
        assert.equal(expected.length, TRACE_PATTERNS * TRACE_SECONDS)
        const actual = vmTrace()
        assert.equal(actual.length, expected.length, "the VM printed a different number of trace lines")
        // the trace must move: a pattern whose hash never changes would prove nothing
        const distinct = new Set(expected.map(l => l.split(" ").slice(3).join(" ")))
        assert.ok(distinct.size > TRACE_PATTERNS * 20, `only ${distinct.size} distinct second-hashes`)
        for (let i = 0; i < expected.length; i++) {
            // the first differing second names the pattern and the second where the frames diverged
            assert.equal(actual[i], expected[i], `first divergence at line ${i}`)
        }
    }
)

test("the trace is sensitive: a one-step change in one frame changes the hash", { timeout: 600000 }, () => {
    const r = run(0)
    const a = r.step()
    assert.equal(a, null)
    const f = r.scheduler.output
    const { hashFrame, HASH_START } = require("../golden/trace")
    const h1 = hashFrame(HASH_START, f)
    f.levels[3] ^= 1
    const h2 = hashFrame(HASH_START, f)
    assert.notEqual(h1, h2)
})
