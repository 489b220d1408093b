/**
 * The session controls: start, pause, resume, stop, extend; pattern picker with the pattern's
 * name, description and reason; intensity; per-zone focus; heat level; session length; lock;
 * remaining time. Every control shows the device's reported state, never a guess: a change is
 * sent, and the control follows the device's answer and report.
 */
import { ZONE_NAMES, DEFAULT_TARGETS_C } from "../../src/core"
import { DeviceModel, DeviceState } from "./device-model"
import { el, field, minutesSeconds } from "./dom"
import { Cmd, RESULT_OK, STATE_NAMES, SessionState } from "./protocol"

const HEAT_NAMES = ["Off", "Low", "Medium", "High"]

/** The controls panel. */
export class Controls {
    readonly element: HTMLElement
    private model: DeviceModel = null
    private readonly all: (HTMLButtonElement | HTMLInputElement | HTMLSelectElement)[] = []
    private readonly stateText = el("output", { class: "state", "aria-live": "polite", text: "—" })
    private readonly remainingText = el("output", { class: "remaining", text: "—" })
    private readonly answer = el("p", { class: "answer", "aria-live": "polite" })
    private readonly start = this.button("Start", () => this.send(Cmd.Start, [0]))
    private readonly pause = this.button("Pause", () => this.send(Cmd.Pause))
    private readonly resume = this.button("Resume", () => this.send(Cmd.Resume))
    private readonly stop = this.button("Stop", () => this.send(Cmd.Stop))
    private readonly extend = this.button("Extend 5 min", () => this.send(Cmd.Extend, [5]))
    private readonly pattern = el("select", { name: "pattern" })
    private readonly patternAbout = el("div", { class: "pattern-about" })
    private readonly intensity = el("input", { type: "range", min: 1, max: 5, step: 1, name: "intensity" })
    private readonly intensityOut = el("output")
    private readonly heat = el("select", { name: "heat" })
    private readonly heatOut = el("small", { class: "hint" })
    private readonly minutes = el("select", { name: "minutes" })
    private readonly lock = el("input", { type: "checkbox", name: "lock" })
    private readonly focusZone = el("select", { name: "focus-zone" })
    private readonly focus = el("input", { type: "range", min: 0, max: 200, step: 10, name: "focus" })
    private readonly focusOut = el("output")
    private state: DeviceState = null

    constructor() {
        for (let i = 0; i < 4; i++)
            this.heat.append(
                el("option", { value: i, text: HEAT_NAMES[i] + (i ? ` (${DEFAULT_TARGETS_C[i]} °C)` : "") })
            )
        for (let m = 5; m <= 30; m += 5) this.minutes.append(el("option", { value: m, text: m + " min" }))
        ZONE_NAMES.forEach((z, i) => this.focusZone.append(el("option", { value: i, text: z })))
        this.all.push(
            this.pattern,
            this.intensity,
            this.heat,
            this.minutes,
            this.lock,
            this.focusZone,
            this.focus
        )
        this.pattern.addEventListener("change", () => this.send(Cmd.SetPattern, [this.pattern.value]))
        this.intensity.addEventListener("input", () => (this.intensityOut.textContent = this.intensity.value))
        this.intensity.addEventListener("change", () => this.send(Cmd.SetIntensity, [+this.intensity.value]))
        this.heat.addEventListener("change", () => this.send(Cmd.SetHeat, [+this.heat.value]))
        this.minutes.addEventListener("change", () => this.writeMinutes(+this.minutes.value))
        this.lock.addEventListener("change", () => this.send(Cmd.SetLock, [this.lock.checked ? 1 : 0]))
        // another zone: its own focus on the slider, even while the slider has the keyboard
        this.focusZone.addEventListener("change", () => {
            this.showZoneFocus()
            this.render()
        })
        this.focus.addEventListener("input", () => (this.focusOut.textContent = this.focus.value + " %"))
        this.focus.addEventListener("change", () => {
            const f = this.state.focus.slice()
            f[+this.focusZone.value] = +this.focus.value
            this.send(Cmd.SetFocus, f)
        })
        this.element = el(
            "section",
            { class: "controls card", "aria-labelledby": "controls-h" },
            el("h2", { id: "controls-h", text: "Session" }),
            el(
                "div",
                { class: "status-row" },
                el("span", {}, "State: ", this.stateText),
                el("span", {}, "Remaining: ", this.remainingText)
            ),
            el(
                "div",
                { class: "buttons", role: "group", "aria-label": "Session actions" },
                this.start,
                this.pause,
                this.resume,
                this.stop,
                this.extend
            ),
            this.answer,
            field("Pattern", this.pattern),
            this.patternAbout,
            el(
                "div",
                { class: "field" },
                el(
                    "label",
                    { for: (this.intensity.id = "intensity"), text: "Intensity " },
                    this.intensityOut
                ),
                this.intensity
            ),
            field("Heat", this.heat),
            this.heatOut,
            field("Session length", this.minutes, "Used by the next start."),
            el(
                "fieldset",
                { class: "focus" },
                el("legend", { text: "Focus a zone (or tap it on the map)" }),
                field("Zone", this.focusZone),
                el(
                    "div",
                    { class: "field" },
                    el("label", { for: (this.focus.id = "focus"), text: "Focus " }, this.focusOut),
                    this.focus
                )
            ),
            el(
                "div",
                { class: "field check" },
                this.lock,
                el("label", { for: (this.lock.id = "lock"), text: "Child lock (buttons on the device)" })
            )
        )
        this.setModel(null)
    }

    private button(text: string, onClick: () => void): HTMLButtonElement {
        const b = el("button", { type: "button", text })
        b.addEventListener("click", onClick)
        this.all.push(b)
        return b
    }

    /** Chooses a zone to focus (from the map) and moves the keyboard there. */
    chooseZone(zone: number) {
        if (!this.model) return
        this.focusZone.value = "" + zone
        this.showZoneFocus()
        this.render()
        this.focus.focus()
    }

    /** The chosen zone's focus on the slider (render leaves a slider in use alone). */
    private showZoneFocus() {
        const s = this.state
        if (!s) return
        const f = s.focus[+this.focusZone.value]
        this.focus.value = "" + f
        this.focusOut.textContent = f + " %"
    }

    /** Binds to a device (null: disconnected, every control disabled). */
    setModel(model: DeviceModel) {
        this.model = model
        this.state = model ? model.state : null
        this.render()
    }

    private async send(code: number, values: any[] = []) {
        if (!this.model) return
        this.answer.textContent = ""
        const model = this.model
        const a = await model.act(code, values)
        if (model !== this.model) return
        if (a.code !== RESULT_OK) this.answer.textContent = `Not done: ${a.message || a.result}`
        this.render()
    }

    private async writeMinutes(m: number) {
        // session_minutes has no command of its own: write the register; the device answers with write_result
        const model = this.model
        if (!model) return
        const reg = model.client.service.register(0x84)
        await reg.sendSetPackedAsync([m], false)
        if (model === this.model) model.client.refresh(0x84)
    }

    /** Shows the device's state in every control. */
    render() {
        const s = this.state
        const on = !!s
        for (const c of this.all) c.disabled = !on
        if (!s) {
            this.stateText.textContent = "not connected"
            this.remainingText.textContent = "—"
            return
        }
        const st = s.state
        this.stateText.textContent = STATE_NAMES[st] || "?"
        this.remainingText.textContent = s.remainingS ? minutesSeconds(s.remainingS) : "—"
        const running = st === SessionState.Running
        const paused = st === SessionState.Paused
        this.start.disabled = !(st === SessionState.Idle || st === SessionState.Off)
        this.pause.disabled = !running
        this.resume.disabled = !paused
        this.stop.disabled = !(running || paused)
        this.extend.disabled = !(running || paused)
        if (
            this.pattern.options.length !== s.patterns.length ||
            [...this.pattern.options].some((o, i) => o.value !== s.patterns[i].id)
        ) {
            this.pattern.replaceChildren(
                ...s.patterns.map(p =>
                    el("option", { value: p.id, text: p.name + (p.custom ? " (custom)" : "") })
                )
            )
        }
        if (document.activeElement !== this.pattern) this.pattern.value = s.pattern
        const p = s.patterns.find(x => x.id === s.pattern)
        this.patternAbout.replaceChildren(
            ...(p
                ? [
                      el("p", { class: "desc", text: p.description }),
                      el("p", { class: "reason" }, el("strong", { text: "Why: " }), p.reason),
                  ]
                : [])
        )
        if (document.activeElement !== this.intensity) {
            this.intensity.value = "" + s.intensity
            this.intensityOut.textContent = "" + s.intensity
        }
        this.heat.value = "" + s.heatLevel
        this.heatOut.textContent = s.faultCode ? "Heat is limited while a fault is latched." : ""
        this.minutes.value = "" + s.sessionMinutes
        this.lock.checked = s.lock
        if (document.activeElement !== this.focus) {
            const f = s.focus[+this.focusZone.value]
            this.focus.value = "" + f
            this.focusOut.textContent = f + " %"
        }
    }
}
