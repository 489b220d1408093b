import * as ds from "@devicescript/core"
import { faultMessage } from "./core/thermal/faults"
import { SafetySupervisor } from "./core/thermal/supervisor"

/** How often new faults are looked for, ms. */
const POLL_MS = 200

/**
 * Prints every heat fault the supervisor latches, once, with its human message: until the
 * status LED and the dashboard show them, the console (and `npm start`) does.
 */
export class FaultReporter {
    private seen = 0
    private changes = -1
    private running = false

    constructor(readonly supervisor: SafetySupervisor) {}

    /** Prints the records latched since the last call. */
    report() {
        const s = this.supervisor
        if (s.changes === this.changes) return
        this.changes = s.changes
        const records = s.records
        // records may have dropped out at the front: count from the newest backwards
        let fresh = 0
        for (let i = records.length - 1; i >= 0 && records[i].seq > this.seen; i--) fresh++
        for (let i = records.length - fresh; i < records.length; i++) {
            const r = records[i]
            const where = r.pad < 0 ? "all pads" : "pad " + r.pad
            console.log(`heat fault ${r.code} on ${where}: ${faultMessage(r.code)}`)
            this.seen = r.seq
        }
    }

    /** Reports until `stop`. */
    async run() {
        this.running = true
        while (this.running) {
            this.report()
            await ds.sleep(POLL_MS)
        }
    }

    stop() {
        this.running = false
    }
}
