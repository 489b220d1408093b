/*
 * The whole simulated hardware in one object: the Foot IO board (motors, pads, thermistors) and
 * the front panel (buttons, status light), served from one simulated Jacdac device on a
 * WebSocket bus (the hub's /bus, or the devtools bus), stepped by the wall clock. The launcher,
 * `npm run sim` and the tests drive it through this API.
 */
import { JDBus, JDServerServiceProvider, createWebSocketBus } from "jacdac-ts"
import { WebSocket } from "ws"
import { DEFAULT_CONFIG, ZONES_PER_FOOT } from "../src/core"
import { PAD_FAULTS, PadFault, SimBoard } from "./board"
import { FootIoSimServer } from "./foot-io-server"
import { FrameLog } from "./frame-log"
import { SimPanel } from "./panel"

/** Physics step: 10 ms resolves the motors' 40 ms spin-up and half a 20 ms frame. */
export const STEP_MS = 10

/** The thermistors are reported unprompted at the firmware's sampling rate (src/heat-sampler.ts). */
export const REPORT_MS = 100

/** The room temperature of "hot room", C: above the 35 C where docs/heat-safety.md starts to worry. */
export const HOT_ROOM_C = 40

/** How the simulated hardware starts. */
export interface SimNodeOptions {
    /** The bus: ws://127.0.0.1:PORT/bus of the hub, or the devtools bus. */
    busUrl: string
    feet: number
    ambientC: number
    feetPresent: boolean
    faults: { pad: number; fault: PadFault }[]
    seed: number
}

/** What the board and panel are doing, for the status line, GET /sim/status and tests. */
export interface SimSnapshot {
    tMs: number
    channels: number
    writes: number
    frames: number
    duplicates: number
    malformed: number
    watchdog: "off" | "live"
    watchdogTrips: number
    levels: number[]
    heaters: number
    heaterPower: boolean
    padsC: number[]
    faults: PadFault[]
    ambientC: number
    powered: boolean
    led: { color: number; brightness: number }
    buttonsDown: string[]
    presses: number
    /** Time of the first frame the board played, ms since start; -1 before. */
    firstFrameMs: number
}

/** The simulated hardware on a bus. */
export class SimNode {
    readonly board: SimBoard
    readonly footIo: FootIoSimServer
    readonly panel = new SimPanel()
    readonly bus: JDBus
    /** The frames the board played lately (GET /sim/frames). */
    readonly frameLog = new FrameLog()
    private readonly t0 = performance.now()
    private readonly padFaults: PadFault[] = []
    private timers: NodeJS.Timeout[] = []
    private firstFrameMs = -1
    private brownoutTimer: NodeJS.Timeout = null
    private connected = false

    constructor(readonly options: SimNodeOptions) {
        const channels = options.feet * ZONES_PER_FOOT
        this.board = new SimBoard(channels, DEFAULT_CONFIG.framePeriodMs, options.ambientC, options.seed)
        this.board.setFeetPresent(options.feetPresent)
        for (let c = 0; c < channels; c++) this.padFaults.push("none")
        for (const f of options.faults) this.setFault(f.pad, f.fault)
        this.footIo = new FootIoSimServer(this.board, () => this.now())
        this.board.onPlay = (f, t) => this.frameLog.add(f, t)
        // node 20 has no WebSocket of its own; jacdac-ts takes the global one
        if (typeof (globalThis as any).WebSocket === "undefined") (globalThis as any).WebSocket = WebSocket
        this.bus = createWebSocketBus({ url: options.busUrl })
        this.bus.addServiceProvider(
            new JDServerServiceProvider("foot-massager-board", [this.footIo, ...this.panel.servers()])
        )
    }

    /** Milliseconds since the simulator started. */
    now(): number {
        return performance.now() - this.t0
    }

    /** Connects to the bus and starts the clock. */
    async start() {
        await this.bus.connect(true)
        this.connected = true
        this.timers.push(
            setInterval(() => {
                this.board.step(this.now())
                this.footIo.refresh()
                if (this.firstFrameMs < 0 && this.board.counters.frames > 0) this.firstFrameMs = this.now()
            }, STEP_MS),
            setInterval(() => {
                if (this.connected) this.footIo.stream()
            }, REPORT_MS)
        )
    }

    /** Stops the clock and leaves the bus. */
    async stop() {
        for (const t of this.timers) clearInterval(t)
        this.timers = []
        clearTimeout(this.brownoutTimer)
        await this.bus.stop()
        this.connected = false
    }

    /** Injects a fault on pad `pad` ("none" repairs it). Throws on a pad or fault that does not exist. */
    setFault(pad: number, fault: PadFault) {
        if (!Number.isInteger(pad) || pad < 0 || pad >= this.board.channels)
            throw new Error(`no pad ${pad}: pads are 0..${this.board.channels - 1}`)
        if (!PAD_FAULTS.includes(fault))
            throw new Error(`no fault ${fault}; faults: ${PAD_FAULTS.join(", ")}`)
        this.board.setFault(pad, fault)
        this.padFaults[pad] = fault
    }

    /** Repairs every pad. */
    clearFaults() {
        for (let c = 0; c < this.board.channels; c++) this.setFault(c, "none")
    }

    /** The fault on each pad. */
    faults(): PadFault[] {
        return this.padFaults.slice()
    }

    /** Sets the room temperature, C (-10..60). */
    setRoom(ambientC: number) {
        if (!Number.isFinite(ambientC) || ambientC < -10 || ambientC > 60)
            throw new Error(`room temperature ${ambientC} C is not -10..60`)
        this.board.setAmbient(ambientC)
    }

    /** A brownout: the power stage loses its supply for `ms` (every output off, frames ignored). */
    brownout(ms: number) {
        checkMs("brownout", ms)
        clearTimeout(this.brownoutTimer)
        this.board.setPowered(false)
        this.brownoutTimer = setTimeout(() => this.board.setPowered(true), ms)
    }

    /** Everything the status line and GET /sim/status show. */
    snapshot(): SimSnapshot {
        const b = this.board
        const c = b.counters
        return {
            tMs: Math.round(this.now()),
            channels: b.channels,
            writes: c.writes,
            frames: c.frames,
            duplicates: c.duplicates,
            malformed: c.malformed,
            watchdog: b.watchdogOff ? "off" : "live",
            watchdogTrips: c.watchdogTrips,
            levels: Array.from(b.output.levels),
            heaters: b.output.heaters,
            heaterPower: b.output.heaterPower,
            padsC: b.pads.map(p => Math.round(p.tempC * 10) / 10),
            faults: this.faults(),
            ambientC: b.ambientC,
            powered: b.isPowered,
            led: { color: this.panel.ledColor(), brightness: this.panel.ledBrightness() },
            buttonsDown: this.panel.down(),
            presses: this.panel.presses,
            firstFrameMs: Math.round(this.firstFrameMs),
        }
    }
}

function checkMs(what: string, ms: number) {
    if (!Number.isFinite(ms) || ms < 1 || ms > 600000)
        throw new Error(`${what} time ${ms} ms is not 1..600000`)
}

/** One status line of a snapshot: the board's levels, heaters and pad temperatures. */
export function formatStatus(s: SimSnapshot): string {
    const faults = s.faults.map((f, i) => (f === "none" ? "" : `${i}:${f}`)).filter(x => x)
    return (
        `t=${(s.tMs / 1000).toFixed(1)}s frames=${s.frames} levels=${s.levels.join(",")} ` +
        `heaters=0x${s.heaters.toString(16)} power=${s.heaterPower ? "on" : "cut"} ` +
        `pads=${s.padsC.map(t => t.toFixed(1)).join(" ")} C room=${s.ambientC} C ` +
        `led=#${s.led.color.toString(16).padStart(6, "0")} watchdog=${s.watchdog}` +
        (s.powered ? "" : " BROWNOUT") +
        (faults.length ? ` faults=${faults.join(",")}` : "") +
        (s.buttonsDown.length ? ` down=${s.buttonsDown.join(",")}` : "")
    )
}
