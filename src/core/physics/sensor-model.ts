import { Prng } from "../util/prng"
import { ADC_FULL_SCALE, rawOf } from "./thermistor"

/**
 * One thermistor on a pad, as the simulator and the fault rig model it: it follows the pad
 * (or, detached, the air) with a first-order lag, and the ADC reads it quantized to 16 bits
 * with optional noise. Every single fault a thermistor or its ADC channel can have is a field:
 * offset, gain error, drift, partly or fully detached, open, short, stuck at a value, spikes,
 * dropped samples. Healthy by default.
 */
export class SensorModel {
    /** What the thermistor senses now (lagged), C. */
    sensedC: number
    /** Lag behind the pad, s. */
    lagS = 3
    /** ADC noise, counts (one standard deviation). */
    noiseCounts = 0
    /** Reading offset, K (a wrong divider resistor or calibration). */
    offsetK = 0
    /** Gain about 25 C: the reading is 25 + (T - 25) * gain (a wrong Beta or reference). */
    gain = 1
    /** Drift of the offset, K per second (an ageing part, a creeping leak current). */
    driftKPerS = 0
    /** How much of the air the thermistor senses instead of the pad: 0 on the pad, 1 detached. */
    detachedShare = 0
    /** Open (top rail), shorted (bottom rail). */
    open = false
    short = false
    /** Stuck at this temperature, C (NaN: not stuck). */
    stuckC = NaN
    /** Chance per sample of a spike, and its size, K (a sign at random each time). */
    spikeChance = 0
    spikeK = 0
    /** Scale of the raw reading (1 healthy): an ADC chip whose reference is off scales every
     *  ratiometric reading it makes. */
    rawScale = 1
    /** Chance per sample that the sample is lost (the caller asks `dropped`). */
    dropChance = 0
    /** Seconds the drift has run. */
    private driftS = 0
    /** Samples left in the current spike burst, its sign, and quiet samples still due after one. */
    private burst = 0
    private quiet = 0
    private burstSign = 1

    /** @param startC the temperature it starts at */
    constructor(startC: number) {
        this.sensedC = startC
    }

    /** Follows the pad (at padC, in air at ambientC) for dtS seconds. */
    step(dtS: number, padC: number, ambientC: number) {
        const share = this.detachedShare < 0 ? 0 : this.detachedShare > 1 ? 1 : this.detachedShare
        const target = padC + (ambientC - padC) * share
        const a = dtS / this.lagS
        this.sensedC += (target - this.sensedC) * (a < 1 ? a : 1)
        if (this.driftKPerS !== 0) this.driftS += dtS
    }

    /** The temperature the reading stands for (before quantization and noise), C. */
    indicatedC(): number {
        if (this.stuckC === this.stuckC) return this.stuckC
        const t = 25 + (this.sensedC - 25) * this.gain
        return t + this.offsetK + this.driftKPerS * this.driftS
    }

    /** True when this sample is lost (call once per sample, before `reading`). */
    dropped(noise: Prng): boolean {
        return this.dropChance > 0 && noise.next() < this.dropChance
    }

    /** The ADC's reading now, raw 16-bit. */
    reading(noise: Prng): number {
        if (this.open) return ADC_FULL_SCALE
        if (this.short) return 0
        let c = this.indicatedC()
        if (this.spikeChance > 0) {
            // spikes come in bursts of one or two samples (a motor's switching noise), at most two
            // bad samples in any five: the glitch design limit (docs/heat-safety.md)
            if (this.burst === 0 && this.quiet > 0) this.quiet--
            else if (this.burst === 0 && noise.next() < this.spikeChance) {
                this.burst = noise.next() < 0.5 ? 1 : 2
                this.burstSign = noise.next() < 0.5 ? -1 : 1
                this.quiet = 3
            }
            if (this.burst > 0) {
                this.burst--
                c += this.burstSign * this.spikeK
            }
        }
        let raw = rawOf(c) * this.rawScale
        if (this.noiseCounts > 0) raw += noise.gauss() * this.noiseCounts
        raw = Math.floor(raw + 0.5)
        return raw < 0 ? 0 : raw > ADC_FULL_SCALE ? ADC_FULL_SCALE : raw
    }
}
