import * as ds from "@devicescript/core"
import { FrameClock } from "./core/frame/clock"
import { FrameGuard } from "./core/frame/guard"
import { Scheduler } from "./core/scheduler/scheduler"
import { SafetySupervisor } from "./core/safety/supervisor"
import { HardwarePort } from "./hw/port"

/**
 * The frame loop: wakes at every frame period, computes the frame that is due (skipping, never
 * replaying, frames it woke too late for), lets every guard inspect it, then the safety
 * supervisor (always, last: it is a constructor argument, no loop runs without it), and hands
 * it to the hardware port. An exception anywhere in that path sends an all-off frame at once
 * and latches "firmware error" (all heat cut) in the supervisor; the loop goes on. Everything
 * else (buttons, the control service, storage) runs in other fibers and changes the
 * scheduler's intent between frames.
 */
export class FrameLoop {
    readonly clock: FrameClock
    private readonly guards: FrameGuard[] = []
    private running = false
    /** Boot-relative ms of frame 0. */
    originMs = 0
    /** Frames computed. */
    frames = 0
    /** Frames that failed (an exception) and went out all off instead. */
    errors = 0

    constructor(
        readonly scheduler: Scheduler,
        readonly port: HardwarePort,
        readonly supervisor: SafetySupervisor
    ) {
        if (!supervisor) throw new Error("the frame loop needs the safety supervisor")
        this.clock = new FrameClock(scheduler.periodMs)
    }

    /** Adds a guard that sees every frame before the safety supervisor does. */
    addGuard(g: FrameGuard) {
        this.guards.push(g)
    }

    /** The frame index due now (for intents that take effect at the next frame). */
    nextFrame(): number {
        return this.clock.indexAt(ds.millis()) + 1
    }

    /** Runs until `stop`; frame 0 is now. */
    async run() {
        this.running = true
        this.originMs = ds.millis()
        this.clock.start(this.originMs)
        while (this.running) {
            const now = ds.millis()
            const k = this.clock.due(now)
            if (k >= 0) await this.step(k, now)
            await ds.sleep(this.clock.msUntilNext(ds.millis()))
        }
        await this.port.allOff()
    }

    /**
     * Computes, guards and submits frame k. Any exception: an all-off frame goes out at once
     * (straight to the port, unbatched) and the supervisor latches "firmware error".
     */
    async step(k: number, nowMs: number) {
        this.frames++
        let failed = false
        try {
            const f = this.scheduler.frame(k)
            for (let i = 0; i < this.guards.length; i++) this.guards[i].inspect(f, nowMs)
            this.supervisor.inspect(f, nowMs)
            await this.port.submit(f)
        } catch (e) {
            failed = true
        }
        if (!failed) return
        this.errors++
        this.supervisor.firmwareError(nowMs)
        try {
            await this.port.allOff()
        } catch (e) {
            // the port itself failed: the board's 1 s watchdog turns every output off
        }
    }

    /** Stops the loop after the current frame; the port turns every output off. */
    stop() {
        this.running = false
    }
}
