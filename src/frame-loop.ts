import * as ds from "@devicescript/core"
import { FrameClock } from "./core/frame-clock"
import { FrameGuard } from "./core/frame-guard"
import { Scheduler } from "./core/scheduler"
import { HardwarePort } from "./hw/port"

/**
 * The frame loop: wakes at every frame period, computes the frame that is due (skipping, never
 * replaying, frames it woke too late for), lets every guard inspect it, and hands it to the
 * hardware port. Everything else (buttons, the control service, storage) runs in other fibers
 * and changes the scheduler's intent between frames.
 */
export class FrameLoop {
    readonly clock: FrameClock
    private readonly guards: FrameGuard[] = []
    private running = false
    /** Boot-relative ms of frame 0. */
    originMs = 0
    /** Frames computed. */
    frames = 0

    constructor(
        readonly scheduler: Scheduler,
        readonly port: HardwarePort
    ) {
        this.clock = new FrameClock(scheduler.periodMs)
    }

    /** Adds a guard that sees every frame (the safety supervisor). */
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

    /** Computes, guards and submits frame k. */
    async step(k: number, nowMs: number) {
        const f = this.scheduler.frame(k)
        for (let i = 0; i < this.guards.length; i++) this.guards[i].inspect(f, nowMs)
        this.frames++
        await this.port.submit(f)
    }

    /** Stops the loop after the current frame; the port turns every output off. */
    stop() {
        this.running = false
    }
}
