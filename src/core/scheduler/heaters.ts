import { filledArray, wrap } from "../util/numbers"

/** No plan yet: a window start no frame is in (so the frame path never reads an unbuilt plan). */
const NO_PLAN = -1e15

/**
 * Slices each heater's duty (0..1) into on/off frames within windows of W frames, so that no
 * frame has more than `maxOn` heaters on. Windows start at the frame given to `restartAt` (the
 * session's first frame), so a session heats from its first frame.
 *
 * Fair shares, per window: heater c asks d_c = duty_c * W frames; when the asks exceed the cap
 * of maxOn * W frames, the cap is water-filled (max-min fair): every heater gets
 * min(d_c, L) with the level L that fills the cap, so a small ask is met in full and the large
 * ones share the rest equally. Each heater then gets floor(share) frames, plus one when the
 * fraction it is owed (carried from window to window) reaches a whole frame, as long as the
 * cap has room; when it has not, the heaters owed most get it. So each heater is within one
 * frame of its fair share in every window, none with a duty above 0 goes unserved across
 * windows, and over time each gets its share exactly.
 *
 * Layout (McNaughton's wrap-around rule): the slots are laid end to end along a line of
 * maxOn * W frames, wrapped every W frames; a heater cut by a wrap gets the end of the window
 * and its start, which never overlap since a heater's slots are at most W. At most maxOn
 * heaters are on in any frame, and switch-on instants are staggered along the window. The
 * heater laid first rotates every window.
 */
export class HeaterSlicer {
    /** Requested duty per heater, 0..1. */
    readonly duty: number[]
    /** Fair share per heater in the current window, in frames (see the class comment). */
    readonly share: number[]
    /** Frames each heater is owed (+) or was given ahead (-) from earlier windows: under one. */
    private readonly carry: number[]
    /** On-frames per heater in the current window. */
    readonly slots: number[]
    /** Heaters whose share is settled in the water-filling. */
    private readonly settled: number[]
    /**
     * Heater bitmask for each frame of the current window (read inline by the scheduler). By
     * construction no entry has more than `maxOn` bits set.
     */
    readonly plan: number[]
    /** First frame of the current window; NO_PLAN before the first plan. */
    planWindow = NO_PLAN
    /** The frame windows are counted from. */
    private origin = 0
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
        this.share = filledArray(channels, 0)
        this.carry = filledArray(channels, 0)
        this.slots = filledArray(channels, 0)
        this.settled = filledArray(channels, 0)
        this.plan = filledArray(windowFrames, 0)
    }

    /** Sets heater c's duty, clamped to 0..1 (NaN counts as 0); it takes effect at the next window. */
    setDuty(c: number, duty: number) {
        if (!(c >= 0 && c < this.channels)) return
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
        this.planWindow = NO_PLAN
    }

    /** Starts a new window at frame k (a session starts or resumes): its plan is made when asked. */
    restartAt(k: number) {
        this.origin = k
        this.planWindow = NO_PLAN
    }

    /** Heater bitmask planned for frame k. */
    maskAt(k: number): number {
        const W = this.windowFrames
        const j = wrap(k - this.origin, W)
        if (k - j !== this.planWindow) this.replan(k - j)
        return this.plan[j]
    }

    private replan(windowStart: number) {
        this.fairShares()
        this.roundShares()
        this.layOut(windowStart)
        this.planWindow = windowStart
    }

    /** share[c]: duty times W, water-filled into the cap when the asks exceed it. */
    private fairShares() {
        const W = this.windowFrames
        const n = this.channels
        const share = this.share
        const settled = this.settled
        let total = 0
        for (let c = 0; c < n; c++) {
            share[c] = this.duty[c] * W
            total += share[c]
            settled[c] = share[c] > 0 ? 0 : 1
        }
        let room = this.maxOn * W
        if (total <= room) return
        // raise a level over the unsettled asks; an ask under the level is met and settles
        let open = 0
        for (let c = 0; c < n; c++) if (settled[c] === 0) open++
        let changed = true
        let level = 0
        while (changed && open > 0) {
            changed = false
            level = room / open
            for (let c = 0; c < n; c++)
                if (settled[c] === 0 && share[c] <= level) {
                    settled[c] = 1
                    room -= share[c]
                    open--
                    changed = true
                }
        }
        for (let c = 0; c < n; c++) if (settled[c] === 0) share[c] = level
    }

    /**
     * slots[c]: floor(share), plus one extra frame for as many heaters as the owed fractions
     * add up to (owed = share + carry - floor(share)), the most owed first, while the cap has
     * room. The carry keeps what each was given above or below its share.
     */
    private roundShares() {
        const W = this.windowFrames
        const n = this.channels
        const share = this.share
        const carry = this.carry
        const slots = this.slots
        let room = this.maxOn * W
        let owedTotal = 0
        for (let c = 0; c < n; c++) {
            if (share[c] <= 0) {
                carry[c] = 0
                slots[c] = 0
                continue
            }
            slots[c] = Math.floor(share[c])
            room -= slots[c]
            owedTotal += share[c] + carry[c] - slots[c]
        }
        let extras = Math.floor(owedTotal)
        if (extras > room) extras = room
        // the extra frames, to the heaters owed most (ties: the lowest channel)
        for (; extras > 0; extras--) {
            let best = -1
            let most = 0
            for (let c = 0; c < n; c++) {
                if (share[c] <= 0 || slots[c] >= W || slots[c] > share[c]) continue
                const owed = share[c] + carry[c] - slots[c]
                if (owed > most) {
                    best = c
                    most = owed
                }
            }
            if (best < 0) break
            slots[best]++
        }
        for (let c = 0; c < n; c++) if (share[c] > 0) carry[c] += share[c] - slots[c]
    }

    /**
     * Lays the slots end to end and wraps every W frames: a heater is on over one interval of
     * the window or, when cut by a wrap, over its end and its start. Marks where each bit
     * toggles, then sweeps the window once: a few operations a frame, whatever the duties.
     */
    private layOut(windowStart: number) {
        const W = this.windowFrames
        const n = this.channels
        const slots = this.slots
        const toggles = this.plan
        for (let j = 0; j < W; j++) toggles[j] = 0
        // the heater that goes first rotates every window
        let c = wrap(Math.floor((windowStart - this.origin) / W), n)
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
