/**
 * A client of the control service on one device: commands with a sequence number that wait for
 * their answer, and the streamed telemetry, register reports and events as callbacks. The page's
 * only way to the device: it never touches any other service.
 */
import {
    JDService,
    Packet,
    REPORT_RECEIVE,
    jdunpack,
    loadServiceSpecifications,
    serviceSpecificationFromClassIdentifier,
} from "jacdac-ts"
import servicesJson from "../../.devicescript/services.json"
import {
    Cmd,
    Reg,
    RESULT_NAMES,
    RESULT_OK,
    SRV_MASSAGER_CONTROL,
    Telemetry,
    decodeTelemetry,
} from "./protocol"

let specsLoaded = false

/** Loads the project's service specs into jacdac-ts (needed to pack the control commands). */
export function loadProjectSpecs() {
    if (specsLoaded) return
    loadServiceSpecifications(servicesJson as any)
    specsLoaded = true
    if (!serviceSpecificationFromClassIdentifier(SRV_MASSAGER_CONTROL))
        throw new Error("the control service spec is missing from .devicescript/services.json")
}

/** The answer to a command: its result code and the rest of the report, unpacked. */
export interface Answer {
    code: number
    /** The result's name (Ok, OutOfRange, ...). */
    result: string
    /** The readable message of a refusal (the last string field), "" when none. */
    message: string
    /** Every field after seq and code, as the spec unpacks them. */
    fields: any[]
}

/** How long a command waits for its answer before it is sent again (once) or given up. */
const ANSWER_TIMEOUT_MS = 1200

interface Waiting {
    code: number
    seq: number
    resolve: (a: Answer) => void
}

/** Callbacks of a client. */
export interface ControlListener {
    telemetry?: (t: Telemetry, receivedAt: number) => void
    register?: (reg: number, values: any[]) => void
    event?: (code: number, values: any[]) => void
}

/** The control service of one device. */
export class ControlClient {
    private seq = 1 + Math.floor(Math.random() * 1000)
    private readonly waiting: Waiting[] = []
    private readonly formats = new Map<number, string>()
    private readonly listeners: ControlListener[] = []
    private readonly unsubscribe: () => void
    private closed = false

    constructor(readonly service: JDService) {
        loadProjectSpecs()
        const spec = serviceSpecificationFromClassIdentifier(SRV_MASSAGER_CONTROL)
        for (const p of spec.packets) {
            if (p.kind === "report" || p.kind === "ro" || p.kind === "rw" || p.kind === "event")
                this.formats.set(this.key(p.kind, p.identifier), p.packFormat)
        }
        const onReport = (pkt: Packet) => this.receive(pkt)
        service.on(REPORT_RECEIVE, onReport)
        this.unsubscribe = () => service.off(REPORT_RECEIVE, onReport)
    }

    private key(kind: string, id: number): number {
        return (kind === "report" ? 0x10000 : kind === "event" ? 0x20000 : 0x30000) + id
    }

    /** Adds callbacks; returns a function that removes them. */
    listen(l: ControlListener): () => void {
        this.listeners.push(l)
        return () => {
            const i = this.listeners.indexOf(l)
            if (i >= 0) this.listeners.splice(i, 1)
        }
    }

    /** Stops listening; pending commands resolve as not answered. */
    close() {
        this.closed = true
        this.unsubscribe()
        for (const w of this.waiting.splice(0))
            w.resolve({ code: -1, result: "NoAnswer", message: "the device went away", fields: [] })
    }

    /**
     * Sends a command (without ack: the device never acks) and resolves with its answer. When
     * none comes in time the same seq is sent once more (the device answers a resend from its
     * memory without running it again); a command never answered resolves with code -1.
     */
    async command(code: number, values: any[] = []): Promise<Answer> {
        if (this.closed) return { code: -1, result: "NoAnswer", message: "not connected", fields: [] }
        this.seq = (this.seq % 65535) + 1
        const seq = this.seq
        for (let attempt = 0; attempt < 2; attempt++) {
            const answer = new Promise<Answer>(resolve => {
                const w: Waiting = { code, seq, resolve }
                this.waiting.push(w)
                setTimeout(() => {
                    const i = this.waiting.indexOf(w)
                    if (i >= 0) {
                        this.waiting.splice(i, 1)
                        resolve(null)
                    }
                }, ANSWER_TIMEOUT_MS)
            })
            await this.service.sendCmdPackedAsync(code, [seq, ...values], false)
            const a = await answer
            if (a) return a
            if (this.closed) break
        }
        return { code: -1, result: "NoAnswer", message: "the device did not answer", fields: [] }
    }

    /** Asks the device to report a register now (the answer arrives through `listen`). */
    refresh(reg: number) {
        if (!this.closed) this.service.register(reg)?.sendGetAsync()
    }

    private receive(pkt: Packet) {
        const at = performance.now()
        if (pkt.isRegisterGet) {
            const reg = pkt.registerIdentifier
            if (reg === Reg.Telemetry) {
                const t = decodeTelemetry(pkt.data)
                if (t) for (const l of this.listeners) l.telemetry?.(t, at)
                return
            }
            const fmt = this.formats.get(this.key("ro", reg))
            if (!fmt) return
            let values: any[]
            try {
                values = jdunpack(pkt.data, fmt)
            } catch {
                return
            }
            for (const l of this.listeners) l.register?.(reg, values)
            return
        }
        if (pkt.isEvent) {
            this.receiveEvent(pkt)
            return
        }
        const fmt = this.formats.get(this.key("report", pkt.serviceCommand))
        if (!fmt || pkt.data.length < 4) return
        let values: any[]
        try {
            values = jdunpack(pkt.data, fmt)
        } catch {
            return
        }
        const [seq, code] = values
        const i = this.waiting.findIndex(w => w.code === pkt.serviceCommand && w.seq === seq)
        if (i < 0) return
        const w = this.waiting.splice(i, 1)[0]
        const fields = values.slice(2)
        const last = fields.length ? fields[fields.length - 1] : ""
        w.resolve({
            code,
            result: RESULT_NAMES[code] || "Result " + code,
            message: code !== RESULT_OK && typeof last === "string" ? last : "",
            fields,
        })
    }

    private receiveEvent(pkt: Packet) {
        const fmt = this.formats.get(this.key("event", pkt.eventCode))
        let values: any[] = []
        if (fmt)
            try {
                values = jdunpack(pkt.data, fmt)
            } catch {
                values = []
            }
        for (const l of this.listeners) l.event?.(pkt.eventCode, values)
    }
}

export { Cmd, Reg }
