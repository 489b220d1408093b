/**
 * Maps clock readings to frame indices for the frame loop. Frame k is due at
 * origin + k * period; a loop that wakes late computes the current frame only (the frames it
 * missed are skipped, never replayed), and a loop that wakes twice within a frame computes
 * nothing the second time. The clock reading is an argument, so this is testable without time.
 */
export class FrameClock {
    private origin = 0
    private last = -1
    /** Frames skipped because the loop woke late, since `start`. */
    skipped = 0

    /** @param periodMs frame period in ms */
    constructor(readonly periodMs: number) {}

    /** Makes `nowMs` the time of frame 0. */
    start(nowMs: number) {
        this.origin = nowMs
        this.last = -1
        this.skipped = 0
    }

    /** The frame index covering `nowMs`. */
    indexAt(nowMs: number): number {
        return Math.floor((nowMs - this.origin) / this.periodMs)
    }

    /** The frame to compute at `nowMs`, or -1 when that frame was already computed. */
    due(nowMs: number): number {
        const k = this.indexAt(nowMs)
        if (k <= this.last) return -1
        if (this.last >= 0) this.skipped += k - this.last - 1
        this.last = k
        return k
    }

    /** Milliseconds from `nowMs` until the next frame is due. */
    msUntilNext(nowMs: number): number {
        return this.origin + (this.indexAt(nowMs) + 1) * this.periodMs - nowMs
    }
}
