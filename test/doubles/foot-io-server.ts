import * as ds from "@devicescript/core"
import { Server } from "@devicescript/server"
import { Frame } from "../../src/core/frame/frame"
import { Bytes, decodeCount, decodeRecord } from "../../src/core/frame/wire"

/**
 * A Foot IO board served inside the VM: it decodes frame batches, drops frames it already
 * played, and keeps the newest frame. Used as the board in tests and benchmarks; on hardware
 * the same service is served by the board driver.
 */
export class FootIoServer extends Server implements ds.FootIoServerSpec {
    /** The newest frame played. */
    readonly current: Frame
    private readonly scratch: Frame
    private lastIndex = -1
    private raw: Buffer
    private readonly temps: Buffer
    /** Writes received, frames played, duplicate frames dropped, malformed writes refused. */
    writes = 0
    frames = 0
    duplicates = 0
    malformed = 0
    /** ds.millis() of the last frame played. */
    lastFrameAt = 0

    constructor(readonly channelCount: number) {
        super(ds.FootIo.spec)
        this.current = new Frame(channelCount)
        this.scratch = new Frame(channelCount)
        this.raw = Buffer.alloc(0)
        // two thermistors a pad: control sensors of every pad, then protection sensors
        this.temps = Buffer.alloc(4 * channelCount)
    }

    frame() {
        return this.raw
    }

    set_frame(value: Buffer) {
        this.writes++
        const bytes: Bytes = value
        const count = decodeCount(bytes, this.channelCount)
        if (count < 0) {
            this.malformed++
            return
        }
        this.raw = value
        for (let i = 0; i < count; i++) {
            decodeRecord(bytes, i, this.scratch)
            const idx = this.scratch.index
            // a packet delivered twice repeats the last frames played: drop an index equal to the
            // last one or up to 16 behind it; anything else (ahead, or a restarted loop) plays
            const behind = (this.lastIndex - idx) & 65535
            if (this.lastIndex >= 0 && behind <= 16) {
                this.duplicates++
            } else {
                this.current.copyFrom(this.scratch)
                this.lastIndex = idx
                this.frames++
                this.lastFrameAt = ds.millis()
            }
        }
    }

    temperatures() {
        return this.temps
    }

    /** Sets what the board reports for both of a pad's thermistors (raw 16-bit reading). */
    setTemperature(pad: number, raw: number) {
        this.setSensor(pad, raw)
        this.setSensor(this.channelCount + pad, raw)
    }

    /** Sets one thermistor's reading: sensor 0..channels-1 control, channels.. protection. */
    setSensor(sensor: number, raw: number) {
        this.temps.setAt(2 * sensor, "u16", raw)
    }

    channels() {
        return this.channelCount
    }
}
