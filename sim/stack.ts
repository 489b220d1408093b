/*
 * The whole simulated massager as `npm start` runs it: the hub (page + bus + control endpoint on
 * 127.0.0.1:PORT), the node hardware simulator joined to the hub's bus, and the firmware in the
 * DeviceScript VM joined to the same bus. Every way of poking it (the console, scenario files,
 * POST /sim/...) goes through `StackActions`.
 */
import { join } from "node:path"
import { PadFault } from "./board"
import { ControlResult, sendControlCommand } from "./control-client"
import { PlayedFrame } from "./frame-log"
import { controlRoutes } from "./hub/control-routes"
import { Hub } from "./hub/hub"
import { loadProjectServices } from "./runtime"
import { HOT_ROOM_C, SimNode, SimSnapshot } from "./sim-node"
import { VmProcess } from "./vm-process"

/** The room temperature when the room is not hot, C. */
export const NORMAL_ROOM_C = 22

/** How to start the stack. */
export interface StackOptions {
    root: string
    port: number
    /** The compiled firmware (a .devs file) or a .ts entry for `devs run`. */
    program: string
    feet: number
    ambientC: number
    feetPresent: boolean
    faults: { pad: number; fault: PadFault }[]
    seed: number
    /** Gets progress and log lines (hub refusals, the VM's output). */
    log: (line: string) => void
    /**
     * A factory step to run in the VM before the firmware (src/factory/provision.ts, compiled):
     * for a simulated device whose flash does not exist yet. Null: none.
     */
    provision?: string
}

/** Runs the factory step on the bus and waits for its verdict; throws when it fails. */
async function provision(o: StackOptions, busUrl: string) {
    let verdict = ""
    const vm = new VmProcess(o.root, o.provision, busUrl, line => {
        const m = /FAULTS (CLEARED|LEFT.*)/.exec(line)
        if (m) verdict = m[0]
    })
    vm.start()
    const t0 = Date.now()
    while (!verdict && Date.now() - t0 < 60000) await new Promise(r => setTimeout(r, 100))
    await vm.stop()
    if (verdict !== "FAULTS CLEARED")
        throw new Error(`the factory step failed: ${verdict || "no answer in 60 s"}`)
    o.log("sim: a new device: its flash provisioned (an empty heat fault list, the factory step)")
}

/** Everything a user, a scenario or the control endpoint can do to the simulated massager. */
export interface StackActions {
    press(button: string, ms?: number): Promise<void>
    setFault(pad: number, fault: PadFault): void
    clearFaults(): void
    setRoom(ambientC: number): void
    hotRoom(on: boolean): void
    busDrop(ms: number): void
    brownout(ms: number): Promise<void>
    restartVm(): Promise<void>
    control(command: string, args: unknown[]): Promise<ControlResult>
    status(): StackStatus
    /** The frames the board played after `sinceMs` (simulator time), at most the last `limit`. */
    frames(sinceMs: number, limit?: number): FramesAnswer
    /** The simulator's clock: ms since it started (the time of status, frames and presses). */
    simNow(): number
}

/** What GET /sim/frames answers. */
export interface FramesAnswer {
    /** The simulator's time of the answer, ms. */
    now: number
    /** Frames played since the simulator started. */
    total: number
    frames: PlayedFrame[]
}

/** The simulator's snapshot and what the hub and the VM are doing. */
export interface StackStatus extends SimSnapshot {
    busFrames: number
    busDropped: boolean
    busClients: number
    vmRunning: boolean
    vmStarts: number
    /** The VM process's id, or -1 while it is down. */
    vmPid: number
}

/** A running stack. */
export class Stack implements StackActions {
    private constructor(
        readonly hub: Hub,
        readonly sim: SimNode,
        readonly vm: VmProcess,
        private readonly log: (line: string) => void
    ) {}

    /**
     * Starts the hub, then the simulator on its bus, then the VM; reports each step to `log`.
     * Rejects (with nothing left running) when the port is taken or a part fails.
     */
    static async start(o: StackOptions): Promise<Stack> {
        loadProjectServices(o.root)
        let stack: Stack = null
        const hub = await Hub.start({
            port: o.port,
            root: o.root,
            log: o.log,
            control: controlRoutes(() => stack),
        })
        o.log(`hub: listening on ${hub.url} (bus ${hub.busUrl})`)
        let sim: SimNode = null
        try {
            sim = new SimNode({ ...o, busUrl: hub.busUrl })
            await sim.start()
            o.log(`sim: the board joined the bus (${sim.board.channels} channels, 5 buttons, status light)`)
            if (o.provision) await provision(o, hub.busUrl)
            const vm = new VmProcess(o.root, o.program, hub.busUrl, line => o.log(`vm: ${line}`))
            vm.onExit = code =>
                o.log(`vm: exited by itself (${code}); restart it with the console or POST /sim/restart`)
            stack = new Stack(hub, sim, vm, o.log)
            vm.start()
            o.log(`vm: started ${o.program}`)
            return stack
        } catch (e) {
            if (sim) await sim.stop().catch((): void => undefined)
            await hub.close()
            throw e
        }
    }

    /** Stops the VM, the simulator and the hub; resolves when every port is closed. */
    async stop() {
        await this.vm.stop()
        await this.sim.stop().catch((): void => undefined)
        await this.hub.close()
    }

    press(button: string, ms?: number): Promise<void> {
        return this.sim.panel.press(button, ms)
    }

    setFault(pad: number, fault: PadFault) {
        this.sim.setFault(pad, fault)
        this.log(`sim: pad ${pad} ${fault === "none" ? "repaired" : fault}`)
    }

    clearFaults() {
        this.sim.clearFaults()
        this.log("sim: every pad repaired")
    }

    setRoom(ambientC: number) {
        this.sim.setRoom(ambientC)
        this.log(`sim: room at ${ambientC} C`)
    }

    hotRoom(on: boolean) {
        this.setRoom(on ? HOT_ROOM_C : NORMAL_ROOM_C)
    }

    busDrop(ms: number) {
        if (!Number.isFinite(ms) || ms < 1 || ms > 600000)
            throw new Error(`bus drop time ${ms} ms is not 1..600000`)
        this.hub.dropBus(ms)
        this.log(`hub: bus dropped for ${ms} ms`)
    }

    /** The supply sags for `ms`: the power stage goes dark and the ESP32 resets (the VM restarts). */
    async brownout(ms: number) {
        this.sim.brownout(ms)
        this.log(`sim: brownout for ${ms} ms`)
        await this.vm.stop()
        setTimeout(() => this.vm.start(), ms)
    }

    async restartVm() {
        this.log("vm: restarting")
        await this.vm.restart()
    }

    async control(command: string, args: unknown[]): Promise<ControlResult> {
        const r = await sendControlCommand(this.sim.bus, command, args)
        this.log(`control: ${r.message}`)
        return r
    }

    frames(sinceMs: number, limit?: number): FramesAnswer {
        const log = this.sim.frameLog
        return { now: this.simNow(), total: log.total, frames: log.since(sinceMs, limit) }
    }

    simNow(): number {
        return Math.round(this.sim.now() * 10) / 10
    }

    status(): StackStatus {
        return {
            ...this.sim.snapshot(),
            busFrames: this.hub.counters.frames,
            busDropped: this.hub.dropped,
            busClients: this.hub.counters.clients,
            vmRunning: this.vm.running,
            vmStarts: this.vm.starts,
            vmPid: this.vm.pid,
        }
    }
}

/** Where `npm start` puts the compiled firmware (a copy, so other builds cannot change it). */
export function firmwarePath(root: string): string {
    return join(root, "build", "firmware", "main.devs")
}
