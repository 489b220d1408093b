/*
 * The dashboard's preview (dashboard/src/preview.ts, the core's Preview under the intents a
 * session start gives) against the firmware's own path in node: the core Session, Scheduler,
 * heat manager and supervisor wired as src/main.ts wires them, a pattern chosen long before the
 * start, intensity and focus changed while idle, then Start; every frame of the session equals
 * the preview's frame of the same session index. Fast and deterministic; the browser test
 * (dashboard.test.ts) checks the same against the VM's frames on the bus.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import {
    DEFAULT_CONFIG,
    FrameClock,
    HeatManager,
    SafetySupervisor,
    Scheduler,
    Session,
    builtinPattern,
    loadPattern,
} from "../../src/core"
import { previewFrames } from "../../dashboard/src/preview"

const P = DEFAULT_CONFIG.framePeriodMs

/** The device's frames of a session started at `startMs` with the given choices. */
function deviceSession(spec: any, intensity: number, focusPct: number[], startMs: number, frames: number) {
    const scheduler = new Scheduler(DEFAULT_CONFIG)
    const supervisor = new SafetySupervisor(scheduler.channels)
    const heat = new HeatManager(scheduler, supervisor, null)
    const clock = new FrameClock(P)
    const session = new Session(scheduler, heat, supervisor, clock)
    clock.start(0)
    const pattern = loadPattern(spec, P).pattern
    // the frame loop runs from boot; choices arrive while idle, then Start
    const out: number[][] = []
    let k = 0
    const run = (untilMs: number) => {
        for (; k * P < untilMs; k++) {
            const f = scheduler.frame(k)
            session.inspect(f, k * P)
            out[k] = f.levels.slice()
        }
    }
    run(300)
    assert.equal(session.setPattern(spec.id, pattern, 300), 0)
    run(1000)
    assert.equal(session.setIntensity(intensity, 1000), 0)
    for (let z = 0; z < 4; z++) assert.equal(session.setFocus(z, focusPct[z] / 100, 1000 + z), 0)
    run(startMs)
    assert.equal(session.start(startMs), 0)
    const first = clock.indexAt(startMs) + 1
    run((first + frames) * P)
    return out.slice(first, first + frames)
}

test("the preview's frames equal a session's frames on the device's path", { timeout: 120000 }, () => {
    const cases: [any, number, number[]][] = [
        [builtinPattern("kneading"), 4, [100, 100, 150, 100]],
        [builtinPattern("gentle-start"), 1, [100, 60, 100, 200]],
        [
            {
                id: "custom",
                name: "Custom",
                durationMs: 4000,
                loop: true,
                footOffsetMs: 500,
                zones: {
                    heel: { level: 0.7, wave: { shape: "sine", periodMs: 4000, phase: 0 } },
                    arch: { level: 0.7, wave: { shape: "triangle", periodMs: 4000, phase: 0.75 } },
                    ball: { level: 0.7, wave: { shape: "sine", periodMs: 4000, phase: 0.5 } },
                    toes: {
                        keyframes: [
                            [0, 0.2],
                            [2000, 0.9],
                            [4000, 0.2],
                        ],
                    },
                },
            },
            5,
            [100, 100, 100, 100],
        ],
    ]
    for (const [spec, intensity, focus] of cases) {
        const N = 600
        const preview = previewFrames(spec, 0, N, { intensity, focus })
        assert.equal(preview.error, null, spec.id)
        assert.equal(preview.frames.length, N)
        // a start at an odd time: the session's first frame is the next whole frame
        const device = deviceSession(spec, intensity, focus, 2013, N)
        for (let j = 0; j < N; j++) assert.deepEqual(preview.frames[j], device[j], `${spec.id} frame ${j}`)
        assert.ok(
            device.some(f => f.some(l => l > 0)),
            `${spec.id}: the session never moved`
        )
    }
})

test("random access: frames k0..k1 are the same frames", { timeout: 120000 }, () => {
    const spec = builtinPattern("kneading")
    const intent = { intensity: 3, focus: [100, 100, 100, 100] }
    const all = previewFrames(spec, 0, 800, intent).frames
    assert.deepEqual(previewFrames(spec, 650, 800, intent).frames, all.slice(650))
})

test("a pattern the core refuses gives its message and no frames", { timeout: 120000 }, () => {
    const r = previewFrames({ id: "x", name: "X", durationMs: 30, zones: {} }, 0, 10, {
        intensity: 3,
        focus: [100, 100, 100, 100],
    })
    assert.match(r.error, /\S/)
    assert.deepEqual(r.frames, [])
})
