/*
 * Everything the device keeps in flash (@devicescript/settings): the user's last settings, custom
 * patterns, usage history and the latched heat faults. Every write goes through kv.ts, which
 * refuses a value the runtime could not read back. See docs/storage.md.
 */
import { SafetySupervisor } from "../core/safety/supervisor"
import { FAULTS_MISSING, FAULTS_READ, FaultStore } from "./fault-store"
import { PatternStore } from "./pattern-store"
import { SessionSettings } from "../core/session/settings"
import { USAGE_KEY, UsageHistory, decodeUsage } from "./usage-history"
import { USER_SETTINGS_KEY, decodeUserSettings, loadStored } from "./user-settings"
import { writeJson } from "./kv"

export * from "./blob-store"
export * from "./checksum"
export * from "./fault-store"
export * from "./kv"
export * from "./pattern-store"
export * from "./usage-history"
export * from "./user-settings"

/** storage_status bits (services/massager-control.md). */
export const STORE_SETTINGS = 1
export const STORE_PATTERNS = 2
export const STORE_USAGE = 4
export const STORE_FAULTS = 8
export const STORE_LOST = 16

/** Every store, loaded at boot; `status` has a bit per store that fell back to defaults. */
export class Storage {
    status = 0
    settings: SessionSettings = new SessionSettings()
    usage: UsageHistory = new UsageHistory()
    readonly patterns: PatternStore
    readonly faults: FaultStore

    constructor(supervisor: SafetySupervisor, framePeriodMs: number) {
        this.patterns = new PatternStore(framePeriodMs)
        this.faults = new FaultStore(supervisor)
    }

    /** Loads every store; the faults first, so that nothing can heat before they are latched. */
    async load() {
        this.status = 0
        const f = await this.faults.restore()
        if (f !== FAULTS_READ) this.status |= STORE_FAULTS
        if (f === FAULTS_MISSING) this.status |= STORE_LOST
        const s = await loadStored(
            USER_SETTINGS_KEY,
            decodeUserSettings,
            "the saved settings are unreadable; defaults are used"
        )
        this.settings = s[0]
        if (!s[1]) this.status |= STORE_SETTINGS
        const u = await loadStored(USAGE_KEY, decodeUsage, "the usage history is unreadable; it starts again")
        this.usage = u[0]
        if (!u[1]) this.status |= STORE_USAGE
        if ((await this.patterns.load()) > 0) this.status |= STORE_PATTERNS
    }

    /**
     * Saves `value` as JSON under `key` (USER_SETTINGS_KEY: encodeUserSettings(settings), USAGE_KEY:
     * usage.weeks); false (logged) when flash refused.
     */
    async save(key: string, value: any): Promise<boolean> {
        try {
            await writeJson(key, value)
            return true
        } catch (e: any) {
            console.log("storage: " + key + " not saved: " + e.message)
            return false
        }
    }
}
