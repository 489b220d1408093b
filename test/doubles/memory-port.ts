import { Frame } from "../../src/core/frame/frame"
import { HardwarePort } from "../../src/hw/port"

/** A port that keeps what it was given, for tests in the VM. */
export class MemoryPort implements HardwarePort {
    /** The last frame submitted. */
    readonly last: Frame
    /** What readTemperatures gives (raw readings: control sensors of every pad, then protection sensors), or null for "no board". */
    temperatures: number[] = null
    /** Frames submitted, and allOff calls. */
    submitted = 0
    allOffCalls = 0

    constructor(readonly channels: number) {
        this.last = new Frame(channels)
    }

    async submit(f: Frame) {
        this.last.copyFrom(f)
        this.submitted++
    }

    async readTemperatures(raw: number[]): Promise<boolean> {
        if (!this.temperatures) return false
        for (let i = 0; i < 2 * this.channels; i++) raw[i] = this.temperatures[i % this.temperatures.length]
        return true
    }

    async allOff() {
        this.last.clear()
        this.allOffCalls++
    }
}
