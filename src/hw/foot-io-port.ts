import * as ds from "@devicescript/core"
import { FrameBatcher } from "../core/frame/batcher"
import { Frame } from "../core/frame/frame"
import { batchSize, encodeHeader, encodeRecord } from "../core/frame/wire"
import { HardwarePort } from "./port"

/** Options of a FootIoPort. */
export interface FootIoPortOptions {
    /** Frames per write (default 2: at 20 ms frames, 25 writes a second). */
    batch?: number
    /** Write at least every this many frames even when nothing changed (default 20). */
    keepAliveFrames?: number
}

/** Sends frames to a Foot IO service, a batch per register write (see src/core/frame/wire.ts). */
export class FootIoPort implements HardwarePort {
    readonly batcher: FrameBatcher
    private readonly buf: Buffer
    private readonly off: Buffer
    /** Register writes issued. */
    writes = 0

    constructor(
        readonly io: ds.FootIo,
        readonly channels: number,
        options?: FootIoPortOptions
    ) {
        let batch = 2
        let keepAlive = 20
        if (options) {
            if (options.batch !== undefined) batch = options.batch
            if (options.keepAliveFrames !== undefined) keepAlive = options.keepAliveFrames
        }
        this.batcher = new FrameBatcher(channels, batch, keepAlive)
        this.buf = Buffer.alloc(batchSize(channels, batch))
        this.off = Buffer.alloc(batchSize(channels, 1))
    }

    async submit(f: Frame) {
        const b = this.batcher
        if (!b.add(f)) return
        // no board yet: drop the batch (the next one after it binds carries the current state)
        if (!this.io.isBound) {
            b.sent()
            return
        }
        const first = b.frames[0]
        encodeHeader(this.buf, b.count, first.index)
        for (let i = 0; i < b.count; i++) encodeRecord(this.buf, i, b.frames[i])
        this.writes++
        await this.io.frame.write(this.buf)
        b.sent()
    }

    async readTemperatures(raw: number[]): Promise<boolean> {
        if (!this.io.isBound) return false
        const buf = await this.io.temperatures.read()
        // control sensors of every pad, then protection sensors: 2 x channels u16
        const sensors = 2 * this.channels
        if (!buf) return false
        if (buf.length < 2 * sensors) return false
        for (let i = 0; i < sensors; i++) raw[i] = buf.getAt(2 * i, "u16")
        return true
    }

    async allOff() {
        if (!this.io.isBound) return
        const f = new Frame(this.channels)
        encodeHeader(this.off, 1, 0)
        encodeRecord(this.off, 0, f)
        this.writes++
        await this.io.frame.write(this.off)
    }
}
