/*
 * A jacdac-ts client of the massager control service (services/massager-control.md), as a
 * third-party client would write it: commands go without ack, each with a seq, and are resent
 * until their answer (a report with the same seq) arrives; telemetry is cached as it streams.
 */
import { JDBus, JDService, Packet, REPORT_RECEIVE, jdpack, jdunpack } from "jacdac-ts"
import { Telemetry, decodeTelemetry } from "../../src/control/telemetry"
import { fletcher16 } from "../../src/storage/checksum"

/** The service class of massagerControl. */
export const MASSAGER_CONTROL = 0x1c0a7e15

const REG_TELEMETRY = 0x1184

/** A connected control service client. */
export class ControlClient {
    private seq = 1
    private waiting = new Map<string, (values: any[]) => void>()
    /** The last telemetry report. */
    telemetry: Telemetry = null
    telemetryCount = 0

    constructor(readonly service: JDService) {
        service.on(REPORT_RECEIVE, (pkt: Packet) => this.onReport(pkt))
    }

    private spec(name: string, kind: string): jdspec.PacketInfo {
        const s = this.service.specification
        const p = s.packets.find(p => p.name === name && (kind === "report" ? p.secondary : p.kind === kind))
        if (!p) throw new Error(`no ${kind} ${name}`)
        return p
    }

    private onReport(pkt: Packet) {
        if (pkt.serviceCommand === REG_TELEMETRY) {
            this.telemetry = decodeTelemetry(pkt.data)
            this.telemetryCount++
            return
        }
        if (pkt.serviceCommand >= 0x100 || pkt.data.length < 4) return
        const seq = pkt.data[0] | (pkt.data[1] << 8)
        const key = pkt.serviceCommand + ":" + seq
        const done = this.waiting.get(key)
        if (!done) return
        const s = this.service.specification
        const rep = s.packets.find(p => p.secondary && p.identifier === pkt.serviceCommand)
        this.waiting.delete(key)
        done(jdunpack(pkt.data, rep.packFormat))
    }

    /**
     * Sends command `name` with `values` after the seq; resends every 400 ms until answered
     * (at most 10 times). Returns the answer's fields: [seq, code, ...].
     */
    async call(name: string, ...values: any[]): Promise<any[]> {
        const cmd = this.spec(name, "command")
        const seq = this.seq++ & 0xffff || this.seq++
        const data = jdpack(cmd.packFormat, [seq, ...values])
        const key = cmd.identifier + ":" + seq
        const answer = new Promise<any[]>(resolve => this.waiting.set(key, resolve))
        for (let i = 0; i < 10; i++) {
            await this.service.sendPacketAsync(Packet.from(cmd.identifier, data), false)
            const got = await Promise.race([answer, new Promise<any[]>(r => setTimeout(() => r(null), 400))])
            if (got) return got
        }
        this.waiting.delete(key)
        throw new Error(`no answer to ${name}`)
    }

    /** Uploads a custom pattern's JSON in 200-byte chunks; returns the commit's answer (or a refusal). */
    async upload(json: string): Promise<any[]> {
        const bytes = Buffer.from(json, "utf8")
        const begin = await this.call("upload_begin", bytes.length, fletcher16(bytes, 0, bytes.length))
        if (begin[1] !== 0) return begin
        for (let off = 0; off < bytes.length; off += 200) {
            const a = await this.call(
                "upload_chunk",
                off,
                bytes.subarray(off, Math.min(bytes.length, off + 200))
            )
            if (a[1] !== 0) return a
        }
        return await this.call("upload_commit")
    }
}

/** Waits for the control service on `bus`. */
export async function findControl(bus: JDBus, timeoutMs: number): Promise<ControlClient> {
    const end = Date.now() + timeoutMs
    while (Date.now() < end) {
        const s = bus.services({ serviceClass: MASSAGER_CONTROL })[0]
        if (s) return new ControlClient(s)
        await new Promise(r => setTimeout(r, 200))
    }
    throw new Error("no massagerControl service on the bus")
}
