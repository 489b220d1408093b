/**
 * The fault banner: what went wrong (the core's message for the fault code), which pad, what
 * to do, and the clear action. An alert region, so a screen reader announces it.
 */
import { cutsAllHeat, faultMessage, channelName } from "../../src/core"
import { el } from "./dom"

/** What a person should do about a fault. */
export function faultAdvice(code: number): string {
    if (cutsAllHeat(code))
        return "Take your feet off the pads and let them cool. Massage still works; heat stays off until you clear the fault. If it comes back, stop using heat and contact support."
    return "Massage still works; this pad's heat stays off. Check that the pad lies flat and its cable is plugged in, then clear the fault. If it comes back, contact support."
}

/** Builds the banner; `show` fills or hides it. */
export class FaultBanner {
    readonly element: HTMLElement
    private readonly message = el("p", { class: "fault-message" })
    private readonly advice = el("p", { class: "fault-advice" })
    private readonly result = el("p", { class: "fault-result", "aria-live": "polite" })
    readonly clearButton = el("button", { type: "button", text: "Clear fault" })

    constructor(onClear: () => Promise<string>) {
        this.element = el(
            "section",
            { class: "fault-banner", role: "alert", "aria-label": "Heat fault", hidden: true },
            el("h2", { text: "Heat fault" }),
            this.message,
            this.advice,
            this.clearButton,
            this.result
        )
        this.clearButton.addEventListener("click", async () => {
            this.clearButton.disabled = true
            this.result.textContent = "Clearing…"
            this.result.textContent = await onClear()
            this.clearButton.disabled = false
        })
    }

    /** Shows the fault (code 0 hides the banner); pad 255 = all pads. */
    show(code: number, pad: number, channels: number, connected: boolean) {
        this.element.hidden = code === 0
        if (code === 0) {
            this.result.textContent = ""
            return
        }
        const where = pad === 255 ? "all pads" : channelName(pad, channels > 4 ? 2 : 1)
        this.message.textContent = faultMessage(code) + " (" + where + ")"
        this.advice.textContent = faultAdvice(code)
        this.clearButton.disabled = !connected
    }
}
