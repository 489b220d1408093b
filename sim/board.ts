/*
 * The simulated Foot IO board: what the massager's power stage does with the frames the firmware
 * sends, and what its thermistors read back. Time is an argument (ms), so tests step it directly
 * and the app steps it from the wall clock.
 */
import { Frame, PadModel, Prng, SensorModel, chipOfSensor, decodeCount, decodeRecord } from "../src/core"

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

/**
 * Faults the simulator can inject on a pad. The sensor faults hit the pad's control sensor
 * (the one heat control reads); `setSensorFault` reaches either sensor with any fault kind.
 */
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

/** Which of a pad's two thermistors. */
export type SensorRole = "control" | "protection"

/** A fault of one thermistor (or its ADC channel); fields not given stay healthy. */
export interface SensorFault {
    /** Reading offset, K. */
    offsetK?: number
    /** Gain about 25 C (1 healthy). */
    gain?: number
    /** Offset drift, K per second. */
    driftKPerS?: number
    /** Share of the air it senses: 0 on the pad, 1 fully detached. */
    detachedShare?: number
    open?: boolean
    short?: boolean
    /** Stuck at this reading, C. */
    stuckC?: number
    /** Spikes: chance per sample and size, K. */
    spikeChance?: number
    spikeK?: number
    /** Chance per sample that the conversion is lost (the board repeats the last reading). */
    dropChance?: number
}

/** Faults of a whole ADC chip: it stops answering (every channel reads the top rail), or its
 *  reference is off (every channel's gain). */
export type ChipFault = "none" | "absent" | "reference-low" | "reference-high"

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
    /** Gets every frame as it is played, with the time (the frame log behind GET /sim/frames). */
    onPlay: (frame: Frame, nowMs: number) => void = null
    /** Frames waiting to play, and when. */
    private readonly queue: Frame[] = []
    private readonly queueAt: number[] = []
    private readonly scratch: Frame
    private lastIndex = -1
    private lastFrameAt = -Infinity
    private watchdogTripped = true
    private nowMs = 0
    private powered = true
    private readonly noise: Prng
    /** The last reading of each of the 16 sensors (a lost conversion repeats it). */
    private readonly lastRaw: number[] = []
    /** Per ADC chip: its fault. */
    private readonly chipFaults: ChipFault[] = ["none", "none", "none", "none"]

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
            pad.setNoise(8)
            this.pads.push(pad)
        }
        for (let i = 0; i < 2 * channels; i++) this.lastRaw.push(0)
    }

    /** Handles a write of the `frame` register at time `nowMs`. */
    receive(bytes: Uint8Array, nowMs: number) {
        this.counters.writes++
        // without supply the power stage hears nothing
        if (!this.powered) return
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
            if (this.onPlay) this.onPlay(this.output, nowMs)
        }
        if (!this.powered) {
            this.queue.length = 0
            this.queueAt.length = 0
            this.output.clear()
        } else if (nowMs - this.lastFrameAt > WATCHDOG_MS && this.queue.length === 0) {
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

    /** Thermistor s (0..2 x channels - 1): the control sensors of every pad, then the protection sensors. */
    sensor(s: number): SensorModel {
        const pad = this.pads[s % this.channels]
        return s < this.channels ? pad.control : pad.protection
    }

    /**
     * Both thermistors of every pad as the ADCs read them now: u16 little endian, the control
     * sensors of pads 0.. then their protection sensors (services/foot-io.md).
     */
    temperatureBytes(): Uint8Array {
        const sensors = 2 * this.channels
        const bytes = new Uint8Array(2 * sensors)
        for (let s = 0; s < sensors; s++) {
            const raw = this.readSensor(s)
            bytes[2 * s] = raw & 255
            bytes[2 * s + 1] = raw >> 8
        }
        return bytes
    }

    /** One sensor's raw reading, with its chip's fault applied. */
    private readSensor(s: number): number {
        const sensor = this.sensor(s)
        if (sensor.dropped(this.noise)) return this.lastRaw[s]
        const chip = this.channels === 8 ? this.chipFaults[chipOfSensor(s)] : "none"
        let raw: number
        if (chip === "absent") raw = 65535
        else {
            raw = sensor.reading(this.noise)
            // a reference 5 % off scales every ratiometric reading of the chip
            if (chip === "reference-low") raw = Math.floor(raw * 0.95)
            else if (chip === "reference-high") raw = Math.min(65535, Math.floor(raw * 1.05))
        }
        this.lastRaw[s] = raw
        return raw
    }

    /** Injects a fault on pad c ("none" repairs it); sensor faults hit its control sensor. */
    setFault(c: number, fault: PadFault) {
        const pad = this.pads[c]
        const control = pad.control
        control.open = fault === "sensor-open"
        control.short = fault === "sensor-short"
        control.detachedShare = fault === "sensor-detached" ? 1 : 0
        pad.stuckOn = fault === "stuck-on"
        pad.heaterFactor = fault === "heater-dead" ? 0 : fault === "heater-half" ? 0.5 : 1
    }

    /**
     * Cuts the power stage's supply (a brownout: every output off at once, frames ignored; the
     * motors coast down) or restores it.
     */
    setPowered(powered: boolean) {
        this.powered = powered
    }

    /** True while the power stage has supply. */
    get isPowered(): boolean {
        return this.powered
    }

    /** Sets the room's temperature, C (the pads' surroundings). */
    setAmbient(ambientC: number) {
        for (const pad of this.pads) pad.ambientC = ambientC
    }

    /** The room's temperature, C. */
    get ambientC(): number {
        return this.pads[0].ambientC
    }

    /** Injects a fault on one thermistor of pad c (an empty fault repairs it). */
    setSensorFault(c: number, role: SensorRole, fault: SensorFault) {
        const pad = this.pads[c]
        const s = role === "control" ? pad.control : pad.protection
        s.offsetK = fault.offsetK !== undefined ? fault.offsetK : 0
        s.gain = fault.gain !== undefined ? fault.gain : 1
        s.driftKPerS = fault.driftKPerS !== undefined ? fault.driftKPerS : 0
        s.detachedShare = fault.detachedShare !== undefined ? fault.detachedShare : 0
        s.open = !!fault.open
        s.short = !!fault.short
        s.stuckC = fault.stuckC !== undefined ? fault.stuckC : NaN
        s.spikeChance = fault.spikeChance !== undefined ? fault.spikeChance : 0
        s.spikeK = fault.spikeK !== undefined ? fault.spikeK : 0
        s.dropChance = fault.dropChance !== undefined ? fault.dropChance : 0
    }

    /** Injects a fault on ADC chip 0..3 (I2C 0x48..0x4B; see src/core/physics/sensor-map.ts). */
    setChipFault(chip: number, fault: ChipFault) {
        if (chip >= 0 && chip < this.chipFaults.length) this.chipFaults[chip] = fault
    }

    /** Times any pad's hardware thermal cutoff (the backstop, about 50 C) opened. */
    backstopTrips(): number {
        let n = 0
        for (const pad of this.pads) n += pad.backstopTrips
        return n
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
            if (out.heaterPower && on && !this.pads[c].backstopOpen)
                ma += heaterMa * this.pads[c].heaterFactor
        }
        return ma
    }
}
