/** Samples a SensorFilter's median spans: a burst of up to two bad samples is outvoted. */
export const MEDIAN_SAMPLES = 5

/** Scratch for the median: one for every filter (add() runs to its end without yielding). */
const scratch: number[] = [0, 0, 0, 0, 0]

/**
 * The median of a sensor's last MEDIAN_SAMPLES readings (fewer until it has them): a spike of
 * one or two samples never reaches a rule, and a real change passes after two samples (200 ms
 * at 10 a second). No allocation per sample. A filter keeps only its window (the supervisor has
 * 16 of them in a ~55 KB heap); the median sorts a shared copy of it, at most ten compares.
 */
export class SensorFilter {
    private readonly window: number[] = [0, 0, 0, 0, 0]
    private next = 0

    /** Readings held (up to MEDIAN_SAMPLES). */
    count = 0

    /** Adds a reading, returns the median of the readings held. */
    add(value: number): number {
        this.window[this.next] = value
        this.next = this.next + 1 < MEDIAN_SAMPLES ? this.next + 1 : 0
        if (this.count < MEDIAN_SAMPLES) this.count++
        const n = this.count
        // insertion sort of the held readings (their order in the window does not matter)
        const s = scratch
        for (let i = 0; i < n; i++) {
            const v = this.window[i]
            let j = i - 1
            while (j >= 0 && s[j] > v) {
                s[j + 1] = s[j]
                j--
            }
            s[j + 1] = v
        }
        return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }
}
