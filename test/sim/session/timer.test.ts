import { describe, test, expect } from "@devicescript/test"
import { Rig, kneadingPattern, rig } from "./rig"
import {
    END_TIMER,
    EVENT_ENDED,
    REFUSED_LIMIT,
    REFUSED_OUT_OF_RANGE,
    SESSION_FINISHING,
    SESSION_OFF,
    SESSION_OK,
    SESSION_PAUSED,
    SESSION_RUNNING,
} from "../../../src/core/session/states"
import { breathe } from "../helpers"

const MIN = 60000
const P = 20

/** A running session started at 1 s, its soft start done (frames to 3.5 s computed). */
async function running(): Promise<Rig> {
    const r = await rig()
    r.frameAt(1000)
    expect(r.session.start(1000)).toBe(SESSION_OK)
    await r.runTo(3500)
    return r
}

/**
 * Computes frames from just before `endMs` on, one by one, and returns the index of the first
 * frame computed after the session left running (its soft stop's first frame).
 */
async function firstFrameAfterEnd(r: Rig, endMs: number): Promise<number> {
    r.frameAt(endMs - 10 * P)
    for (let i = 0; i < 40; i++) {
        const was = r.session.state
        r.frameAt(r.t + P)
        if (was !== SESSION_RUNNING && was !== SESSION_PAUSED) return r.k
        await breathe()
    }
    return -1
}

describe("session: the timer", () => {
    test("a default session lasts 15 minutes: the soft stop starts at the frame covering its end", async () => {
        const r = await running()
        const s = r.session
        expect(s.minutes()).toBe(15)
        expect(s.remainingMs(61000)).toBe(15 * MIN - 60000)
        const end = 1000 + 15 * MIN
        const k = await firstFrameAfterEnd(r, end)
        // the frame covering the end is the soft stop's first: the session ends within one frame
        expect(k).toBe(Math.floor(end / P))
        expect(s.state).toBe(SESSION_FINISHING)
        expect(r.log.has(EVENT_ENDED, END_TIMER)).toBe(true)
        expect(s.lastPlayedMs >= 15 * MIN - P && s.lastPlayedMs <= 15 * MIN).toBe(true)
        expect(r.supervisor.heating()).toBe(false)
        await r.runTo(r.t + 1600)
        expect(s.state).toBe(SESSION_OFF)
        expect(r.motorSum()).toBe(0)
    })
    test("the frame after the end is quieter than the one before: the ramp has begun", async () => {
        const r = await running()
        const end = 1000 + 15 * MIN
        r.frameAt(end - 2 * P)
        r.frameAt(end - P)
        const before = r.motorSum()
        r.frameAt(end)
        r.frameAt(end + P)
        r.frameAt(end + 2 * P)
        expect(r.session.state).toBe(SESSION_FINISHING)
        expect(r.motorSum() < before).toBe(true)
    })
    test("each length 5..30 in steps of 5 ends on time; other lengths are refused", async () => {
        for (let m = 5; m <= 30; m += 5) {
            let r = await rig()
            expect(r.session.setMinutes(m, 500)).toBe(SESSION_OK)
            r.frameAt(1000)
            r.session.start(1000)
            const k = await firstFrameAfterEnd(r, 1000 + m * MIN)
            expect(k).toBe(Math.floor((1000 + m * MIN) / P))
            // one rig at a time in the VM's heap
            r = null
            await breathe()
        }
        const r = await rig()
        const bad = [0, 4, 7, 35, -5, 12.5, NaN]
        for (let i = 0; i < bad.length; i++)
            expect(r.session.setMinutes(bad[i], 500)).toBe(REFUSED_OUT_OF_RANGE)
        expect(r.session.setMinutes("10" as any, 500)).toBe(REFUSED_OUT_OF_RANGE)
        expect(r.session.minutes()).toBe(15)
    })
    test("a session ends on time while paused too", async () => {
        const r = await running()
        r.session.pause(5 * MIN)
        const k = await firstFrameAfterEnd(r, 1000 + 15 * MIN)
        expect(k).toBe(Math.floor((1000 + 15 * MIN) / P))
        expect(r.log.has(EVENT_ENDED, END_TIMER)).toBe(true)
    })
})

describe("session: extend", () => {
    test("extends in 5-minute steps up to 30 minutes from the start, never past", async () => {
        const r = await running()
        const s = r.session
        expect(s.extend(5, 2 * MIN)).toBe(SESSION_OK)
        expect(s.minutes()).toBe(20)
        expect(s.extend(10, 3 * MIN)).toBe(SESSION_OK)
        expect(s.minutes()).toBe(30)
        expect(s.extend(5, 4 * MIN)).toBe(REFUSED_LIMIT)
        expect(s.minutes()).toBe(30)
        const k = await firstFrameAfterEnd(r, 1000 + 30 * MIN)
        expect(k).toBe(Math.floor((1000 + 30 * MIN) / P))
    })
    test("an extension that would pass 30 minutes is refused whole", async () => {
        const r = await running()
        expect(r.session.extend(20, 2 * MIN)).toBe(REFUSED_LIMIT)
        expect(r.session.minutes()).toBe(15)
        expect(r.session.extend(15, 2 * MIN)).toBe(SESSION_OK)
        expect(r.session.minutes()).toBe(30)
    })
    test("bad extensions are refused", async () => {
        const r = await running()
        const bad = [0, -5, 3, 30, NaN]
        for (let i = 0; i < bad.length; i++)
            expect(r.session.extend(bad[i], 2 * MIN)).toBe(REFUSED_OUT_OF_RANGE)
        expect(r.session.minutes()).toBe(15)
    })
    test("the length of a running session can be set, but not to an end already past", async () => {
        const r = await running()
        expect(r.session.setMinutes(5, 6 * MIN)).toBe(REFUSED_OUT_OF_RANGE)
        expect(r.session.setMinutes(10, 6 * MIN)).toBe(SESSION_OK)
        expect(r.session.remainingMs(6 * MIN)).toBe(1000 + 10 * MIN - 6 * MIN)
    })
    test("the supervisor's 30-minute heat limit and the longest session end together", async () => {
        const r = await running()
        r.session.setHeatLevel(2, 4000)
        r.session.extend(15, 5000)
        r.frameAt(1000 + 30 * MIN - 2 * P)
        expect(r.supervisor.heating()).toBe(true)
        expect(r.session.state).toBe(SESSION_RUNNING)
        // the frame before the end: the session ends, its soft stop plays from the end frame
        r.frameAt(1000 + 30 * MIN - P)
        expect(r.supervisor.heating()).toBe(false)
        expect(r.session.state).toBe(SESSION_FINISHING)
    })
})

describe("session: intent from the next frame", () => {
    test("a session starts gently: the lowest intensity unless another was saved", async () => {
        const r = await rig()
        r.session.start(1000)
        expect(r.session.intensity).toBe(1)
        r.session.setIntensity(5, 2000)
        r.session.stop(3000)
        await r.runTo(5000)
        // the next session starts gently again
        expect(r.session.intensity).toBe(1)
        expect(r.session.setStartIntensity(3, 6000)).toBe(SESSION_OK)
        r.session.start(7000)
        expect(r.session.intensity).toBe(3)
    })
    test("intensity: the next frame is louder", async () => {
        const r = await running()
        const before = r.motorSum()
        r.frameAt(r.t + P)
        expect(r.motorSum()).toBe(before)
        r.session.setIntensity(5, r.t + 5)
        r.frameAt(r.t + P)
        expect(r.motorSum() > before).toBe(true)
    })
    test("focus: the next frame's heel is quieter, the other zones are not", async () => {
        const r = await running()
        const heel = r.scheduler.output.levels[0]
        const arch = r.scheduler.output.levels[1]
        r.session.setFocus(0, 0, r.t + 5)
        r.frameAt(r.t + P)
        expect(r.scheduler.output.levels[0] < heel).toBe(true)
        expect(r.scheduler.output.levels[1] >= arch - 1).toBe(true)
        expect(r.session.setFocus(4, 1, r.t)).toBe(REFUSED_OUT_OF_RANGE)
        expect(r.session.setFocus(0, 2.5, r.t)).toBe(REFUSED_OUT_OF_RANGE)
    })
    test("pattern: the crossfade starts at the next frame", async () => {
        const r = await running()
        const kneading = await kneadingPattern()
        r.session.setPattern("kneading", kneading, r.t + 5)
        expect(r.session.patternId).toBe("kneading")
        r.frameAt(r.t + P)
        expect(r.scheduler.pattern()).toBe(kneading)
    })
    test("heat follows the session: on while running, off while paused and after", async () => {
        const r = await running()
        const s = r.session
        expect(s.setHeatLevel(2, 4000)).toBe(SESSION_OK)
        expect(r.heat.level).toBe(2)
        expect(r.supervisor.heating()).toBe(true)
        s.pause(5000)
        expect(r.heat.level).toBe(0)
        s.resume(6000)
        expect(r.heat.level).toBe(2)
        expect(s.setHeatLevel(4, 6500)).toBe(REFUSED_OUT_OF_RANGE)
        s.stop(7000)
        expect(r.heat.level).toBe(0)
        expect(r.supervisor.heating()).toBe(false)
        // the choice stays for the next session
        expect(s.heatLevel).toBe(2)
    })
    test("a heat level chosen before the start heats from the start, not before", async () => {
        const r = await rig()
        r.session.setHeatLevel(3, 500)
        expect(r.heat.level).toBe(0)
        expect(r.supervisor.heating()).toBe(false)
        r.session.start(1000)
        expect(r.heat.level).toBe(3)
    })
})
