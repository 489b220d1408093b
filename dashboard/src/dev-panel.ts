/**
 * The developer panel (simulator only): injects and clears the simulator's pad faults through
 * the hub's fault endpoint (POST /sim/fault with {pad, fault}; fault "none" repairs the pad;
 * POST /sim/clear-faults repairs every pad). See docs/hub.md.
 */
import { el, field } from "./dom"

/** The simulator's pad faults (sim/board.ts PAD_FAULTS). */
export const SIM_FAULTS = [
    "sensor-open",
    "sensor-short",
    "sensor-detached",
    "heater-dead",
    "heater-half",
    "stuck-on",
]

/** Where the hub takes fault injections. */
export const FAULT_ENDPOINT = "sim/fault"

/** Asks the hub to set a pad's simulated fault; returns a line to show. */
export async function injectFault(pad: number, fault: string): Promise<string> {
    try {
        const r = await fetch(new URL(FAULT_ENDPOINT, location.href), {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ pad, fault }),
        })
        const text = await r.text()
        return r.ok
            ? fault === "none"
                ? `Pad ${pad}: simulated fault cleared.`
                : `Pad ${pad}: ${fault} injected.`
            : `The hub refused: ${r.status} ${text}`
    } catch (e: any) {
        return "The hub did not answer: " + (e && e.message ? e.message : e)
    }
}

/** The panel. */
export class DevPanel {
    readonly element: HTMLElement
    private readonly pad = el("select", { name: "sim-pad" })
    private readonly fault = el("select", { name: "sim-fault" })
    private readonly out = el("p", { "aria-live": "polite" })

    constructor() {
        for (let c = 0; c < 8; c++)
            this.pad.append(
                el("option", {
                    value: c,
                    text:
                        (c < 4 ? "left " : "right ") +
                        ["heel", "arch", "ball", "toes"][c % 4] +
                        ` (pad ${c})`,
                })
            )
        for (const f of SIM_FAULTS) this.fault.append(el("option", { value: f, text: f }))
        const inject = el("button", { type: "button", text: "Inject fault" })
        const clear = el("button", { type: "button", text: "Clear simulated fault" })
        inject.addEventListener(
            "click",
            async () => (this.out.textContent = await injectFault(+this.pad.value, this.fault.value))
        )
        clear.addEventListener(
            "click",
            async () => (this.out.textContent = await injectFault(+this.pad.value, "none"))
        )
        this.element = el(
            "details",
            { class: "dev-panel card" },
            el("summary", { text: "Developer panel (simulator)" }),
            el("p", {
                class: "hint",
                text: "Breaks the simulated hardware, to see what the device does. The device latches its own fault; clear that with the banner.",
            }),
            field("Pad", this.pad),
            field("Fault", this.fault),
            el("div", { class: "buttons" }, inject, clear),
            this.out
        )
    }

    /** Shown only while connected to the simulator. */
    setVisible(v: boolean) {
        this.element.hidden = !v
    }
}
