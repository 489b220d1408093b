import { isWholeIn } from "../core/util/numbers"
import { writeJson } from "./kv"
import { loadStored } from "./user-settings"

/** The setting that holds the usage history. */
export const USAGE_KEY = "usage"

/** Weeks kept, newest first. */
export const MAX_USAGE_WEEKS = 8

/** Seconds in a week. */
export const WEEK_S = 7 * 24 * 3600

/** The week number of a unix time in seconds (days since 1970-01-01 / 7), or 0 when unknown. */
export function weekOf(unixS: number): number {
    if (!(unixS > 0)) return 0
    return Math.floor(unixS / WEEK_S)
}

/**
 * Sessions and minutes per week, for the once-a-week advice. Entries are [week, sessions,
 * minutes], newest first; week 0 holds sessions run before any client set the clock.
 */
export class UsageHistory {
    weeks: number[][] = []

    /** Counts a session started in `week`. */
    sessionStarted(week: number) {
        this.entry(week)[1]++
    }

    /** Adds massaged minutes to `week`. */
    addMinutes(week: number, minutes: number) {
        if (!(minutes > 0)) return
        const e = this.entry(week)
        e[2] = Math.min(65535, e[2] + Math.round(minutes))
    }

    private entry(week: number): number[] {
        for (let i = 0; i < this.weeks.length; i++) if (this.weeks[i][0] === week) return this.weeks[i]
        const e = [week, 0, 0]
        // newest first: insert by week number, drop the oldest past the bound
        this.weeks.push(e)
        for (let i = this.weeks.length - 1; i > 0; i--) {
            if (this.weeks[i - 1][0] >= week) break
            this.weeks[i] = this.weeks[i - 1]
            this.weeks[i - 1] = e
        }
        while (this.weeks.length > MAX_USAGE_WEEKS) this.weeks.pop()
        return e
    }
}

/**
 * The history from its stored form (empty when `v` is undefined: nothing stored), or null when it
 * is malformed or out of range. Never throws.
 */
export function decodeUsage(v: any): UsageHistory {
    const h = new UsageHistory()
    if (v === undefined) return h
    if (!Array.isArray(v)) return null
    if (v.length > MAX_USAGE_WEEKS) return null
    for (let i = 0; i < v.length; i++) {
        const e = v[i]
        if (!Array.isArray(e)) return null
        if (e.length !== 3) return null
        for (let j = 0; j < 3; j++) if (!isWholeIn(e[j], 0, 65535)) return null
        h.weeks.push([e[0], e[1], e[2]])
    }
    return h
}

/** Loads the history: [history, ok]; ok false when the stored one was unreadable (empty used). */
export async function loadUsage(): Promise<any[]> {
    return await loadStored(USAGE_KEY, decodeUsage, "the usage history is unreadable; it starts again")
}

/** Saves the history (8 weeks of 3 numbers stay well under the value limit). */
export async function saveUsage(h: UsageHistory) {
    await writeJson(USAGE_KEY, h.weeks)
}
