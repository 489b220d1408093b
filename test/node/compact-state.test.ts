/*
 * The supervisor's compact state (a ~55 KB VM heap): the packed block history and the median
 * filter, each against a plain reference over randomized inputs.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { BlockHistory, MEDIAN_SAMPLES, Prng, SensorFilter } from "../../src/core"

test(
    "a block keeps its mean to 2^-15 K and its duty to 2^-20; out of range reads unfilled",
    { timeout: 120000 },
    () => {
        const rng = new Prng(7)
        const h = new BlockHistory(1, 2)
        for (let i = 0; i < 100000; i++) {
            const mean = -60 + rng.next() * 220
            const duty = i % 10 === 0 ? (i % 20 === 0 ? 0 : 1) : rng.next()
            h.push(0, mean, duty)
            assert.ok(Math.abs(h.mean(0, 0) - mean) <= 2 ** -16, `mean ${mean} -> ${h.mean(0, 0)}`)
            assert.ok(Math.abs(h.dutyOver(0, 0, 0) - duty) <= 2 ** -21, `duty ${duty}`)
        }
        for (const [m, d] of [
            [NaN, 0.5],
            [30, NaN],
            [300, 0.5],
            [-300, 0.5],
            [30, -0.1],
            [30, 1.5],
        ]) {
            h.push(0, m, d)
            assert.ok(Number.isNaN(h.mean(0, 0)) && Number.isNaN(h.dutyOver(0, 0, 0)), `${m}, ${d}`)
        }
    }
)

test("the block history reads as a plain shifted history per pad", { timeout: 120000 }, () => {
    const blocks = 44
    const pads = 8
    const h = new BlockHistory(pads, blocks)
    // the reference: per pad, arrays newest last, shifted on every push
    const means: number[][] = []
    const duties: number[][] = []
    for (let p = 0; p < pads; p++) {
        means.push(new Array(blocks).fill(NaN))
        duties.push(new Array(blocks).fill(NaN))
    }
    const rng = new Prng(11)
    for (let step = 0; step < 20000; step++) {
        const pad = Math.floor(rng.next() * pads)
        const mean = 20 + rng.next() * 30
        const duty = rng.next()
        h.push(pad, mean, duty)
        means[pad].shift()
        means[pad].push(mean)
        duties[pad].shift()
        duties[pad].push(duty)
        const q = Math.floor(rng.next() * pads)
        for (let back = 0; back < blocks; back++) {
            const want = means[q][blocks - 1 - back]
            const got = h.mean(q, back)
            if (Number.isNaN(want)) assert.ok(Number.isNaN(got))
            else assert.ok(Math.abs(got - want) <= 2 ** -16, `pad ${q} back ${back}`)
        }
        const from = Math.floor(rng.next() * blocks)
        const to = Math.floor(rng.next() * (from + 1))
        let sum = 0
        for (let b = from; b >= to; b--) sum += duties[q][blocks - 1 - b]
        const want = sum / (from - to + 1)
        const got = h.dutyOver(q, from, to)
        if (Number.isNaN(want)) assert.ok(Number.isNaN(got))
        else assert.ok(Math.abs(got - want) <= 2 ** -20, `dutyOver ${from}..${to}`)
    }
    assert.ok(Number.isNaN(h.mean(0, blocks)) && Number.isNaN(h.mean(0, -1)), "outside the history")
})

test(
    "the median filter equals the median of the last five readings, from any start",
    { timeout: 120000 },
    () => {
        const rng = new Prng(3)
        let f = new SensorFilter()
        let held: number[] = []
        for (let i = 0; i < 50000; i++) {
            if (rng.next() < 0.01) {
                f = new SensorFilter()
                held = []
            }
            const v = rng.next() < 0.1 ? 1000 * rng.next() : 30 + rng.next()
            held.push(v)
            if (held.length > MEDIAN_SAMPLES) held.shift()
            const s = [...held].sort((a, b) => a - b)
            const n = s.length
            const want = n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
            assert.equal(f.add(v), want)
            assert.equal(f.count, n)
        }
    }
)
