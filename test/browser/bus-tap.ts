/**
 * A silent listener on the hub's bus for the browser tests: a loopback WebSocket client of /bus
 * (no Origin, like the simulator) that never sends, decodes every Jacdac frame and keeps what
 * the device did: each frame the firmware wrote to the board (Foot IO `frame` register, with
 * its frame index) and each telemetry report of the control service, with the time it arrived.
 * It is the test's own view of the device, independent of the page under test.
 */
import WebSocket from "ws"
import { Frame, decodeCount, decodeFirstIndex, decodeRecord } from "../../src/core"
import { Telemetry, decodeTelemetry } from "../../src/control/telemetry"

/** Service classes (services/*.md). */
export const SRV_FOOT_IO = 0x1f7a51c3
export const SRV_MASSAGER_CONTROL = 0x1c0a7e15
/** Set `frame` (0x80) on Foot IO; the `telemetry` (0x184) report of the control service. */
const CMD_SET_FRAME = 0x2080
const REPORT_TELEMETRY = 0x1184
const FLAG_COMMAND = 1

/** A frame the firmware sent to the board, with its full index (unwrapped from the u16). */
export interface TappedFrame {
    index: number
    levels: number[]
    heaters: number
    heaterPower: boolean
    /** Epoch ms (performance.timeOrigin + now) the write passed the hub. */
    at: number
}

/** A telemetry report as it passed the hub. */
export interface TappedTelemetry extends Telemetry {
    /** Epoch ms it passed the hub. */
    at: number
    /** The payload as hex: the key the page's paint log uses. */
    hex: string
}

/** Epoch ms with sub-ms resolution (comparable with a page's performance.timeOrigin + now). */
export function epochMs(): number {
    return performance.timeOrigin + performance.now()
}

/** The listener. */
export class BusTap {
    /** Every frame written to the board, by full index (a resent index is kept once). */
    readonly frames = new Map<number, TappedFrame>()
    readonly telemetry: TappedTelemetry[] = []
    /** Per device id: service class per service index, from its announce. */
    private readonly services = new Map<string, number[]>()
    private lastIndex = -1
    private readonly scratch = new Frame(8)

    private constructor(private readonly ws: WebSocket) {
        ws.on("message", (data: Buffer, binary: boolean) => {
            if (binary) this.onFrame(new Uint8Array(data))
        })
    }

    /** Connects to ws://127.0.0.1:PORT/bus. */
    static open(port: number): Promise<BusTap> {
        return new Promise((resolve, reject) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/bus`)
            ws.once("open", () => resolve(new BusTap(ws)))
            ws.once("error", reject)
        })
    }

    close() {
        this.ws.close()
    }

    /** Frames with index in [k0, k1], in order. */
    framesBetween(k0: number, k1: number): TappedFrame[] {
        return [...this.frames.values()]
            .filter(f => f.index >= k0 && f.index <= k1)
            .sort((a, b) => a.index - b.index)
    }

    /** Forgets what was recorded so far (after a VM restart frame indices start again at 0). */
    clear() {
        this.frames.clear()
        this.telemetry.length = 0
        this.lastIndex = -1
    }

    private serviceClass(device: string, index: number): number {
        const s = this.services.get(device)
        return s ? s[index] : undefined
    }

    private onFrame(b: Uint8Array) {
        if (b.length < 12) return
        const size = b[2]
        const flags = b[3]
        const device = Buffer.from(b.subarray(4, 12)).toString("hex")
        const end = Math.min(b.length, 12 + size)
        const at = epochMs()
        for (let p = 12; p + 4 <= end; ) {
            const n = b[p]
            const index = b[p + 1] & 0x3f
            const cmd = b[p + 2] | (b[p + 3] << 8)
            const data = b.subarray(p + 4, p + 4 + n)
            p += (4 + n + 3) & ~3
            if (!(flags & FLAG_COMMAND) && index === 0 && cmd === 0) {
                // an announce: service classes of services 1.. after the first u32
                const classes = [0]
                for (let i = 4; i + 4 <= data.length; i += 4)
                    classes.push(
                        (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0
                    )
                this.services.set(device, classes)
            } else if (flags & FLAG_COMMAND && cmd === CMD_SET_FRAME) {
                // the device id of a command is its destination: the board
                if (this.serviceClass(device, index) === SRV_FOOT_IO) this.onBatch(data, at)
            } else if (!(flags & FLAG_COMMAND) && cmd === REPORT_TELEMETRY) {
                if (this.serviceClass(device, index) !== SRV_MASSAGER_CONTROL) continue
                const t = decodeTelemetry(data)
                if (t) this.telemetry.push({ ...t, at, hex: Buffer.from(data).toString("hex") })
            }
        }
    }

    private onBatch(data: Uint8Array, at: number) {
        const channels = (data.length - 3) / data[0] - 3
        if (channels !== 8 && channels !== 4) return
        const f = channels === 8 ? this.scratch : new Frame(channels)
        const count = decodeCount(data, channels)
        if (count < 0) return
        const first = decodeFirstIndex(data)
        for (let i = 0; i < count; i++) {
            decodeRecord(data, i, f)
            const index = this.unwrap((first + i) & 0xffff)
            if (this.frames.has(index)) continue
            this.frames.set(index, {
                index,
                levels: f.levels.slice(),
                heaters: f.heaters,
                heaterPower: f.heaterPower,
                at,
            })
        }
    }

    /** The full index nearest the last one seen with these 16 low bits (a VM restart starts anew). */
    private unwrap(low: number): number {
        if (this.lastIndex < 0) return (this.lastIndex = low)
        let k = (this.lastIndex & ~0xffff) | low
        if (k < this.lastIndex - 32768) k += 65536
        else if (k > this.lastIndex + 32768) k -= 65536
        if (k > this.lastIndex) this.lastIndex = k
        return k
    }
}
