import { filledArray } from "./numbers"

/**
 * Slices each heater's duty (0..1) into on/off frames within a window of W frames, so that no
 * frame has more than `maxOn` heaters on.
 *
 * At each window start, heater c gets round-robin slots_c = duty_c * W frames (the fraction
 * left over carries into the next window, so the average duty is exact over time). The slots
 * are laid end to end along a line of maxOn * W frames and the line is wrapped every W
 * frames (McNaughton's wrap-around rule): a heater cut by a wrap gets the end of the window
 * and the start of it, which never overlap since slots_c <= W. At most maxOn heaters are on in
 * any frame, and switch-on instants are staggered along the window rather than all at frame 0.
 * The order rotates every window, so the heater that is split and the one that is cut first
 * when duties exceed the cap change over time.
 */
export class HeaterSlicer {
    /** Requested duty per heater, 0..1. */
    readonly duty: number[]
    /** Fraction of a slot owed to each heater from earlier windows. */
    private readonly carry: number[]
    /** On-frames per heater in the current window. */
    private readonly slots: number[]
    /**
     * Heater bitmask for each frame of the current window (read inline by the scheduler). By
     * construction no entry has more than `maxOn` bits set.
     */
    readonly plan: number[]
    /** First frame of the current window, -1 before the first plan. */
    planWindow = -1
    /** True when any heater has a duty above 0. */
    active = false

    /**
     * @param channels heater channels
     * @param windowFrames frames per window
     * @param maxOn most heaters on together
     */
    constructor(
        readonly channels: number,
        readonly windowFrames: number,
        readonly maxOn: number
    ) {
        this.duty = filledArray(channels, 0)
        this.carry = filledArray(channels, 0)
        this.slots = filledArray(channels, 0)
        this.plan = filledArray(windowFrames, 0)
    }

    /** Sets heater c's duty, clamped to 0..1 (NaN counts as 0); it takes effect at the next window. */
    setDuty(c: number, duty: number) {
        if (c < 0 || c >= this.channels) return
        this.duty[c] = duty > 0 ? (duty < 1 ? duty : 1) : 0
        let any = false
        for (let i = 0; i < this.channels; i++) if (this.duty[i] > 0) any = true
        this.active = any
    }

    /** Sets every duty to 0 and forgets what was owed; takes effect at once. */
    reset() {
        for (let c = 0; c < this.channels; c++) {
            this.duty[c] = 0
            this.carry[c] = 0
        }
        this.active = false
        this.planWindow = -1
    }

    /** Heater bitmask planned for frame k. */
    maskAt(k: number): number {
        const W = this.windowFrames
        const j = k % W
        if (k - j !== this.planWindow) this.replan(k - j)
        return this.plan[j]
    }

    /** Heaters planned on at frame k. */
    countAt(k: number): number {
        return bitCount(this.maskAt(k))
    }

    private replan(windowStart: number) {
        const W = this.windowFrames
        const n = this.channels
        const slots = this.slots
        let total = 0
        for (let c = 0; c < n; c++) {
            const want = this.duty[c] * W + this.carry[c]
            let s = want | 0
            if (s > W) s = W
            this.carry[c] = this.duty[c] > 0 ? want - s : 0
            if (this.carry[c] > 1) this.carry[c] = 1
            slots[c] = s
            total += s
        }
        const cap = this.maxOn * W
        if (total > cap) {
            // over the cap: everyone gives up the same share
            let kept = 0
            for (let c = 0; c < n; c++) {
                slots[c] = ((slots[c] * cap) / total) | 0
                kept += slots[c]
            }
            total = kept
        }
        // lay the slots end to end and wrap every W frames: a heater is on over one interval of
        // the window or, when cut by a wrap, over its end and its start. Mark where each bit
        // toggles, then sweep the window once: a few operations a frame, whatever the duties.
        const toggles = this.plan
        for (let j = 0; j < W; j++) toggles[j] = 0
        // the heater that goes first rotates every window (% compiles to a call in the VM: once)
        let c = (windowStart / W) % n
        let start = 0
        let initial = 0
        for (let i = 0; i < n; i++) {
            const s = slots[c]
            if (s > 0) {
                const bit = 1 << c
                const end = start + s
                toggles[start] ^= bit
                if (end < W) toggles[end] ^= bit
                else if (end > W) {
                    // cut by the wrap: also on from the window start until end - W
                    initial |= bit
                    toggles[end - W] ^= bit
                }
                start = end < W ? end : end - W
            }
            c = c + 1 < n ? c + 1 : 0
        }
        let mask = initial
        for (let j = 0; j < W; j++) {
            mask ^= toggles[j]
            toggles[j] = mask
        }
        this.planWindow = windowStart
    }
}

/** Number of bits set in a heater mask. */
export function bitCount(mask: number): number {
    let m = mask
    let count = 0
    while (m !== 0) {
        m &= m - 1
        count++
    }
    return count
}

/**
 * Keeps at most `allowed` heaters of a mask on, starting the count at a rotating channel so
 * that the heaters dropped when power is short change from frame to frame.
 */
export function limitHeaters(mask: number, allowed: number, channels: number, rotation: number): number {
    let kept = 0
    let count = 0
    for (let i = 0; i < channels; i++) {
        const c = (rotation + i) % channels
        const bit = 1 << c
        if (mask & bit) {
            if (count < allowed) {
                kept |= bit
                count++
            }
        }
    }
    return kept
}
