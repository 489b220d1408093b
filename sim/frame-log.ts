/*
 * The board's recent frames, as it played them: a ring of the last CAPACITY frames, each with
 * its frame index (as the firmware numbered it, modulo 65536), the simulator's time it was played
 * and its outputs. `GET /sim/frames` serves it, so tests and benchmarks see every frame, not only
 * the status' last one.
 */
import { Frame } from "../src/core"

/** Frames kept: 60 s of 20 ms frames. */
export const FRAME_LOG_CAPACITY = 3000

/** One frame the board played. */
export interface PlayedFrame {
    /** Frame index (the firmware's frame clock, modulo 65536). */
    i: number
    /** Simulator time it was played, ms since the simulator started. */
    t: number
    levels: number[]
    heaters: number
    heaterPower: boolean
}

/** The ring of the last frames played. */
export class FrameLog {
    private readonly ring: PlayedFrame[] = []
    private next = 0
    /** Frames recorded since the start. */
    total = 0

    constructor(readonly capacity = FRAME_LOG_CAPACITY) {}

    /** Records frame `f` played at `tMs`. */
    add(f: Frame, tMs: number) {
        const rec: PlayedFrame = {
            i: f.index,
            t: Math.round(tMs * 10) / 10,
            levels: f.levels.slice(),
            heaters: f.heaters,
            heaterPower: f.heaterPower,
        }
        if (this.ring.length < this.capacity) this.ring.push(rec)
        else this.ring[this.next] = rec
        this.next = (this.next + 1) % this.capacity
        this.total++
    }

    /** The frames played after `sinceMs` (oldest first), at most the last `limit` of them. */
    since(sinceMs: number, limit = this.capacity): PlayedFrame[] {
        const n = this.ring.length
        const start = n < this.capacity ? 0 : this.next
        const out: PlayedFrame[] = []
        for (let j = 0; j < n; j++) {
            const rec = this.ring[(start + j) % n]
            if (rec.t > sinceMs) out.push(rec)
        }
        return limit < out.length ? out.slice(out.length - limit) : out
    }
}
