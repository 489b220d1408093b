/**
 * Usage history: sessions and minutes per week (newest first) as bars, and a gentle reminder
 * when a week has passed without a session.
 */
import { DeviceState } from "./device-model"
import { el } from "./dom"

/** Week number of a time (days since 1970-01-01 divided by 7), as the device counts. */
export function weekOf(ms: number): number {
    return Math.floor(ms / 86400000 / 7)
}

/** The reminder to show, or "" when none is due. */
export function reminder(s: DeviceState, nowMs: number): string {
    const weeks = s.usage.filter(w => w.week > 0 && w.sessions > 0)
    if (!s.clockSet) return ""
    const thisWeek = weekOf(nowMs)
    if (!weeks.length) return "No sessions yet. A short, gentle session once a week is a good start."
    const last = Math.max(...weeks.map(w => w.week))
    if (thisWeek - last >= 1)
        return "It has been a week or more since your last massage. A gentle 15 minutes might feel good."
    return ""
}

/** Renders the usage card. */
export class UsageView {
    readonly element: HTMLElement
    private readonly list = el("table", { class: "usage-table" })
    private readonly note = el("p", { class: "reminder", role: "status" })

    constructor() {
        this.element = el(
            "section",
            { class: "usage card", "aria-labelledby": "usage-h" },
            el("h2", { id: "usage-h", text: "Usage" }),
            this.note,
            this.list
        )
    }

    /** Shows the history (null: not connected). */
    render(s: DeviceState, nowMs: number) {
        if (!s) {
            this.note.textContent = ""
            this.list.replaceChildren(el("caption", { text: "Connect to see the history." }))
            return
        }
        this.note.textContent = reminder(s, nowMs)
        this.note.hidden = !this.note.textContent
        const max = Math.max(30, ...s.usage.map(w => w.minutes))
        const rows = s.usage.map(w => {
            const label =
                w.week === 0
                    ? "before the clock was set"
                    : "week of " + new Date(w.week * 7 * 86400000).toLocaleDateString()
            return el(
                "tr",
                {},
                el("th", { scope: "row", text: label }),
                el("td", { text: `${w.sessions} session${w.sessions === 1 ? "" : "s"}` }),
                el(
                    "td",
                    {},
                    el("span", { class: "bar", style: `width:${Math.round((w.minutes / max) * 100)}%` }),
                    ` ${w.minutes} min`
                )
            )
        })
        this.list.replaceChildren(
            el("caption", {
                text: rows.length
                    ? "Sessions and minutes per week, newest first"
                    : "No sessions recorded yet.",
            }),
            ...rows
        )
    }
}
