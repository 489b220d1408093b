/*
 * The public preview (src/core/scheduler/preview.ts): frames equal the device's Scheduler frames
 * over the golden script byte for byte, random access replays from checkpoints to the same
 * bytes, frames are copies; a bad config is refused with a message.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import {
    DEFAULT_CONFIG,
    FOCUS_PULSE_ID,
    Frame,
    INTENT_FOCUS,
    INTENT_HEAT,
    INTENT_INTENSITY,
    INTENT_OVERLAY,
    INTENT_PATTERN,
    INTENT_PAUSE,
    INTENT_RESUME,
    INTENT_START,
    INTENT_STOP,
    Intent,
    Preview,
    Scheduler,
    builtinPattern,
    createScheduler,
    loadPattern,
    makeConfig,
} from "../../src/core"
import { TRACE_PATTERNS, goldenScript, goldenSetup, traceSpec } from "../golden/trace"

const P = DEFAULT_CONFIG.framePeriodMs
const focus = loadPattern(builtinPattern(FOCUS_PULSE_ID), P).pattern
const kneading = loadPattern(builtinPattern("kneading"), P).pattern
const FRAMES = 1500

/** Records the golden script as timed intents. */
class Recorder {
    readonly intents: Intent[] = []
    private add(k: number, kind: string, args: any[]) {
        this.intents.push(new Intent(k, kind, args))
    }
    setPattern(p: any, k: number) {
        this.add(k, INTENT_PATTERN, [p])
    }
    setOverlay(p: any, m: number, g: number, k: number) {
        this.add(k, INTENT_OVERLAY, [p, m, g])
    }
    setIntensity(l: number, f: number, k: number) {
        this.add(k, INTENT_INTENSITY, [l, f])
    }
    setFocus(z: number, g: number, k: number) {
        this.add(k, INTENT_FOCUS, [z, g])
    }
    setHeaterDuty(c: number, d: number, k: number) {
        this.add(k, INTENT_HEAT, [c, d])
    }
    start(k: number) {
        this.add(k, INTENT_START, [])
    }
    pause(k: number) {
        this.add(k, INTENT_PAUSE, [])
    }
    resume(k: number) {
        this.add(k, INTENT_RESUME, [])
    }
    stop(k: number) {
        this.add(k, INTENT_STOP, [])
    }
}

function bytes(f: Frame): string {
    return `${f.levels.join(",")}|${f.heaters}|${f.heaterPower}`
}

test(
    "preview frames equal the Scheduler's over the golden script, byte for byte, with random access",
    { timeout: 120000 },
    () => {
        for (let i = 0; i < TRACE_PATTERNS; i++) {
            const pattern = loadPattern(traceSpec(i), P).pattern
            const rec = new Recorder()
            const device = new Scheduler(DEFAULT_CONFIG)
            goldenSetup(rec, 8, pattern)
            goldenSetup(device, 8, pattern)
            const expected: string[] = []
            for (let k = 0; k < FRAMES; k++) {
                goldenScript(rec, k, P, pattern, kneading, focus)
                goldenScript(device, k, P, pattern, kneading, focus)
                expected.push(bytes(device.frame(k)))
            }
            const preview = new Preview(DEFAULT_CONFIG, rec.intents, 200)
            assert.equal(preview.error, null)
            const all = preview.frames(0, FRAMES - 1)
            assert.equal(all.length, FRAMES)
            for (let k = 0; k < FRAMES; k++)
                assert.equal(bytes(all[k]), expected[k], `${traceSpec(i).id} frame ${k}`)
            assert.notEqual(all[0], all[1], "frames are copies")
            assert.equal(all[700].index, 700)
            // random access, backwards and forwards: replayed from the nearest checkpoint
            for (const [a, b] of [
                [1100, 1130],
                [3, 5],
                [1401, 1499],
                [0, 0],
                [999, 1001],
                [180, 420],
            ]) {
                const part = preview.frames(a, b)
                assert.equal(part.length, b - a + 1)
                for (let k = a; k <= b; k++)
                    assert.equal(bytes(part[k - a]), expected[k], `${traceSpec(i).id} again ${k}`)
            }
        }
    }
)

test("a preview of one pattern plays it from frame 0 as a started session", { timeout: 120000 }, () => {
    const p = loadPattern(builtinPattern("kneading"), P).pattern
    const s = new Scheduler(DEFAULT_CONFIG)
    s.setPattern(p, 0)
    s.start(0)
    const frames = new Preview(DEFAULT_CONFIG, p).frames(0, 300)
    for (let k = 0; k <= 300; k++) assert.equal(bytes(frames[k]), bytes(s.frame(k)))
})

test("a bad config is refused with a message naming the field", { timeout: 120000 }, () => {
    const bad = makeConfig({ slewFullScaleMs: 500 })
    assert.throws(() => new Scheduler(bad), /config.slewFullScaleMs: must be within 0..120/)
    const r = createScheduler(makeConfig({ feet: 3 }))
    assert.equal(r.scheduler, null)
    assert.match(r.error, /config.feet/)
    assert.ok(createScheduler(DEFAULT_CONFIG).scheduler)
    const preview = new Preview(bad, null)
    assert.match(preview.error, /slewFullScaleMs/)
    assert.deepEqual(preview.frames(0, 10), [])
    const unordered = new Preview(DEFAULT_CONFIG, [
        new Intent(5, INTENT_START, []),
        new Intent(2, INTENT_STOP, []),
    ])
    assert.match(unordered.error, /script\[1\].frame/)
})
