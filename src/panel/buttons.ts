import * as ds from "@devicescript/core"
import { BUTTON_COUNT, GestureRecognizer } from "../core/panel/gestures"

/** How often held buttons are looked at (long press, repeat, lock), ms. */
export const BUTTON_TICK_MS = 20

/**
 * The panel's buttons (ds.Button roles, in BUTTON_* order: power, mode, up, down, heat) fed
 * to the gesture recognizer: each down and up event as an edge with the time it arrived, and a
 * tick every BUTTON_TICK_MS for long presses, repeats and the lock chord.
 */
export class PanelButtons {
    private running = false

    constructor(
        readonly buttons: ds.Button[],
        readonly gestures: GestureRecognizer
    ) {
        if (buttons.length !== BUTTON_COUNT)
            throw new RangeError("the panel has " + BUTTON_COUNT + " buttons")
        // The down and up events are reports, and the runtime hands every report of a role to
        // its `_report` emitter (@devicescript/core's jacdac.ts, Role._onPacket). One small
        // emitter serves the five buttons: a subscription per button (`report().subscribe`) or
        // per event would keep an emitter and a wrapper each, about 250 B of heap apiece. A
        // repeated event is harmless: an edge sets the button's state.
        const self = this
        const reports = {
            emit: (pkt: ds.Packet) => {
                if (!pkt.isEvent) return
                const b = self.buttons.indexOf(pkt.role as ds.Button)
                const name = pkt.spec.name
                if (name === "down") self.edge(b, true)
                else if (name === "up") self.edge(b, false)
            },
        }
        for (let b = 0; b < buttons.length; b++) (buttons[b] as any)._report = reports
    }

    /** An edge of button b now (also what tests call to press without a bus). */
    edge(b: number, down: boolean) {
        this.gestures.edge(b, down, ds.millis())
    }

    /** Ticks the recognizer until `stop`. */
    async run() {
        this.running = true
        while (this.running) {
            this.gestures.tick(ds.millis())
            await ds.sleep(BUTTON_TICK_MS)
        }
    }

    stop() {
        this.running = false
    }
}
