import * as ds from "@devicescript/core"
import { decodeLatched, encodeLatched } from "../core/safety/codec"
import { FaultCode, faultMessage } from "../core/safety/faults"
import { SafetySupervisor } from "../core/safety/supervisor"
import { MAX_VALUE_BYTES, readJson, writeJson } from "./kv"

/** The setting that holds the latched heat faults (at most 13 characters). */
export const FAULTS_SETTING = "heatFaults"

/** How often the store looks for new latches or clears, ms: a restart loses at most this much. */
const SYNC_MS = 100

/** What `restore` found. */
export const FAULTS_READ = 0
/** The stored list was there but unreadable (torn, corrupt, out of range). */
export const FAULTS_UNREADABLE = 1
/** No stored list: the store was wiped or reformatted, or the device was never provisioned. */
export const FAULTS_MISSING = 2

/**
 * The stored list cut to fit one setting: the codec puts the faults that cut all heat first and
 * then one per latched pad, so what is cut from the end are repeats on pads that keep another.
 */
function fitted(list: number[][]): number[][] {
    while (list.length > 1) {
        if (JSON.stringify(list).length <= MAX_VALUE_BYTES) break
        list.pop()
    }
    return list
}

/**
 * Keeps the safety supervisor's latched faults in flash, so that a restart or a power cut
 * cannot clear them: only the user's deliberate clear does; and prints each one once, with its
 * message. `restore` runs at boot before any
 * heat; `run` saves whenever a fault latches or is cleared.
 *
 * The list is always stored, also when empty (`[]`): a missing list never reads as "no faults".
 * The runtime reformats a corrupt store silently, erasing every key, so nothing kept in flash
 * can tell a first boot from a lost store: both latch FaultCode.RecordsLost, and heat stays off
 * until the user clears it once (docs/storage.md). `provision` stores the empty list (a factory
 * step, and the test rigs').
 */
export class FaultStore {
    private saved = -1
    /** The seq of the last fault record printed. */
    private reported = 0

    constructor(readonly supervisor: SafetySupervisor) {}

    /**
     * Latches again what was latched when the device stopped. Stored data that cannot be read
     * latches FaultCode.RecordsLost: heat stays off until the user clears faults.
     */
    async restore(): Promise<number> {
        let stored: any = null
        try {
            stored = await readJson(FAULTS_SETTING)
        } catch (e) {
            stored = null
        }
        let faults: number[][] = null
        if (stored !== undefined) faults = decodeLatched(stored, this.supervisor.padCount)
        const now = ds.millis()
        if (!faults) {
            let code = FAULTS_UNREADABLE
            let what = "the stored fault list is unreadable"
            if (stored === undefined) {
                code = FAULTS_MISSING
                what = "no stored fault list (first boot or a lost store)"
            }
            console.log("heat: " + what + "; heat stays off until faults are cleared")
            this.supervisor.restoreLatched(FaultCode.RecordsLost, -1, now, NaN)
            return code
        }
        for (let i = 0; i < faults.length; i++)
            this.supervisor.restoreLatched(faults[i][0], faults[i][1], now, faults[i][2])
        // what was restored is what is stored: nothing to save until the next latch or clear
        this.saved = this.supervisor.changes
        return FAULTS_READ
    }

    /** Stores an empty fault list: the device is known to have no faults (a factory step). */
    static async provision() {
        await writeJson(FAULTS_SETTING, [])
    }

    /**
     * Prints each fault latched since the last call, once, with its human message (the console
     * and `npm start` show them), then saves the latched faults if they changed since the last
     * save.
     */
    async sync() {
        const sup = this.supervisor
        const records = sup.records
        // records are in latch order (seq rising), old ones may have dropped out
        for (let i = 0; i < records.length; i++) {
            const r = records[i]
            if (r.seq <= this.reported) continue
            console.log(
                `heat fault ${r.code} on ${r.pad < 0 ? "all pads" : "pad " + r.pad}: ${faultMessage(r.code)}`
            )
            this.reported = r.seq
        }
        const changes = sup.changes
        if (changes === this.saved) return
        await writeJson(FAULTS_SETTING, fitted(encodeLatched(records)))
        this.saved = changes
    }

    /** Saves on every change, forever. */
    async run() {
        while (true) {
            try {
                await this.sync()
            } catch (e: any) {
                console.log("heat: the fault list could not be saved: " + e.message)
            }
            await ds.sleep(SYNC_MS)
        }
    }
}
