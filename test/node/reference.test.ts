/*
 * The fast frame path (Scheduler.frame) against the plain reference (test/reference): byte
 * equality on every frame (levels, heater bits, master heater power) over the golden script
 * and randomized intent scripts, over a million frames in all, in every session state, on one
 * and two feet, with skipped frames and tight budgets. Then the property tests of issue 8:
 * every intent change in every session state, then resume or stop; heater fairness; heat from
 * the first frame.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import {
    CompiledPattern,
    DEFAULT_CONFIG,
    FOCUS_PULSE_ID,
    HeaterSlicer,
    Prng,
    STATE_IDLE,
    STATE_PAUSED,
    STATE_PAUSING,
    STATE_RUNNING,
    STATE_STOPPING,
    Scheduler,
    SchedulerConfig,
    bitCount,
    builtinPattern,
    loadPattern,
    makeConfig,
} from "../../src/core"
import { TRACE_PATTERNS, goldenNextFrame, goldenScript, goldenSetup, traceSpec } from "../golden/trace"
import { RefHeaters, ReferenceScheduler } from "../reference/reference"

const P = DEFAULT_CONFIG.framePeriodMs
const library: CompiledPattern[] = []
for (let i = 0; i < TRACE_PATTERNS; i++) library.push(loadPattern(traceSpec(i), P).pattern)
const focusPulse = loadPattern(builtinPattern(FOCUS_PULSE_ID), P).pattern
const kneading = loadPattern(builtinPattern("kneading"), P).pattern

/** Both schedulers under one intent API. */
class Pair {
    readonly fast: Scheduler
    readonly ref: ReferenceScheduler
    frames = 0
    constructor(readonly config: SchedulerConfig) {
        this.fast = new Scheduler(config)
        this.ref = new ReferenceScheduler(config)
    }
    start(k: number) {
        this.fast.start(k)
        this.ref.start(k)
    }
    pause(k: number) {
        this.fast.pause(k)
        this.ref.pause(k)
    }
    resume(k: number) {
        this.fast.resume(k)
        this.ref.resume(k)
    }
    stop(k: number) {
        this.fast.stop(k)
        this.ref.stop(k)
    }
    setPattern(p: CompiledPattern, k: number) {
        this.fast.setPattern(p, k)
        this.ref.setPattern(p, k)
    }
    setOverlay(p: CompiledPattern, mask: number, gain: number, k: number) {
        this.fast.setOverlay(p, mask, gain, k)
        this.ref.setOverlay(p, mask, gain, k)
    }
    setIntensity(level: number, fine: number, k: number) {
        this.fast.setIntensity(level, fine, k)
        this.ref.setIntensity(level, fine, k)
    }
    setFocus(zone: number, gain: number, k: number) {
        this.fast.setFocus(zone, gain, k)
        this.ref.setFocus(zone, gain, k)
    }
    setHeaterDuty(c: number, duty: number, k: number) {
        this.fast.setHeaterDuty(c, duty, k)
        this.ref.setHeaterDuty(c, duty, k)
    }
    /** Computes frame k on both and fails on the first difference. */
    frame(k: number, what: string) {
        const f = this.fast.frame(k)
        const r = this.ref.frame(k)
        this.frames++
        for (let c = 0; c < this.fast.channels; c++)
            if (f.levels[c] !== r.levels[c])
                assert.fail(
                    `${what}: frame ${k} channel ${c}: fast ${f.levels.join(",")} reference ${r.levels.join(",")}`
                )
        if (f.heaters !== r.heaters || f.heaterPower !== r.heaterPower)
            assert.fail(
                `${what}: frame ${k} heaters: fast ${f.heaters}/${f.heaterPower} reference ${r.heaters}/${r.heaterPower}`
            )
    }
}

let totalFrames = 0

test(
    "the golden script: the fast path equals the reference on every frame of every traced pattern",
    { timeout: 600000 },
    () => {
        const fps = 1000 / P
        for (let i = 0; i < TRACE_PATTERNS; i++) {
            const pair = new Pair(DEFAULT_CONFIG)
            goldenSetup(pair, pair.fast.channels, library[i])
            for (let k = 0; k < 30 * fps; k = goldenNextFrame(k, fps)) {
                goldenScript(pair, k, P, library[i], kneading, focusPulse)
                pair.frame(k, `golden ${traceSpec(i).id}`)
            }
            totalFrames += pair.frames
        }
    }
)

/** A random config: one or two feet, sometimes a tight budget, few heaters, odd windows. */
function randomConfig(rng: Prng): SchedulerConfig {
    const changes: any = { feet: 1 + rng.int(2) }
    if (rng.int(3) === 0) changes.budgetMilliamps = 300 + rng.int(2000)
    if (rng.int(3) === 0) changes.maxHeatersOn = rng.int(9)
    if (rng.int(3) === 0) changes.heaterWindowFrames = 4 + rng.int(80)
    if (rng.int(4) === 0) changes.crossfadeMs = rng.int(2000)
    if (rng.int(4) === 0) changes.softStartMs = rng.int(3000)
    if (rng.int(4) === 0) changes.softStopMs = rng.int(3000)
    if (rng.int(4) === 0) changes.slewFullScaleMs = rng.int(121)
    return makeConfig(changes)
}

/** One random intent at frame k. */
function randomIntent(pair: Pair, rng: Prng, k: number) {
    const what = rng.int(10)
    if (what === 0) pair.setPattern(library[rng.int(library.length)], k)
    else if (what === 1) pair.setIntensity(1 + rng.int(5), rng.int(101), k)
    else if (what === 2) pair.setFocus(rng.int(4), rng.next() * 2.5, k)
    else if (what === 3)
        pair.setOverlay(rng.int(3) === 0 ? null : focusPulse, rng.int(16), rng.next() * 1.2, k)
    else if (what === 4) pair.setHeaterDuty(rng.int(8), rng.int(4) === 0 ? 0 : rng.next() * 1.1, k)
    else if (what === 5) pair.pause(k)
    else if (what === 6) pair.resume(k)
    else if (what === 7) pair.stop(k)
    else if (what === 8) pair.start(k)
    else pair.setPattern(library[rng.int(library.length)], k)
}

test(
    "randomized intent scripts: the fast path equals the reference over a million frames",
    { timeout: 600000 },
    () => {
        const rng = new Prng(20261201)
        const states = [0, 0, 0, 0, 0]
        let scripts = 0
        let frames = 0
        let skips = 0
        const feet = [0, 0, 0]
        while (frames < 1000000) {
            const config = randomConfig(rng)
            const pair = new Pair(config)
            scripts++
            feet[config.feet]++
            pair.setPattern(library[rng.int(library.length)], 0)
            pair.setIntensity(1 + rng.int(5), 50 + rng.int(51), 0)
            for (let c = 0; c < 8; c++) pair.setHeaterDuty(c, rng.next(), 0)
            let k = rng.int(200)
            pair.start(k)
            const end = k + 2000 + rng.int(4000)
            while (k < end) {
                if (rng.int(60) === 0) randomIntent(pair, rng, k)
                pair.frame(k, `script ${scripts}`)
                states[pair.fast.sessionState()]++
                if (rng.int(200) === 0) {
                    k += 2 + rng.int(60)
                    skips++
                } else k++
            }
            frames += pair.frames
        }
        totalFrames += frames
        for (const s of [STATE_IDLE, STATE_RUNNING, STATE_PAUSING, STATE_PAUSED, STATE_STOPPING])
            assert.ok(states[s] > 1000, `state ${s} seen in only ${states[s]} frames`)
        assert.ok(feet[1] > 10 && feet[2] > 10, `feet: ${feet}`)
        assert.ok(skips > 1000, `${skips} skips`)
        assert.ok(totalFrames >= 1000000)
        console.log(
            `# reference: ${frames} random frames in ${scripts} scripts, ${skips} skips, states ${states}`
        )
    }
)

/** Drives a pair to a session state at frame 400, returns the frame to go on from. */
function toState(pair: Pair, state: number): number {
    pair.setPattern(library[0], 0)
    pair.setIntensity(5, 100, 0)
    for (let c = 0; c < 8; c++) pair.setHeaterDuty(c, 0.4, 0)
    let k = 0
    if (state !== STATE_IDLE) pair.start(0)
    for (; k < 300; k++) pair.frame(k, "setup")
    if (state === STATE_PAUSING || state === STATE_PAUSED) pair.pause(k)
    if (state === STATE_STOPPING) pair.stop(k)
    const until = state === STATE_PAUSED ? k + 200 : k + 10
    for (; k < until; k++) pair.frame(k, "setup")
    assert.equal(pair.fast.sessionState(), state)
    return k
}

const INTENTS = ["pattern", "overlay", "intensity", "focus", "heat duty"]

function applyIntent(pair: Pair, which: string, k: number) {
    if (which === "pattern") pair.setPattern(kneading, k)
    if (which === "overlay") pair.setOverlay(focusPulse, 0b0110, 0.8, k)
    if (which === "intensity") pair.setIntensity(2, 60, k)
    if (which === "focus") pair.setFocus(2, 1.7, k)
    if (which === "heat duty") pair.setHeaterDuty(3, 0.9, k)
}

test(
    "every intent change in every session state, then resume or stop, plays as the reference",
    { timeout: 600000 },
    () => {
        const states = [STATE_IDLE, STATE_RUNNING, STATE_PAUSING, STATE_PAUSED, STATE_STOPPING]
        for (const state of states)
            for (const which of INTENTS)
                for (const then of ["resume", "stop"]) {
                    const pair = new Pair(DEFAULT_CONFIG)
                    let k = toState(pair, state)
                    applyIntent(pair, which, k)
                    for (const again of [2, 5]) {
                        for (let j = 0; j < 30; j++, k++) pair.frame(k, `${which} in state ${state}`)
                        applyIntent(pair, which, k + again)
                    }
                    if (then === "resume") {
                        if (state === STATE_IDLE || state === STATE_STOPPING) pair.start(k)
                        else pair.resume(k)
                    } else pair.stop(k)
                    for (let end = k + 600; k < end; k++) pair.frame(k, `${which} in state ${state}, ${then}`)
                    totalFrames += pair.frames
                }
    }
)

test(
    "heater fairness: within one frame of the water-filled share per window, the cap on every frame, nobody starved",
    { timeout: 600000 },
    () => {
        const rng = new Prng(99)
        for (let trial = 0; trial < 300; trial++) {
            const n = 1 + rng.int(8)
            const W = 4 + rng.int(60)
            const maxOn = rng.int(n + 1)
            const h = new HeaterSlicer(n, W, maxOn)
            const duty: number[] = []
            for (let c = 0; c < n; c++) {
                const d = rng.int(4) === 0 ? 0 : rng.int(3) === 0 ? rng.next() * 0.05 : rng.next()
                duty.push(d)
                h.setDuty(c, d)
            }
            const fair = RefHeaters.fairShares(
                duty.map(d => d * W),
                maxOn * W
            )
            const served = new Array(n).fill(0)
            const windows = 200
            for (let w = 0; w < windows; w++) {
                const got = new Array(n).fill(0)
                for (let j = 0; j < W; j++) {
                    const m = h.maskAt(w * W + j)
                    assert.ok(bitCount(m) <= maxOn, `trial ${trial}: ${bitCount(m)} on, cap ${maxOn}`)
                    for (let c = 0; c < n; c++) if (m & (1 << c)) got[c]++
                }
                for (let c = 0; c < n; c++) {
                    assert.ok(
                        Math.abs(got[c] - fair[c]) < 1 + 1e-9,
                        `trial ${trial} window ${w} pad ${c}: ${got[c]} vs ${fair[c]}`
                    )
                    served[c] += got[c]
                    // over time: what was served stays within two frames of the fair total
                    assert.ok(Math.abs(served[c] - fair[c] * (w + 1)) <= 2, `trial ${trial} pad ${c} drifts`)
                }
            }
            for (let c = 0; c < n; c++)
                if (duty[c] > 0 && maxOn > 0 && fair[c] * windows >= 2)
                    assert.ok(served[c] > 0, `pad ${c} starved`)
        }
    }
)

test(
    "heat from the first frame of a session, wherever it starts and whatever the duties",
    { timeout: 600000 },
    () => {
        const rng = new Prng(5)
        for (let trial = 0; trial < 500; trial++) {
            const config = randomConfig(rng)
            const s = new Scheduler(config)
            s.setPattern(library[0], 0)
            const k0 = rng.int(100000)
            let most = 0
            for (let c = 0; c < s.channels; c++) {
                const d = rng.next()
                s.setHeaterDuty(c, d, k0)
                if (d > most) most = d
            }
            s.start(k0)
            const f = s.frame(k0)
            // any duty worth a whole frame of the window, a cap above 0 and a budget with room
            if (
                most * config.heaterWindowFrames >= 1 &&
                config.maxHeatersOn > 0 &&
                config.budgetMilliamps >= 2800
            )
                assert.notEqual(f.heaters, 0, `trial ${trial}: no heat at the session's first frame ${k0}`)
            assert.equal(f.heaterPower, true)
        }
    }
)
