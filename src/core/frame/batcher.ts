import { Frame } from "./frame"

/**
 * Decides which frames go out, and when, under the VM's packet budget. Frames are collected
 * `batch` at a time and a batch is written when it holds a frame that differs from the last
 * frame written, or when `keepAliveFrames` passed since the last write (the board turns every
 * output off after 1 s without a frame). A skip (the loop woke late) restarts the batch, so a
 * batch always holds consecutive frames. Pure: the caller does the writing.
 */
export class FrameBatcher {
    /** The frames of the batch being filled. */
    readonly frames: Frame[] = []
    /** Frames in the batch being filled. */
    count = 0
    private changedInBatch = false
    private readonly lastSent: Frame
    private lastSentIndex = -1
    private hasSent = false

    /**
     * @param channels channels per frame
     * @param batch frames per write (1..8)
     * @param keepAliveFrames write at least every this many frames
     */
    constructor(
        readonly channels: number,
        readonly batch: number,
        readonly keepAliveFrames: number
    ) {
        for (let i = 0; i < batch; i++) this.frames.push(new Frame(channels))
        this.lastSent = new Frame(channels)
    }

    /**
     * Adds frame f. Returns true when the batch (`frames[0..count)`) is ready to write; the
     * caller writes it and then calls `sent()`.
     */
    add(f: Frame): boolean {
        if (this.count > 0)
            if (f.index !== this.frames[this.count - 1].index + 1) {
                // not consecutive: drop the partial batch's remainder rather than mislabel frames
                this.count = 0
                this.changedInBatch = false
            }
        const slot = this.frames[this.count]
        slot.copyFrom(f)
        this.count++
        const reference = this.count > 1 ? this.frames[this.count - 2] : this.lastSent
        if (!this.hasSent) this.changedInBatch = true
        else if (!f.sameOutputs(reference)) this.changedInBatch = true
        if (this.count < this.batch) return false
        if (this.changedInBatch) return true
        if (f.index - this.lastSentIndex >= this.keepAliveFrames) return true
        this.count = 0
        return false
    }

    /** Records that the batch was written. */
    sent() {
        const last = this.frames[this.count - 1]
        this.lastSent.copyFrom(last)
        this.lastSentIndex = last.index
        this.hasSent = true
        this.count = 0
        this.changedInBatch = false
    }
}
