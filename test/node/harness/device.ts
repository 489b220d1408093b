/*
 * The test's own client of the device on a running stack's bus: a jacdac-ts bus on the hub's
 * /bus (a loopback node client, no Origin, as the simulator is) and the control service client
 * (test/node/control-client.ts) on it. It keeps every telemetry report and every event of the
 * control service with the time it arrived, and reads the fault register.
 */
import {
    DEVICE_ANNOUNCE,
    JDBus,
    JDDevice,
    JDService,
    PACKET_RECEIVE,
    Packet,
    REPORT_RECEIVE,
    createWebSocketBus,
    jdunpack,
} from "jacdac-ts"
import { WebSocket } from "ws"
import { Telemetry, decodeTelemetry } from "../../../src/control/telemetry"
import { loadProjectServices } from "../../../sim/runtime"
import { ControlClient, MASSAGER_CONTROL } from "../control-client"
import { ROOT } from "./stack"

/** Events of the control service (services/massager-control.md). */
export const EVENT_SESSION_STARTED = 0x80
export const EVENT_SESSION_ENDED = 0x81
export const EVENT_FAULT_LATCHED = 0x82

/** The fault register. */
const REG_FAULT = 0x183
const REG_TELEMETRY = 0x1184

/** A telemetry report and when it arrived (performance.now() of this process). */
export interface TimedTelemetry extends Telemetry {
    at: number
}

/** An event of the control service, deduplicated (the runtime sends each three times). */
export interface DeviceEvent {
    code: number
    data: Uint8Array
    at: number
    /** The device's event counter of it. */
    counter: number
}

/** The device seen from the bus. */
export class DeviceClient {
    readonly telemetry: TimedTelemetry[] = []
    readonly events: DeviceEvent[] = []
    control: ControlClient = null
    private service: JDService = null

    private constructor(readonly bus: JDBus) {
        // After a bus drop (or a restart) jacdac-ts forgets the device and makes a new one when it
        // announces again: follow it, as the dashboard does, so the client never listens to a
        // device that is gone.
        bus.on(DEVICE_ANNOUNCE, (dev: JDDevice) => {
            if (this.service && this.service.device.connected) return
            const s = dev.services({ serviceClass: MASSAGER_CONTROL })[0]
            if (s) this.bind(s)
        })
    }

    private bind(s: JDService) {
        if (s === this.service) return
        this.service = s
        this.control = new ControlClient(s)
        s.on(REPORT_RECEIVE, (pkt: Packet) => this.onReport(pkt))
        s.on(PACKET_RECEIVE, (pkt: Packet) => this.onPacket(pkt))
    }

    /** Joins the bus of the stack on `port` and waits for the control service. */
    static async open(port: number, timeoutMs = 20000): Promise<DeviceClient> {
        loadProjectServices(ROOT)
        if (typeof (globalThis as any).WebSocket === "undefined") (globalThis as any).WebSocket = WebSocket
        const d = new DeviceClient(createWebSocketBus({ url: `ws://127.0.0.1:${port}/bus` }))
        try {
            await d.bus.connect(true)
            await d.find(timeoutMs)
        } catch (e) {
            await d.close()
            throw e
        }
        return d
    }

    /**
     * Finds the control service (again, after a VM restart: a new device id) and listens to it.
     * Rejects when no device serves it within timeoutMs.
     */
    async find(timeoutMs: number, notOf: JDService = null): Promise<ControlClient> {
        const end = performance.now() + timeoutMs
        while (performance.now() < end) {
            const s = this.bus
                .services({ serviceClass: MASSAGER_CONTROL })
                .find(x => x !== notOf && x.device.connected)
            if (s) {
                this.bind(s)
                return this.control
            }
            await sleep(100)
        }
        throw new Error(`no massagerControl service on the bus in ${timeoutMs} ms`)
    }

    /** The service the client talks to now. */
    get current(): JDService {
        return this.service
    }

    private onReport(pkt: Packet) {
        if (pkt.device !== this.service.device) return
        const at = performance.now()
        if (pkt.serviceCommand === REG_TELEMETRY) this.telemetry.push({ ...decodeTelemetry(pkt.data), at })
    }

    /**
     * Events, deduplicated here: jacdac-ts drops an event whose counter runs ahead of the last
     * one it saw by 1 to 4 (waiting for retransmissions), which loses events of this device;
     * the same counter, code and payload within 2 s is one event sent again.
     */
    private onPacket(pkt: Packet) {
        if (!pkt.isEvent || !pkt.isReport || pkt.device !== this.service.device) return
        const at = performance.now()
        const hex = Buffer.from(pkt.data).toString("hex")
        const again = this.events.some(
            e =>
                e.counter === pkt.eventCounter &&
                e.code === pkt.eventCode &&
                at - e.at < 2000 &&
                Buffer.from(e.data).toString("hex") === hex
        )
        if (!again) this.events.push({ code: pkt.eventCode, data: pkt.data, at, counter: pkt.eventCounter })
    }

    /** The last telemetry report, or null. */
    last(): TimedTelemetry {
        return this.telemetry.length ? this.telemetry[this.telemetry.length - 1] : null
    }

    /** The fault_latched events since index `from` of `events`: [code, pad] each. */
    faultsLatched(from = 0): [number, number][] {
        return this.events
            .slice(from)
            .filter(e => e.code === EVENT_FAULT_LATCHED)
            .map(e => jdunpack(e.data, "u8 u8") as [number, number])
    }

    /** Reads the fault register afresh: [code, pad] (pad 255: all). */
    async readFault(): Promise<[number, number]> {
        const reg = this.service.register(REG_FAULT)
        if (!(await reg.refresh())) throw new Error("no answer to a read of the fault register")
        return reg.unpackedValue as [number, number]
    }

    /** Waits until the telemetry satisfies `ok`; rejects after timeoutMs. */
    async until(
        ok: (t: TimedTelemetry) => boolean,
        timeoutMs: number,
        what: string
    ): Promise<TimedTelemetry> {
        const end = performance.now() + timeoutMs
        while (performance.now() < end) {
            const t = this.last()
            if (t && ok(t)) return t
            await sleep(50)
        }
        throw new Error(`${what}: not seen in ${timeoutMs} ms; last telemetry ${JSON.stringify(this.last())}`)
    }

    /** Leaves the bus. Never throws. */
    async close() {
        try {
            await this.bus.stop()
        } catch {}
    }
}

function sleep(ms: number) {
    return new Promise(r => setTimeout(r, ms))
}
