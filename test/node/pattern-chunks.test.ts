/*
 * A simple pattern's table lives in chunks of CHUNK_ROWS rows (src/core/pattern/compiled-pattern.ts):
 * the VM's heap never moves a block, and a 2 KB table once found no hole with 10 KB free. These
 * tests pin the layout against the pattern's own signal, computed without any table, and that a
 * finished crossfade lets the old pattern go.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import {
    BUILTIN_PATTERN_COUNT,
    CHUNK_ROWS,
    CompiledPattern,
    DEFAULT_CONFIG,
    Layer,
    Prng,
    ROW_WIDTH,
    Scheduler,
    builtinPatternAt,
    compileSegments,
    loadPattern,
    tableByte,
    validatePattern,
    waveTablesAndPieces,
} from "../../src/core"

const P = DEFAULT_CONFIG.framePeriodMs
/**
 * Steps of 1/255 a table byte may differ from the untabled signal: the table rounds to a byte
 * (0.5), and the two roads compute a wave differently (the sampler by a rotation, the general
 * case from per-frame tables or pieces), which moves a value by up to about one more step.
 */
const TOLERANCE = 1.6
let worst = 0

/** The same pattern compiled without a table: its signal comes from segments and wave pieces. */
function untabled(spec: any): Layer {
    const p = compileSegments(spec, P)
    waveTablesAndPieces(p, p.zoneSpecs, p.zoneTracks, P)
    const layer = new Layer(ROW_WIDTH, P)
    layer.play(p, 0)
    return layer
}

/** A random valid looping pattern with waves and keyframes (periods that divide the loop). */
function randomSpec(rng: Prng, i: number): any {
    const durationMs = P * (20 + Math.floor(rng.next() * 780))
    const zones: any = {}
    for (const z of ["heel", "arch", "ball", "toes"]) {
        const zone: any = {}
        if (rng.next() < 0.5) {
            const t = Math.floor((durationMs / P / 2) * rng.next()) * P + P
            zone.keyframes = [
                [0, rng.next()],
                [t, rng.next()],
                [durationMs, rng.next()],
            ]
            if (rng.next() < 0.5) zone.ease = "smooth"
        } else zone.level = 0.2 + 0.8 * rng.next()
        if (rng.next() < 0.7) {
            const shapes = ["sine", "triangle", "pulse", "square", "ramp"]
            zone.wave = {
                shape: shapes[Math.floor(rng.next() * shapes.length)],
                periodMs: durationMs,
                phase: rng.next(),
            }
        }
        zones[z] = zone
    }
    const spec: any = { id: "r" + i, name: "r", durationMs, loop: true, zones }
    if (rng.next() < 0.5) spec.footOffsetMs = P * Math.floor(rng.next() * 50)
    return spec
}

function checkTable(spec: any, p: CompiledPattern) {
    assert.ok(p.simple, `${spec.id}: plays from a table`)
    // every chunk is small: at most CHUNK_ROWS rows and its guard row
    let rows = 0
    for (const chunk of p.chunks) {
        assert.ok(chunk.length <= (CHUNK_ROWS + 1) * ROW_WIDTH, `${spec.id}: a chunk of ${chunk.length} B`)
        rows += chunk.length / ROW_WIDTH - 1
    }
    assert.equal(rows, p.rows, `${spec.id}: the chunks hold every row once`)
    // each row is the signal at its play time (the untabled pattern's, to the rounding step),
    // and the guard row after the last is row 0 again
    const exact = untabled(spec)
    for (let r = 0; r < p.rows; r++) {
        // the frame path's own general case: the signal row of frame k
        const k = r * p.sampleFrames
        exact.renderSignal(k)
        for (let c = 0; c < ROW_WIDTH; c++) {
            const want = exact.table[c] * 255
            const got = tableByte(p, r, c)
            if (Math.abs(got - want) > worst) worst = Math.abs(got - want)
            assert.ok(
                Math.abs(got - want) <= TOLERANCE,
                `${spec.id}: row ${r} position ${c}: ${got}, signal ${want.toFixed(2)}`
            )
        }
    }
    for (let c = 0; c < ROW_WIDTH; c++)
        assert.equal(tableByte(p, p.rows, c), tableByte(p, 0, c), `${spec.id}: guard row`)
    // and every chunk's guard row is the next chunk's first row
    for (let r = CHUNK_ROWS; r < p.rows; r += CHUNK_ROWS) {
        const chunk = p.chunks[r / CHUNK_ROWS - 1]
        for (let c = 0; c < ROW_WIDTH; c++)
            assert.equal(
                chunk[CHUNK_ROWS * ROW_WIDTH + c],
                tableByte(p, r, c),
                `${spec.id}: guard of chunk ${r / CHUNK_ROWS - 1}`
            )
    }
}

test("every built-in table, chunk by chunk, holds its pattern's signal", () => {
    let chunked = 0
    for (let i = 0; i < BUILTIN_PATTERN_COUNT; i++) {
        const spec = builtinPatternAt(i)
        const r = loadPattern(spec, P, n => Buffer.alloc(n))
        assert.equal(r.error, null)
        if (!r.pattern.simple) continue
        checkTable(builtinPatternAt(i), r.pattern)
        if (r.pattern.chunks.length > 1) chunked++
    }
    assert.ok(chunked >= 3, `patterns over more than one chunk: ${chunked}`)
})

test("random looping patterns: tables chunk by chunk equal their signal", () => {
    const rng = new Prng(7)
    let checked = 0
    for (let i = 0; i < 60; i++) {
        const spec = randomSpec(rng, i)
        if (validatePattern(spec, P)) continue
        const r = loadPattern(spec, P, n => Buffer.alloc(n))
        assert.equal(r.error, null)
        if (!r.pattern.simple) continue
        checkTable(spec, r.pattern)
        checked++
    }
    assert.ok(checked >= 30, `checked ${checked}`)
    // the comparison compared something (a table of zeros against a silent signal would not)
    console.log(`largest table-to-signal difference: ${worst.toFixed(2)} steps`)
    assert.ok(worst > 0.3, `largest difference ${worst}`)
})

test("a finished crossfade lets the old pattern go (its table back to the heap)", () => {
    const s = new Scheduler(DEFAULT_CONFIG)
    const a = loadPattern(builtinPatternAt(0), P).pattern
    const b = loadPattern(builtinPatternAt(1), P).pattern
    s.setPattern(a, 0)
    s.start(0)
    for (let k = 0; k < 100; k++) s.frame(k)
    s.setPattern(b, 100)
    const held = (sch: any) =>
        [sch.base, sch.fading, sch.overlay].filter((l: Layer) => l.pattern === a).length
    assert.equal(held(s), 1, "the old pattern fades out")
    for (let k = 100; k < 1000; k++) s.frame(k)
    assert.equal(held(s), 0, "no layer holds the old pattern once the crossfade is over")
})
