import { SensorModel } from "./sensor-model"

/**
 * First-order thermal model of one heating pad, for tests and the hardware simulator:
 *
 *     C dT/dt = P * on - Gfoot * (T - Tfoot) * footPresent - Gair * (T - Tair)
 *
 * The defaults describe a 12 V, 300 mA (3.6 W) silicone pad of about 20 g (C = 15 J/K) under
 * a foot (skin contact 0.15 W/K towards a 33 C foot) and in air (0.03 W/K). With a foot the pad
 * settles at 31 + 20 * duty C: 43 C needs 60 % duty, full duty would reach 51 C (so control and
 * supervision matter); without a foot full duty would reach about 140 C. Time constant with a
 * foot about 80 s; heating at full power starts at 0.24 K/s.
 *
 * Each pad carries two thermistors (SensorModel, 3 s lag, each able to fail on its own): the
 * control sensor that heat control reads and the protection sensor that only the safety
 * supervisor reads. And a hardware backstop: a thermal cutoff in series with the heater that
 * opens at `backstopOpenC` and closes again below `backstopCloseC` (a bimetal switch), which
 * no firmware can override; the fault matrix counts its trips, and no scenario may need it.
 */
export class PadModel {
    /** Pad (skin side) temperature, C. */
    tempC: number
    heaterWatts = 3.6
    capacityJPerK = 15
    footWPerK = 0.15
    airWPerK = 0.03
    footC = 33
    ambientC = 22
    footPresent = true
    /** The two thermistors. */
    readonly control: SensorModel
    readonly protection: SensorModel
    /** Faults: heater power factor (1 healthy, 0 dead, 0.5 half), stuck on. */
    heaterFactor = 1
    stuckOn = false
    /** The hardware thermal cutoff: opens at, closes below (C); open now; times it opened. */
    backstopOpenC = 50
    backstopCloseC = 40
    backstopOpen = false
    backstopTrips = 0

    /** @param startC the pad's temperature at the start */
    constructor(startC: number) {
        this.tempC = startC
        this.control = new SensorModel(startC)
        // the protection sensor sits a little further from the heater: a slightly longer lag
        this.protection = new SensorModel(startC)
        this.protection.lagS = 3.3
    }

    /** Sets both thermistors' ADC noise, counts. */
    setNoise(counts: number) {
        this.control.noiseCounts = counts
        this.protection.noiseCounts = counts
    }

    /**
     * Advances the model by dtS seconds with the heater commanded on for `onFraction` of the time,
     * with (`power`) or without heater supply (the master cut open).
     */
    step(dtS: number, onFraction: number, power: boolean) {
        if (this.tempC >= this.backstopOpenC && !this.backstopOpen) {
            this.backstopOpen = true
            this.backstopTrips++
        } else if (this.backstopOpen && this.tempC < this.backstopCloseC) this.backstopOpen = false
        const on = this.stuckOn ? 1 : onFraction
        const watts = power && !this.backstopOpen ? this.heaterWatts * this.heaterFactor * on : 0
        const lossFoot = this.footPresent ? this.footWPerK * (this.tempC - this.footC) : 0
        const lossAir = this.airWPerK * (this.tempC - this.ambientC)
        this.tempC += ((watts - lossFoot - lossAir) * dtS) / this.capacityJPerK
        this.control.step(dtS, this.tempC, this.ambientC)
        this.protection.step(dtS, this.tempC, this.ambientC)
    }
}
