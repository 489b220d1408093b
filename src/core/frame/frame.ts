import { filledArray } from "../util/numbers"

/**
 * One frame of output: a level for every vibration channel and an on/off decision for every
 * heater channel. The scheduler fills one preallocated Frame in place every frame period; the
 * hardware port sends it as one write.
 */
export class Frame {
    /** Vibration levels, 0..255, one per channel. */
    readonly levels: number[]
    /** Heater decisions: bit c set means heater channel c is on during this frame. */
    heaters = 0
    /**
     * Master heater power: false opens the master cut that removes power from every heater,
     * whatever the heater bits say (the safety supervisor's last resort).
     */
    heaterPower = false
    /** Frame index k: the frame covers t = k * period since the session began. */
    index = 0

    /** @param channels vibration and heater channels (4 per foot) */
    constructor(readonly channels: number) {
        this.levels = filledArray(channels, 0)
    }

    /** Copies every field of another frame of the same size. */
    copyFrom(other: Frame) {
        const src = other.levels
        const dst = this.levels
        for (let c = 0; c < this.channels; c++) dst[c] = src[c]
        this.heaters = other.heaters
        this.heaterPower = other.heaterPower
        this.index = other.index
    }

    /** True when the outputs (levels, heaters, master power) equal another frame's; the index is ignored. */
    sameOutputs(other: Frame): boolean {
        if (this.heaters !== other.heaters) return false
        if (this.heaterPower !== other.heaterPower) return false
        const a = this.levels
        const b = other.levels
        for (let c = 0; c < this.channels; c++) if (a[c] !== b[c]) return false
        return true
    }

    /** Sets every output off. */
    clear() {
        for (let c = 0; c < this.channels; c++) this.levels[c] = 0
        this.heaters = 0
        this.heaterPower = false
    }
}
