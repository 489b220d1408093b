import * as ds from "@devicescript/core"
import { ledColour } from "../core/panel/led"
import { Session } from "../core/session/session"

/**
 * The status LED: a one-pixel jacdac LED (served by the node simulator, so tests see it on the
 * bus; the runtime's own status light never reaches it). At every `update` (the panel's fiber
 * calls it every BUTTON_TICK_MS, within the 250 ms blink grid) it computes the
 * colour from the session (a pure function of state, heat, fault, lock and time) and writes the
 * pixel only when the colour changed (at most 4 writes a second while blinking, about none
 * while steady: the VM's packet budget belongs to the frames), and again when the LED's role
 * binds (a write before it binds is lost).
 */
export class StatusLed {
    private readonly pixel = Buffer.alloc(3)
    private shown = -1
    private wasBound = false

    constructor(
        readonly session: Session,
        readonly led: ds.Led
    ) {}

    /** Writes the colour of nowMs if it changed (or the role just bound). */
    async update(nowMs: number) {
        const bound = this.led.isBound
        if (bound) if (!this.wasBound) this.shown = -1
        this.wasBound = bound
        if (!bound) return
        const s = this.session
        const c = ledColour(s.state, s.heatLevel, s.activeFault, s.locked, nowMs)
        if (c === this.shown) return
        this.shown = c
        this.pixel.setAt(0, "u8", (c >> 16) & 255)
        this.pixel.setAt(1, "u8", (c >> 8) & 255)
        this.pixel.setAt(2, "u8", c & 255)
        await this.led.pixels.write(this.pixel)
    }
}
