/*
 * The hub behind `npm start`: one node HTTP server on 127.0.0.1 that serves the dashboard page
 * and the Jacdac bus (a WebSocket at /bus) on one origin, plus the simulator's control endpoint
 * (/sim/...). It refuses what another web page or a DNS-rebinding name could send: see
 * sim/hub/guard.ts and docs/hub.md.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http"
import { Duplex } from "node:stream"
import { existsSync } from "node:fs"
import { join } from "node:path"
import sirv from "sirv"
import { WebSocket, WebSocketServer } from "ws"
import { MAX_FRAME_BYTES, frameRefusal, hostRefusal, originRefusal } from "./guard"

/** The hub's port unless told otherwise. */
export const DEFAULT_PORT = 8080

/** Handles the requests under /sim/ (after the hub has checked Host, peer and Origin). */
export type ControlHandler = (req: IncomingMessage, res: ServerResponse) => void

/** How to start a hub. */
export interface HubOptions {
    port: number
    /** The project folder: the page comes from dashboard/dist there, or the placeholder. */
    root: string
    /** Requests under /sim/ (the simulator's control endpoint); 404 without. */
    control?: ControlHandler
    /** Gets one line for every refusal and bus client that comes and goes. */
    log?: (line: string) => void
}

/** What the bus carried, for benchmarks and status. */
export interface BusCounters {
    /** Frames received from clients and passed on. */
    frames: number
    /** Frames thrown away while the bus was dropped. */
    dropped: number
    /** Connections and requests refused. */
    refused: number
    /** Clients on the bus now. */
    clients: number
}

/** The port is in use (another `npm start`, or another program). */
export class PortTakenError extends Error {
    constructor(readonly port: number) {
        super(
            `port ${port} on 127.0.0.1 is taken: is another \`npm start\` running? ` +
                `Stop it, or choose another port with --port N`
        )
    }
}

/** A running hub. */
export class Hub {
    readonly counters: BusCounters = { frames: 0, dropped: 0, refused: 0, clients: 0 }
    /** Gets every frame the bus carries (benchmarks). */
    onFrame: (frame: Uint8Array) => void = null
    private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
    private readonly page: (req: IncomingMessage, res: ServerResponse, next: () => void) => void
    private readonly clients = new Set<WebSocket>()
    private dropUntil = 0
    private nextClient = 1

    private constructor(
        readonly options: HubOptions,
        private readonly server: Server
    ) {
        this.page = sirv(pageFolder(options.root), {
            dev: false,
            etag: true,
            setHeaders: res => securityHeaders(res),
        })
        server.on("request", (req, res) => this.request(req, res))
        server.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head))
    }

    /** Starts a hub on 127.0.0.1:port; rejects with PortTakenError when the port is in use. */
    static start(options: HubOptions): Promise<Hub> {
        return new Promise((resolve, reject) => {
            const server = createServer()
            const hub = new Hub(options, server)
            server.once("error", (e: NodeJS.ErrnoException) =>
                reject(e.code === "EADDRINUSE" ? new PortTakenError(options.port) : e)
            )
            server.listen(options.port, "127.0.0.1", () => resolve(hub))
        })
    }

    /** The port it listens on. */
    get port(): number {
        return this.options.port
    }

    /** The page's address. */
    get url(): string {
        return `http://127.0.0.1:${this.port}/`
    }

    /** The bus's address. */
    get busUrl(): string {
        return `ws://127.0.0.1:${this.port}/bus`
    }

    /** Drops every frame on the bus for `ms` (the bus wire cut), then carries them again. */
    dropBus(ms: number) {
        this.dropUntil = Date.now() + ms
    }

    /** True while the bus is dropped. */
    get dropped(): boolean {
        return Date.now() < this.dropUntil
    }

    /** Closes every client and the server; resolves once the port is free. */
    close(): Promise<void> {
        for (const c of this.clients) c.terminate()
        this.clients.clear()
        this.wss.close()
        return new Promise(resolve => {
            this.server.close(() => resolve())
            this.server.closeAllConnections()
        })
    }

    private log(line: string) {
        if (this.options.log) this.options.log(line)
    }

    private refuse(why: string) {
        this.counters.refused++
        this.log(`hub: refused ${why}`)
    }

    private request(req: IncomingMessage, res: ServerResponse) {
        const badHost = hostRefusal(req.headers.host, this.port)
        if (badHost) {
            this.refuse(`${req.method} ${req.url}: ${badHost}`)
            return reply(res, 421, { error: badHost })
        }
        if (req.url === "/sim" || (req.url || "").startsWith("/sim/")) {
            const badOrigin = originRefusal(req.headers.origin, req.socket.remoteAddress, this.port)
            if (badOrigin) {
                this.refuse(`${req.method} ${req.url}: ${badOrigin}`)
                return reply(res, 403, { error: badOrigin })
            }
            if (!this.options.control) return reply(res, 404, { error: "no simulator on this hub" })
            return this.options.control(req, res)
        }
        if (req.method !== "GET" && req.method !== "HEAD")
            return reply(res, 405, { error: "the page is read only" })
        this.page(req, res, () => reply(res, 404, { error: `no ${req.url}` }))
    }

    private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
        const why =
            (new URL(req.url || "/", "http://x").pathname !== "/bus" ? `no WebSocket at ${req.url}` : null) ||
            hostRefusal(req.headers.host, this.port) ||
            originRefusal(req.headers.origin, req.socket.remoteAddress, this.port)
        if (why) {
            this.refuse(`WebSocket ${req.url}: ${why}`)
            socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
            socket.destroy()
            return
        }
        this.wss.handleUpgrade(req, socket, head, ws => this.join(ws, req.headers.origin))
    }

    private join(ws: WebSocket, origin: string | undefined) {
        const id = this.nextClient++
        this.clients.add(ws)
        this.counters.clients = this.clients.size
        this.log(`hub: bus client ${id} joined (${origin ? origin : "node, loopback"})`)
        ws.on("message", (data: Buffer, isBinary: boolean) => {
            const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            const bad = frameRefusal(frame, isBinary)
            if (bad) {
                this.refuse(`bus client ${id}: ${bad}`)
                ws.close(isBinary ? 1008 : 1003, bad.slice(0, 120))
                return
            }
            if (this.dropped) {
                this.counters.dropped++
                return
            }
            this.counters.frames++
            if (this.onFrame) this.onFrame(frame)
            for (const other of this.clients)
                if (other !== ws && other.readyState === WebSocket.OPEN) other.send(data, { binary: true })
        })
        ws.on("error", e => {
            // ws reports an oversize frame (close 1009) here before it closes
            this.refuse(`bus client ${id}: ${e.message}`)
        })
        ws.on("close", () => {
            this.clients.delete(ws)
            this.counters.clients = this.clients.size
            this.log(`hub: bus client ${id} left`)
        })
    }
}

/** The page's folder: the built dashboard (dashboard/dist) if there is one, else the placeholder. */
export function pageFolder(root: string): string {
    const dist = join(root, "dashboard", "dist")
    return existsSync(join(dist, "index.html")) ? dist : join(root, "sim", "hub", "placeholder")
}

/** Headers on every page response: no framing by other sites, no type sniffing, no referrer. */
function securityHeaders(res: ServerResponse) {
    res.setHeader("X-Content-Type-Options", "nosniff")
    res.setHeader("X-Frame-Options", "DENY")
    res.setHeader("Content-Security-Policy", "frame-ancestors 'none'")
    res.setHeader("Referrer-Policy", "no-referrer")
}

/** Sends a JSON reply. */
export function reply(res: ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body)
    securityHeaders(res)
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) })
    res.end(text)
}
