import { describe, test, expect } from "@devicescript/test"
import {
    BUTTON_DOWN,
    BUTTON_HEAT,
    BUTTON_MODE,
    BUTTON_POWER,
    BUTTON_UP,
    GESTURE_LOCK,
    GESTURE_LONG,
    GESTURE_PRESS,
    GESTURE_REPEAT,
    GestureRecognizer,
    GestureSink,
} from "../../../src/core/panel/gestures"
import { breathe } from "../helpers"

const NAMES = ["", "press", "long", "repeat", "lock"]
const BUTTONS = ["power", "mode", "up", "down", "heat"]

/** Records gestures as "kind button @ms". */
class Log implements GestureSink {
    readonly got: string[] = []
    gesture(kind: number, button: number, nowMs: number) {
        this.got.push(`${NAMES[kind]} ${BUTTONS[button]} @${nowMs}`)
    }
    text(): string {
        return this.got.join(", ")
    }
}

/** A recognizer ticked every 10 ms between the scripted edges: [ms, button, down (1) or up (0)]. */
async function play(edges: number[][], untilMs: number): Promise<string> {
    const log = new Log()
    const g = new GestureRecognizer(log)
    let e = 0
    for (let t = 0; t <= untilMs; t += 10) {
        while (e < edges.length && edges[e][0] <= t) {
            g.edge(edges[e][1], edges[e][2] === 1, edges[e][0])
            e++
        }
        g.tick(t)
        if (t % 500 === 0) await breathe()
    }
    return log.text()
}

describe("gestures", () => {
    test("up, down and heat act on the press itself", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_UP, 1],
                    [180, BUTTON_UP, 0],
                    [300, BUTTON_DOWN, 1],
                    [350, BUTTON_DOWN, 0],
                    [500, BUTTON_HEAT, 1],
                    [560, BUTTON_HEAT, 0],
                ],
                1000
            )
        ).toBe("press up @100, press down @300, press heat @500")
    })
    test("power and mode: short on release, long once while held, no press after a long", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_POWER, 1],
                    [300, BUTTON_POWER, 0],
                    [1000, BUTTON_MODE, 1],
                    [2500, BUTTON_MODE, 0],
                    [3000, BUTTON_POWER, 1],
                    [4990, BUTTON_POWER, 0],
                ],
                6000
            )
        ).toBe("press power @300, long mode @2000, long power @4000")
    })
    test("a press just under the long time is short", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_POWER, 1],
                    [1095, BUTTON_POWER, 0],
                ],
                2000
            )
        ).toBe("press power @1095")
    })
    test("debounce: contact bounce within 30 ms is one press", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_HEAT, 1],
                    [103, BUTTON_HEAT, 0],
                    [106, BUTTON_HEAT, 1],
                    [112, BUTTON_HEAT, 0],
                    [115, BUTTON_HEAT, 1],
                    [250, BUTTON_HEAT, 0],
                    [254, BUTTON_HEAT, 1],
                    [258, BUTTON_HEAT, 0],
                ],
                1000
            )
        ).toBe("press heat @100")
    })
    test("debounce: bounce on the release of power gives one short press", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_POWER, 1],
                    [300, BUTTON_POWER, 0],
                    [304, BUTTON_POWER, 1],
                    [309, BUTTON_POWER, 0],
                ],
                1000
            )
        ).toBe("press power @300")
    })
    test("debounce: a tap shorter than the debounce time is still one press", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_POWER, 1],
                    [115, BUTTON_POWER, 0],
                ],
                1000
            )
        ).toBe("press power @130")
    })
    test("two presses 40 ms apart are two presses", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_UP, 1],
                    [140, BUTTON_UP, 0],
                    [180, BUTTON_UP, 1],
                    [220, BUTTON_UP, 0],
                ],
                1000
            )
        ).toBe("press up @100, press up @180")
    })
    test("auto-repeat: after 500 ms, every 200 ms, until released", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_UP, 1],
                    [1250, BUTTON_UP, 0],
                ],
                2000
            )
        ).toBe("press up @100, repeat up @600, repeat up @800, repeat up @1000, repeat up @1200")
    })
    test("auto-repeat: a late tick gives one step, not a burst", async () => {
        const log = new Log()
        const g = new GestureRecognizer(log)
        g.edge(BUTTON_DOWN, true, 0)
        g.tick(0)
        g.tick(2000)
        g.tick(2100)
        g.tick(2200)
        expect(log.text()).toBe("press down @0, repeat down @2000, repeat down @2200")
    })
    test("power and mode do not repeat; heat neither", async () => {
        expect(
            await play(
                [
                    [0, BUTTON_HEAT, 1],
                    [3000, BUTTON_HEAT, 0],
                ],
                4000
            )
        ).toBe("press heat @0")
    })
    test("lock: up and down held together 3 s toggle the lock once; no repeats meanwhile", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_UP, 1],
                    [200, BUTTON_DOWN, 1],
                    [5000, BUTTON_DOWN, 0],
                    [5100, BUTTON_UP, 0],
                ],
                6000
            )
        ).toBe("press up @100, lock up @3200")
    })
    test("lock: letting go before 3 s does not lock, and the other button does not resume", async () => {
        expect(
            await play(
                [
                    [100, BUTTON_DOWN, 1],
                    [150, BUTTON_UP, 1],
                    [2000, BUTTON_UP, 0],
                    [4000, BUTTON_DOWN, 0],
                    [4500, BUTTON_UP, 1],
                    [4600, BUTTON_UP, 0],
                ],
                6000
            )
        ).toBe("press down @100, press up @4500")
    })
    test("unknown buttons are ignored", async () => {
        const log = new Log()
        const g = new GestureRecognizer(log)
        g.edge(7, true, 0)
        g.edge(-1, true, 0)
        g.edge(NaN, true, 0)
        g.tick(5000)
        expect(log.got.length).toBe(0)
    })
})
