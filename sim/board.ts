/*
 * The simulated Foot IO board: what the massager's power stage does with the frames the firmware
 * sends, and what its thermistors read back. Time is an argument (ms), so tests step it directly
 * and the app steps it from the wall clock.
 */
import { Frame } from "../src/core/frame"
import { PadModel } from "../src/core/thermal/model"
import { Prng } from "../src/core/prng"
import { decodeCount, decodeRecord } from "../src/core/wire"

/** With no frame for this long the board turns every output off (services/foot-io.md). */
export const WATCHDOG_MS = 1000

/**
 * Spin-up and spin-down time constants of a coin vibration motor (an ERM): about 40 ms to
 * reach 63 % of a new speed, a little longer to coast down.
 */
export const MOTOR_RISE_MS = 40
export const MOTOR_FALL_MS = 60

/** A frame index equal to the last one played or up to this many behind it is a duplicate. */
const DUPLICATE_WINDOW = 16

/** Faults the simulator can inject on a pad. */
export type PadFault =
    | "none"
    | "sensor-open"
    | "sensor-short"
    | "sensor-detached"
    | "heater-dead"
    | "heater-half"
    | "stuck-on"

/** The names `PadFault` accepts, for command lines. */
export const PAD_FAULTS: PadFault[] = [
    "none",
    "sensor-open",
    "sensor-short",
    "sensor-detached",
    "heater-dead",
    "heater-half",
    "stuck-on",
]

/** What the board received and did, for status lines and tests. */
export interface BoardCounters {
    writes: number
    frames: number
    duplicates: number
    malformed: number
    watchdogTrips: number
}

/**
 * The board: plays each batch's frames one frame period apart (newer batches replace frames
 * still waiting), drops frames it already played, turns everything off after WATCHDOG_MS
 * without a frame, drives motor speeds (first order) and pad heat (PadModel), and reads every
 * thermistor as a 16-bit ADC would.
 */
export class SimBoard {
    /** Outputs as last played (levels 0..255, heater bits, master power). */
    readonly output: Frame
    /** Motor speeds, 0..1 of full speed. */
    readonly speeds: number[] = []
    readonly pads: PadModel[] = []
    readonly counters: BoardCounters = { writes: 0, frames: 0, duplicates: 0, malformed: 0, watchdogTrips: 0 }
    /** Frames waiting to play, and when. */
    private readonly queue: Frame[] = []
    private readonly queueAt: number[] = []
    private readonly scratch: Frame
    private lastIndex = -1
    private lastFrameAt = -Infinity
    private watchdogTripped = true
    private nowMs = 0
    private readonly noise: Prng

    /**
     * @param channels channels of each kind (4 per foot)
     * @param framePeriodMs the firmware's frame period
     * @param ambientC room temperature; pads start there
     * @param seed the thermistor noise's seed
     */
    constructor(
        readonly channels: number,
        readonly framePeriodMs: number,
        ambientC: number,
        seed: number
    ) {
        this.output = new Frame(channels)
        this.scratch = new Frame(channels)
        this.noise = new Prng(seed)
        for (let c = 0; c < channels; c++) {
            this.speeds.push(0)
            const pad = new PadModel(ambientC)
            pad.ambientC = ambientC
            // a foot warms the pad towards skin temperature only once it rests on it
            pad.footC = 33
            pad.noiseCounts = 8
            this.pads.push(pad)
        }
    }

    /** Handles a write of the `frame` register at time `nowMs`. */
    receive(bytes: Uint8Array, nowMs: number) {
        this.counters.writes++
        const count = decodeCount(bytes, this.channels)
        if (count < 0) {
            this.counters.malformed++
            return
        }
        // a newer batch replaces whatever of the previous one has not played yet
        this.queue.length = 0
        this.queueAt.length = 0
        let slot = 0
        for (let i = 0; i < count; i++) {
            decodeRecord(bytes, i, this.scratch)
            const idx = this.scratch.index
            const behind = (this.lastIndex - idx) & 65535
            if (this.lastIndex >= 0 && behind <= DUPLICATE_WINDOW) {
                this.counters.duplicates++
                continue
            }
            const f = new Frame(this.channels)
            f.copyFrom(this.scratch)
            this.queue.push(f)
            this.queueAt.push(nowMs + slot * this.framePeriodMs)
            this.lastIndex = idx
            slot++
        }
        if (slot > 0) this.lastFrameAt = nowMs
    }

    /** Advances the board to `nowMs`: plays due frames, applies the watchdog, steps the physics. */
    step(nowMs: number) {
        const dtMs = nowMs - this.nowMs
        if (dtMs <= 0) return
        this.nowMs = nowMs
        while (this.queue.length > 0 && this.queueAt[0] <= nowMs) {
            this.output.copyFrom(this.queue.shift())
            this.queueAt.shift()
            this.counters.frames++
            this.watchdogTripped = false
        }
        if (nowMs - this.lastFrameAt > WATCHDOG_MS && this.queue.length === 0) {
            if (!this.watchdogTripped) this.counters.watchdogTrips++
            this.watchdogTripped = true
            this.output.clear()
        }
        const out = this.output
        for (let c = 0; c < this.channels; c++) {
            const target = out.levels[c] / 255
            const tau = target > this.speeds[c] ? MOTOR_RISE_MS : MOTOR_FALL_MS
            this.speeds[c] += (target - this.speeds[c]) * (1 - Math.exp(-dtMs / tau))
            const on = out.heaterPower && (out.heaters & (1 << c)) !== 0 ? 1 : 0
            this.pads[c].step(dtMs / 1000, on, out.heaterPower)
        }
    }

    /** Every pad's thermistor as the ADC reads it now: u16 little endian per pad. */
    temperatureBytes(): Uint8Array {
        const bytes = new Uint8Array(2 * this.channels)
        for (let c = 0; c < this.channels; c++) {
            const raw = this.pads[c].reading(this.noise)
            bytes[2 * c] = raw & 255
            bytes[2 * c + 1] = raw >> 8
        }
        return bytes
    }

    /** Injects a fault on pad c ("none" repairs it). */
    setFault(c: number, fault: PadFault) {
        const pad = this.pads[c]
        pad.sensorOpen = fault === "sensor-open"
        pad.sensorShort = fault === "sensor-short"
        pad.sensorDetached = fault === "sensor-detached"
        pad.stuckOn = fault === "stuck-on"
        pad.heaterFactor = fault === "heater-dead" ? 0 : fault === "heater-half" ? 0.5 : 1
    }

    /** Puts the feet on the pads or takes them off. */
    setFeetPresent(present: boolean) {
        for (const pad of this.pads) pad.footPresent = present
    }

    /** True while the watchdog holds every output off. */
    get watchdogOff(): boolean {
        return this.watchdogTripped
    }

    /** Total current of motors and heaters now, mA (motor current follows its speed). */
    milliamps(motorMa: number, heaterMa: number): number {
        let ma = 0
        const out = this.output
        for (let c = 0; c < this.channels; c++) {
            ma += this.speeds[c] * motorMa
            const on = (out.heaters & (1 << c)) !== 0 || this.pads[c].stuckOn
            if (out.heaterPower && on) ma += heaterMa * this.pads[c].heaterFactor
        }
        return ma
    }
}
