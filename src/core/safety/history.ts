/**
 * The supervisor's block history: for every pad, the last `blocks` 1 s blocks, each with the mean
 * of its readings (C) and the share of its frames the pad's heater was on (0..1). Newest is
 * `back` 0; a block not yet filled reads NaN.
 *
 * Each pad has one ring, one number per block. The VM's heap is ~55 KB and a number costs 8
 * bytes: two arrays per pad (means, duties) took 6.5 KB for 8 pads, this takes 2.8 KB. One
 * array for all pads took one 2.9 KB block, and growing it by `push` left about 10 KB of
 * garbage before the next yield: after a while of traffic, a rig or a bench built later ran out
 * of memory there (PANIC 60004) with more than that free in smaller holes. A ring per pad is a
 * block of 370 B. Nothing is allocated after construction.
 */
export class BlockHistory {
    /** Per pad: its newest block's ring position, then its `blocks` packed blocks. */
    private readonly rings: number[][] = []

    constructor(
        padCount: number,
        readonly blocks: number
    ) {
        for (let p = 0; p < padCount; p++) {
            const ring = [0]
            for (let i = 0; i < blocks; i++) ring.push(NaN)
            this.rings.push(ring)
        }
    }

    /** Appends a closed block to a pad's history (NaN if either value is out of range); the
     *  oldest block drops out. */
    push(pad: number, meanC: number, duty: number) {
        const ring = this.rings[pad]
        const head = ring[0] + 1 < this.blocks ? ring[0] + 1 : 0
        ring[0] = head
        ring[1 + head] =
            meanC > -MEAN_OFFSET_C && meanC < MEAN_OFFSET_C && duty >= 0 && duty <= 1
                ? Math.round((meanC + MEAN_OFFSET_C) * MEAN_STEPS) + duty / 2
                : NaN
    }

    /** The mean reading of a pad's block `back` blocks before the newest (0 = newest), or NaN. */
    mean(pad: number, back: number): number {
        if (!(back >= 0 && back < this.blocks)) return NaN
        const ring = this.rings[pad]
        const i = ring[0] - back
        const packed = ring[1 + (i >= 0 ? i : i + this.blocks)]
        if (!(packed === packed)) return NaN
        return (packed | 0) / MEAN_STEPS - MEAN_OFFSET_C
    }

    /** The mean heater share over blocks `fromBack` down to `toBack` (blocks > fromBack >= toBack
     *  >= 0), NaN if any is unfilled. */
    dutyOver(pad: number, fromBack: number, toBack: number): number {
        const B = this.blocks
        if (!(fromBack < B && toBack >= 0)) return NaN
        const ring = this.rings[pad]
        // ---- fast path: walks the ring itself, without a call per block (up to 43 blocks per pad
        // each second; the VM's calls are dear and a fiber may run 128 K opcodes between yields).
        // `packed | 0` is the mean field (an integer under 2^24), the rest is half the duty.
        let i = ring[0] - fromBack
        if (i < 0) i += B
        let sum = 0
        for (let n = fromBack - toBack; n >= 0; n--) {
            const packed = ring[1 + i]
            // NaN | 0 is 0: an unfilled block is tested for itself
            if (!(packed === packed)) return NaN
            sum += packed - (packed | 0)
            if (++i === B) i = 0
        }
        // ---- end of fast path
        return (2 * sum) / (fromBack - toBack + 1)
    }
}

// ---- packing: one number per block -------------------------------------------------------------
// The mean is kept as an integer count of 2^-15 K steps offset by 256 C (under 2^24 for
// -256..256 C), the duty as a fraction added to it (duty / 2, in 0..0.5, so it never reaches the
// next integer). A 64-bit number keeps 29 bits below the point at that size: the duty to 2^-28.
// Unpacking uses `| 0` (an opcode, exact under 2^31) rather than Math.floor (a call) or `%`
// (which the DeviceScript VM computes on 32-bit integers: wrong for bigger numbers).
// The plain reference is a pair of shifted arrays per pad (test/node/compact-state.test.ts
// holds the two equal to these steps, and test/sim/heat/history.test.ts in the VM).
const MEAN_STEPS = 32768
const MEAN_OFFSET_C = 256
