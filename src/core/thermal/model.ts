import { Prng } from "../prng"
import { ADC_FULL_SCALE, rawOf } from "./thermistor"

/**
 * First-order thermal model of one heating pad, for tests and the hardware simulator:
 *
 *     C dT/dt = P * on - Gfoot * (T - Tfoot) * footPresent - Gair * (T - Tair)
 *
 * The defaults describe a 12 V, 300 mA (3.6 W) silicone pad of about 20 g (C = 15 J/K) under
 * a foot (skin contact 0.15 W/K towards a 33 C foot) and in air (0.03 W/K). With a foot the pad
 * settles at 31 + 20 * duty C: 43 C needs 60 % duty, full duty would reach 51 C (so control and
 * supervision matter); without a foot full duty would reach about 140 C. Time constant with a
 * foot about 80 s; heating at full power starts at 0.24 K/s. The thermistor follows the pad with
 * a 3 s lag, or the air when detached; its reading is quantized to 16 bits with optional noise.
 */
export class PadModel {
    /** Pad (skin side) temperature, C. */
    tempC: number
    /** What the thermistor senses (lagged), C. */
    sensorC: number
    heaterWatts = 3.6
    capacityJPerK = 15
    footWPerK = 0.15
    airWPerK = 0.03
    footC = 33
    ambientC = 22
    footPresent = true
    sensorLagS = 3
    /** ADC noise, counts (one standard deviation). */
    noiseCounts = 0
    /** Faults: heater power factor (1 healthy, 0 dead, 0.5 half), stuck on, sensor state. */
    heaterFactor = 1
    stuckOn = false
    sensorDetached = false
    sensorOpen = false
    sensorShort = false

    /** @param startC the pad's temperature at the start */
    constructor(startC: number) {
        this.tempC = startC
        this.sensorC = startC
    }

    /**
     * Advances the model by dtS seconds with the heater commanded on for `onFraction` of the time,
     * with (`power`) or without heater supply (the master cut open).
     */
    step(dtS: number, onFraction: number, power: boolean) {
        const on = this.stuckOn ? 1 : onFraction
        const watts = power ? this.heaterWatts * this.heaterFactor * on : 0
        const lossFoot = this.footPresent ? this.footWPerK * (this.tempC - this.footC) : 0
        const lossAir = this.airWPerK * (this.tempC - this.ambientC)
        this.tempC += ((watts - lossFoot - lossAir) * dtS) / this.capacityJPerK
        const sensed = this.sensorDetached ? this.ambientC : this.tempC
        const a = dtS / this.sensorLagS
        this.sensorC += (sensed - this.sensorC) * (a < 1 ? a : 1)
    }

    /** The ADC's reading of the thermistor. */
    reading(noise: Prng): number {
        if (this.sensorOpen) return ADC_FULL_SCALE
        if (this.sensorShort) return 0
        let raw = rawOf(this.sensorC)
        if (this.noiseCounts > 0) raw += noise.gauss() * this.noiseCounts
        raw = Math.floor(raw + 0.5)
        return raw < 0 ? 0 : raw > ADC_FULL_SCALE ? ADC_FULL_SCALE : raw
    }
}
