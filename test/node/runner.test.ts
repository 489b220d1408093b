/*
 * The test runner's verdicts: `npm test` must fail whenever a simulator suite fails, crashes,
 * times out or runs fewer tests than it registered.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { judgeSimSuite } from "../../scripts/run-tests"

const ok = "preparing to run tests...\nrunning 3 tests\n  a\n  b\n  c\ntests: 3, pass: 3, error: 0\ntest OK\n"

test("a suite that ran every test it registered passes", () => {
    assert.deepEqual(judgeSimSuite("s", 0, ok), { name: "s", passed: 3, failed: 0, note: "" })
})

test("failed tests count as failed", () => {
    const out = "running 3 tests\ntests: 3, pass: 1, error: 2\nPANIC 60005\ntest failed\n"
    const r = judgeSimSuite("s", 1, out)
    assert.equal(r.passed, 1)
    assert.equal(r.failed, 2)
})

test("a crash before the closing line fails every registered test", () => {
    const r = judgeSimSuite("s", 1, "running 5 tests\n  a\nException: InfiniteLoop\nPANIC 60001\n")
    assert.equal(r.passed, 0)
    assert.equal(r.failed, 5)
    assert.match(r.note, /crashed/)
})

test("fewer tests run than registered is a failure", () => {
    const r = judgeSimSuite("s", 0, "running 4 tests\ntests: 3, pass: 3, error: 0\n")
    assert.equal(r.failed, 1)
    assert.match(r.note, /ran 3 of 4/)
})

test("a run that registered nothing (no --test-self-exit, or a compile error) fails", () => {
    const r = judgeSimSuite("s", 0, "test OK\n")
    assert.equal(r.passed, 0)
    assert.equal(r.failed, 1)
})

test("a non-zero exit with all tests passed still fails", () => {
    const r = judgeSimSuite("s", 1, ok)
    assert.equal(r.failed, 1)
})

test("colour codes in the output do not hide the counts", () => {
    const coloured = ok.replace("tests: 3", "\u001b[95mtests: 3").replace("running", "\u001b[95mrunning")
    assert.equal(judgeSimSuite("s", 0, coloured).passed, 3)
})
