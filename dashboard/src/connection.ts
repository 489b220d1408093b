/**
 * The page's link to a massager: the hub's WebSocket bus (the simulator) or Web Serial (a real
 * board). Finds the control service on the bus and hands out a ControlClient while it is there.
 * Reports every change of the link in plain words.
 */
import {
    CONNECTION_STATE,
    ConnectionState,
    DEVICE_ANNOUNCE,
    DEVICE_DISCONNECT,
    DEVICE_RESTART,
    ERROR,
    JDBus,
    JDDevice,
    Transport,
    createWebSerialTransport,
    createWebSocketBus,
    isWebSerialSupported,
} from "jacdac-ts"
import { ControlClient, loadProjectSpecs } from "./control-client"
import { SRV_MASSAGER_CONTROL } from "./protocol"

/** Where the page is connected. */
export type LinkKind = "simulator" | "serial"

/** The link's state, as the connection strip shows it. */
export interface LinkStatus {
    kind: LinkKind
    /** disconnected: nothing open; connecting; searching: the link is up, no massager found yet; ready. */
    phase: "disconnected" | "connecting" | "searching" | "ready"
    /** One line for the person: what is happening and, when it failed, what to do. */
    text: string
}

/** The hub's bus, on the page's own origin (the hub serves both). */
export function hubBusUrl(): string {
    const u = new URL("bus", location.href)
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:"
    u.search = ""
    u.hash = ""
    return u.href
}

/** True when this browser can open a serial port. */
export function serialSupported(): boolean {
    return isWebSerialSupported()
}

/**
 * One link at a time. `onStatus` hears every state change; `onClient` hears the control
 * service appear (a client) or go away (null).
 */
export class Connection {
    private bus: JDBus = null
    private transport: Transport = null
    private client: ControlClient = null
    private device: JDDevice = null
    status: LinkStatus = { kind: "simulator", phase: "disconnected", text: "Not connected." }

    constructor(
        private readonly onStatus: (s: LinkStatus) => void,
        private readonly onClient: (c: ControlClient) => void
    ) {
        // before any bus: jacdac-ts needs the custom specs as soon as it sees the device
        loadProjectSpecs()
    }

    /** The bus (for tests and the developer panel), null when none. */
    currentBus(): JDBus {
        return this.bus
    }

    /** Connects to the simulator through the hub's WebSocket bus; reconnects by itself. */
    async connectSimulator(url = hubBusUrl()) {
        await this.close()
        this.setStatus("simulator", "connecting", "Connecting to the simulator at " + url + "…")
        const bus = createWebSocketBus({ url, busOptions: { client: true } })
        this.attach(bus, "simulator")
    }

    /** Opens the Web Serial port picker (needs a click) and connects to the board on it. */
    async connectSerial() {
        await this.close()
        if (!serialSupported()) {
            this.setStatus(
                "serial",
                "disconnected",
                "This browser has no Web Serial: use Chrome or Edge on a desktop."
            )
            return
        }
        this.setStatus("serial", "connecting", "Choose the massager's USB port in the browser's list…")
        const bus = new JDBus([createWebSerialTransport()], { client: true })
        this.attach(bus, "serial")
        try {
            await bus.connect()
        } catch (e: any) {
            this.serialFailed(e)
        }
    }

    /** Closes the link. */
    async close() {
        const bus = this.bus
        this.bus = null
        this.transport = null
        this.dropClient()
        if (bus) {
            try {
                await bus.disconnect()
            } catch {}
            bus.dispose()
        }
        this.setStatus(this.status.kind, "disconnected", "Not connected.")
    }

    private attach(bus: JDBus, kind: LinkKind) {
        this.bus = bus
        this.transport = bus.transports[0]
        const transport = this.transport
        transport.on(CONNECTION_STATE, () => {
            if (this.bus !== bus) return
            const s = transport.connectionState
            if (s === ConnectionState.Connected) {
                this.setStatus(kind, "searching", "Connected; looking for the massager on the bus…")
                this.findService()
            } else if (s === ConnectionState.Connecting) {
                this.setStatus(
                    kind,
                    "connecting",
                    kind === "serial" ? "Opening the USB port…" : "Connecting to the simulator…"
                )
            } else if (s === ConnectionState.Disconnected) {
                this.dropClient()
                this.setStatus(
                    kind,
                    "disconnected",
                    kind === "serial"
                        ? "The board is disconnected (unplugged?). Plug it in and press Connect board."
                        : "The simulator is not reachable. Is `npm start` running? Retrying…"
                )
            }
        })
        transport.on(ERROR, (e: any) => {
            if (this.bus !== bus) return
            if (kind === "serial") this.serialFailed(e && e.exception ? e.exception : e)
        })
        bus.on(DEVICE_ANNOUNCE, () => this.findService())
        // a restarted massager (power cycle, crash) announces afresh: jacdac-ts builds new
        // services for it, so the client of the old ones is dropped and the page reads the
        // device's state again from the announce that follows
        bus.on(DEVICE_RESTART, (d: JDDevice) => {
            if (d === this.device) {
                this.dropClient()
                this.setStatus(kind, "searching", "The massager restarted; reading its state again…")
            }
        })
        bus.on(DEVICE_DISCONNECT, (d: JDDevice) => {
            if (d === this.device) {
                this.dropClient()
                this.setStatus(kind, "searching", "The massager went quiet; waiting for it to come back…")
                this.findService()
            }
        })
    }

    private serialFailed(e: any) {
        const name = e && e.name ? e.name : ""
        const why =
            name === "NotFoundError"
                ? "No port was chosen."
                : name === "SecurityError" || name === "NotAllowedError"
                  ? "The browser refused access to the port."
                  : name === "NetworkError" || name === "InvalidStateError"
                    ? "The port is busy: close devtools or any other program using it."
                    : "The port could not be opened" + (e && e.message ? ": " + e.message : ".")
        this.dropClient()
        this.setStatus("serial", "disconnected", why + " Press Connect board to try again.")
    }

    private findService() {
        if (!this.bus) return
        const services = this.bus.services({ serviceClass: SRV_MASSAGER_CONTROL })
        // still bound to a service the bus has: nothing to do
        if (this.client && services.includes(this.client.service)) return
        this.dropClient()
        if (!services.length) return
        const service = services[0]
        this.device = service.device
        this.client = new ControlClient(service)
        this.setStatus(
            this.status.kind,
            "ready",
            this.status.kind === "serial"
                ? "Connected to the massager over USB."
                : "Connected to the simulated massager."
        )
        this.onClient(this.client)
    }

    private dropClient() {
        if (!this.client) return
        this.client.close()
        this.client = null
        this.device = null
        this.onClient(null)
    }

    private setStatus(kind: LinkKind, phase: LinkStatus["phase"], text: string) {
        this.status = { kind, phase, text }
        this.onStatus(this.status)
    }
}
