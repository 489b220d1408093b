/*
 * The node hardware simulator's board (sim/board.ts): frame batches, duplicates, the watchdog,
 * motor and pad physics, thermistor readings and injected faults; and its command line.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { SimBoard, WATCHDOG_MS } from "../../sim/board"
import { parseArgs } from "../../sim/app"
import { FrameLog } from "../../sim/frame-log"
import { ADC_FULL_SCALE, Frame, batchSize, celsiusOf, encodeHeader, encodeRecord } from "../../src/core"

const N = 8
const P = 20

/** A batch of frames first..first+levels.length-1, frame i at level levels[i] on every channel. */
function batch(first: number, levels: number[], heaters = 0, power = false): Uint8Array {
    const out = new Uint8Array(batchSize(N, levels.length))
    encodeHeader(out, levels.length, first)
    levels.forEach((level, i) => {
        const f = new Frame(N)
        f.levels.fill(level)
        f.heaters = heaters
        f.heaterPower = power
        encodeRecord(out, i, f)
    })
    return out
}

function board(): SimBoard {
    return new SimBoard(N, P, 22, 1)
}

function raw(b: SimBoard, pad: number): number {
    const t = b.temperatureBytes()
    return t[2 * pad] | (t[2 * pad + 1] << 8)
}

test("a batch's frames play one frame period apart", { timeout: 120000 }, () => {
    const b = board()
    b.receive(batch(0, [10, 20]), 1000)
    b.step(1000)
    assert.equal(b.output.levels[0], 10)
    b.step(1010)
    assert.equal(b.output.levels[0], 10)
    b.step(1020)
    assert.equal(b.output.levels[0], 20)
    assert.equal(b.counters.frames, 2)
})

test("a batch delivered twice plays once; malformed writes change nothing", { timeout: 120000 }, () => {
    const b = board()
    const x = batch(5, [30, 40])
    b.receive(x, 0)
    b.step(20)
    b.receive(x, 30)
    b.step(60)
    assert.equal(b.counters.frames, 2)
    assert.equal(b.counters.duplicates, 2)
    b.receive(new Uint8Array([9, 0, 0]), 70)
    b.receive(new Uint8Array(0), 80)
    b.step(100)
    assert.equal(b.counters.malformed, 2)
    assert.equal(b.output.levels[0], 40)
})

test("with no frame for 1 s every output goes off, and frames bring it back", { timeout: 120000 }, () => {
    const b = board()
    b.receive(batch(0, [200, 200], 0xff, true), 0)
    b.step(20)
    assert.equal(b.watchdogOff, false)
    assert.equal(b.output.heaterPower, true)
    b.step(WATCHDOG_MS - 10)
    assert.equal(b.output.levels[3], 200)
    b.step(WATCHDOG_MS + 30)
    assert.equal(b.watchdogOff, true)
    assert.equal(b.output.levels[3], 0)
    assert.equal(b.output.heaters, 0)
    assert.equal(b.output.heaterPower, false)
    assert.equal(b.counters.watchdogTrips, 1)
    b.receive(batch(2, [100, 100]), 1100)
    b.step(1100)
    assert.equal(b.watchdogOff, false)
    assert.equal(b.output.levels[3], 100)
})

test("motors spin up in about 40 ms and coast down slower", { timeout: 120000 }, () => {
    const b = board()
    let k = 0
    /** Advances to `end` in 10 ms steps, a one-frame batch at `level` every 20 ms. */
    const play = (from: number, end: number, level: number) => {
        for (let t = from; t <= end; t += 10) {
            if (t % P === 0) b.receive(batch(k++, [level]), t)
            b.step(t)
        }
    }
    play(0, 40, 255)
    assert.ok(b.speeds[0] > 0.55 && b.speeds[0] < 0.75, `speed after 40 ms: ${b.speeds[0]}`)
    play(50, 400, 255)
    assert.ok(b.speeds[0] > 0.99)
    play(410, 450, 0)
    assert.ok(b.speeds[0] > 0.4 && b.speeds[0] < 0.6, `speed 40 ms after stop: ${b.speeds[0]}`)
})

/** Runs the board for `ms` with frames every 20 ms holding heaters `mask` (power on unless `cut`). */
function heat(b: SimBoard, fromMs: number, ms: number, mask: number, cut = false): number {
    let k = fromMs / P
    for (let t = fromMs; t < fromMs + ms; t += P, k++) {
        b.receive(batch(k & 65535, [0], mask, !cut), t)
        b.step(t)
    }
    return fromMs + ms
}

test("a heated pad warms, its thermistor follows, the master cut stops all heat", { timeout: 120000 }, () => {
    const b = board()
    b.setFeetPresent(false)
    let t = heat(b, 0, 30000, 0b01)
    assert.ok(b.pads[0].tempC > 27, `pad 0 after 30 s on: ${b.pads[0].tempC}`)
    assert.ok(b.pads[1].tempC < 22.5, `pad 1 stays near the room: ${b.pads[1].tempC}`)
    assert.ok(Math.abs(celsiusOf(raw(b, 0)) - b.pads[0].control.sensedC) < 0.2)
    const before = b.pads[0].tempC
    t = heat(b, t, 10000, 0b01, true)
    assert.ok(b.pads[0].tempC < before, "no heat with the master cut open")
    assert.ok(b.milliamps(120, 300) === 0)
})

test(
    "injected faults: open and short sensors at the rails, a stuck heater heats while off, a dead one never",
    { timeout: 120000 },
    () => {
        const b = board()
        b.setFeetPresent(false)
        b.setFault(0, "sensor-open")
        b.setFault(1, "sensor-short")
        b.setFault(2, "stuck-on")
        b.setFault(3, "heater-dead")
        assert.equal(raw(b, 0), ADC_FULL_SCALE)
        assert.equal(raw(b, 1), 0)
        heat(b, 0, 20000, 0b1000)
        assert.ok(b.pads[2].tempC > 24, `a stuck pad heats with its bit off: ${b.pads[2].tempC}`)
        assert.ok(b.pads[3].tempC < 22.5, `a dead heater does not: ${b.pads[3].tempC}`)
        b.setFault(0, "none")
        assert.ok(raw(b, 0) < ADC_FULL_SCALE)
    }
)

test("the command line: defaults, options, and clear errors", { timeout: 120000 }, () => {
    const d = parseArgs([])
    assert.equal(d.feet, 2)
    assert.equal(d.feetPresent, true)
    const o = parseArgs([
        "--feet",
        "1",
        "--ambient",
        "30",
        "--no-feet",
        "--fault",
        "3:stuck-on",
        "--status-ms",
        "0",
    ])
    assert.equal(o.feet, 1)
    assert.equal(o.ambientC, 30)
    assert.equal(o.feetPresent, false)
    assert.deepEqual(o.faults, [{ pad: 3, fault: "stuck-on" }])
    assert.throws(() => parseArgs(["--feet", "3"]), /--feet/)
    assert.throws(() => parseArgs(["--ambient", "hot"]), /--ambient needs a number/)
    assert.throws(() => parseArgs(["--fault", "2:melted"]), /KIND one of/)
    assert.throws(() => parseArgs(["--fault", "9:stuck-on"]), /pad 9 does not exist/)
    assert.throws(() => parseArgs(["--wat"]), /unknown option --wat/)
})

test(
    "two thermistors a pad, each failing on its own; a chip fault blinds one sensor of each of its pads",
    { timeout: 120000 },
    () => {
        const b = board()
        b.step(100)
        const bytes = b.temperatureBytes()
        assert.equal(bytes.length, 4 * N, "control then protection sensors, u16 each")
        const at = (s: number) => bytes[2 * s] | (bytes[2 * s + 1] << 8)
        assert.ok(Math.abs(celsiusOf(at(0)) - celsiusOf(at(N))) < 0.3, "both sensors of pad 0 read alike")
        b.setSensorFault(0, "protection", { offsetK: 5 })
        b.setSensorFault(1, "control", { open: true })
        const t = b.temperatureBytes()
        const at2 = (s: number) => t[2 * s] | (t[2 * s + 1] << 8)
        assert.ok(celsiusOf(at2(N)) - celsiusOf(at2(0)) > 4.5, "only the protection sensor of pad 0 is off")
        assert.equal(at2(1), ADC_FULL_SCALE, "the control sensor of pad 1 is open")
        assert.ok(at2(N + 1) < ADC_FULL_SCALE - 100, "its protection sensor still reads")
        b.setSensorFault(0, "protection", {})
        b.setSensorFault(1, "control", {})
        // chip 0x4B (index 3) holds the protection sensors of pads 0-3
        b.setChipFault(3, "absent")
        const c = b.temperatureBytes()
        for (let p = 0; p < N; p++) {
            const control = c[2 * p] | (c[2 * p + 1] << 8)
            const protection = c[2 * (N + p)] | (c[2 * (N + p) + 1] << 8)
            assert.ok(control < ADC_FULL_SCALE - 100, `control sensor of pad ${p} unaffected`)
            assert.equal(protection === ADC_FULL_SCALE, p < 4, `protection sensor of pad ${p}`)
        }
    }
)

test(
    "the hardware backstop opens a pad's heater at 50 C and closes it below 40 C",
    { timeout: 120000 },
    () => {
        const b = board()
        b.setFeetPresent(false)
        b.pads[0].tempC = 49.9
        let t = heat(b, 0, 5000, 0b01)
        assert.equal(b.pads[0].backstopTrips, 1)
        assert.ok(b.pads[0].tempC < 50.2, `the pad stops at the cutoff: ${b.pads[0].tempC}`)
        assert.equal(b.backstopTrips(), 1)
    }
)

test(
    "the board logs every frame it plays, with its index and time; the log keeps the last ones",
    { timeout: 120000 },
    () => {
        const b = board()
        const log = new FrameLog(5)
        b.onPlay = (f, t) => log.add(f, t)
        b.receive(batch(10, [1, 2]), 0)
        b.step(5)
        b.step(25)
        assert.deepEqual(
            log.since(-1).map(f => [f.i, f.t, f.levels[0]]),
            [
                [10, 5, 1],
                [11, 25, 2],
            ]
        )
        for (let k = 0; k < 6; k++) {
            b.receive(batch(12 + k, [3 + k], 1 << k, true), 100 + 40 * k)
            b.step(100 + 40 * k + 1)
        }
        assert.equal(log.total, 8)
        const kept = log.since(-1)
        assert.deepEqual(
            kept.map(f => f.i),
            [13, 14, 15, 16, 17],
            "the oldest frames go first"
        )
        assert.equal(kept[4].heaters, 32)
        assert.equal(kept[4].heaterPower, true)
        assert.deepEqual(
            log.since(221).map(f => f.i),
            [16, 17],
            "since: after that time"
        )
        assert.deepEqual(
            log.since(-1, 1).map(f => f.i),
            [17],
            "at most the last n"
        )
        // a record is a copy: the board's output frame moves on
        b.output.levels[0] = 99
        assert.equal(log.since(-1)[4].levels[0], 8)
    }
)
