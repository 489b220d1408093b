import * as ds from "@devicescript/core"
import { settings, writeSetting } from "@devicescript/settings"
import { decodeLatched, encodeLatched } from "./core/thermal/fault-codec"
import { FaultCode } from "./core/thermal/faults"
import { SafetySupervisor } from "./core/thermal/supervisor"

/** The setting that holds the latched heat faults (at most 13 characters). */
export const FAULTS_SETTING = "heatFaults"

/** How often the store looks for new latches or clears, ms: a restart loses at most this much. */
const SYNC_MS = 100

/**
 * The stored fault list as it is in flash: undefined when there is none, null when there is one
 * that is not JSON (torn or corrupt), else the parsed value. (`readSetting` would answer the
 * same default for both of the first two.)
 */
async function readStored(): Promise<any> {
    const pkt = await ds.actionReport(
        settings,
        "get",
        async () => await settings.get(FAULTS_SETTING),
        p => p.decode()[0] === FAULTS_SETTING
    )
    const fields = pkt.decode()
    const bytes: Buffer = fields[1]
    if (!bytes || !bytes.length) return undefined
    try {
        return JSON.parse(bytes.toString())
    } catch (e) {
        return null
    }
}

/**
 * Keeps the safety supervisor's latched faults in flash, so that a restart or a power cut
 * cannot clear them: only the user's deliberate clear does. `restore` runs at boot before any
 * heat; `run` saves whenever a fault latches or is cleared.
 */
export class FaultStore {
    private saved = -1
    private running = false

    constructor(readonly supervisor: SafetySupervisor) {}

    /**
     * Latches again what was latched when the device stopped. Stored data that cannot be read
     * latches FaultCode.RecordsLost: heat stays off until the user clears faults.
     */
    async restore() {
        let stored: any = null
        try {
            stored = await readStored()
        } catch (e) {
            stored = null
        }
        const faults = stored === undefined ? [] : decodeLatched(stored, this.supervisor.padCount)
        const now = ds.millis()
        if (!faults) {
            console.log("heat: the stored fault list is unreadable; heat stays off until faults are cleared")
            this.supervisor.restoreLatched(FaultCode.RecordsLost, -1, now, NaN)
            return
        }
        for (let i = 0; i < faults.length; i++)
            this.supervisor.restoreLatched(faults[i][0], faults[i][1], now, faults[i][2])
        // what was restored is what is stored: nothing to save until the next latch or clear
        this.saved = this.supervisor.changes
    }

    /** Saves the latched faults if they changed since the last save. */
    async sync() {
        const changes = this.supervisor.changes
        if (changes === this.saved) return
        await writeSetting(FAULTS_SETTING, encodeLatched(this.supervisor.records))
        this.saved = changes
    }

    /** Saves on every change until `stop`. */
    async run() {
        this.running = true
        while (this.running) {
            await this.sync()
            await ds.sleep(SYNC_MS)
        }
    }

    stop() {
        this.running = false
    }
}
