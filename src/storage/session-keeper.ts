import * as ds from "@devicescript/core"
import { Session } from "../core/session/session"
import { DEFAULT_PATTERN_ID, SessionSettings } from "../core/session/settings"
import { PatternCatalog } from "../control/catalog"
import { Storage } from "./index"
import { USER_SETTINGS_KEY, encodeUserSettings } from "./user-settings"

/** How often the keeper looks for changed settings, ms. */
const SAVE_CHECK_MS = 1000

/**
 * Restores the saved choices into the session at boot (never starting anything) with their
 * pattern (the default when the saved one is gone), then saves whenever they change.
 */
export class SessionKeeper {
    private savedJson = ""
    private seen = -1

    constructor(
        readonly session: Session,
        readonly storage: Storage,
        readonly catalog: PatternCatalog
    ) {}

    /** Restores the saved choices and pattern. */
    async restore() {
        const s = this.session
        const u = this.storage.settings
        s.restore(u, ds.millis())
        let id = DEFAULT_PATTERN_ID
        if (u.pattern) if (this.catalog.has(u.pattern)) id = u.pattern
        let p = await this.catalog.load(id)
        if (!p) {
            id = DEFAULT_PATTERN_ID
            p = await this.catalog.load(id)
        }
        if (p) s.restorePattern(id, p, ds.millis())
        this.savedJson = JSON.stringify(encodeUserSettings(s.settingsInto(new SessionSettings())))
        this.seen = s.changes
    }

    /** Saves the choices if they changed since the last save. */
    async sync() {
        const s = this.session
        if (s.changes === this.seen) return
        this.seen = s.changes
        const u = s.settingsInto(new SessionSettings())
        const json = JSON.stringify(encodeUserSettings(u))
        if (json === this.savedJson) return
        this.storage.settings = u
        if (await this.storage.save(USER_SETTINGS_KEY, encodeUserSettings(u))) this.savedJson = json
    }

    /** Saves on change, forever. */
    async run() {
        while (true) {
            try {
                await this.sync()
            } catch (e: any) {
                console.log("storage: settings: " + e.message)
            }
            await ds.sleep(SAVE_CHECK_MS)
        }
    }
}
