/**
 * The pattern editor: the pattern's fields and, per zone, a keyframe track and a wave. The
 * core's validator checks it as it is typed; its error shows on the field it names. Preview
 * plays the core's own frames on the foot map; Upload sends it with progress; the device's
 * custom patterns are listed with a delete action.
 */
import { ZONE_NAMES, DEFAULT_CONFIG, validatePattern } from "../../src/core"
import { DeviceModel } from "./device-model"
import { el, field, uid } from "./dom"
import { PreviewResult, previewFrames } from "./preview"
import { Cmd, RESULT_OK } from "./protocol"
import { uploadPattern } from "./upload"

const SHAPES = ["", "sine", "triangle", "square", "pulse", "ramp"]

/** Parses "0:0.2, 1000:0.8" into keyframes; returns a string (kept for the validator to name) when malformed. */
export function parseKeyframes(text: string): any {
    const t = text.trim()
    if (!t) return undefined
    const out: number[][] = []
    for (const part of t.split(/[,;\n]+/)) {
        const m = /^\s*(-?[\d.]+)\s*[:=]\s*(-?[\d.]+)\s*$/.exec(part)
        if (!m) return t
        out.push([Number(m[1]), Number(m[2])])
    }
    return out
}

/** The editor. */
export class PatternEditor {
    readonly element: HTMLElement
    private model: DeviceModel = null
    private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>()
    private readonly errors = new Map<string, HTMLElement>()
    private readonly summary = el("p", { class: "editor-summary", "aria-live": "polite" })
    private readonly progress = el("progress", { max: 1, value: 0, "aria-label": "Upload progress" })
    private readonly customList = el("ul", { class: "custom-list" })
    private readonly uploadButton = el("button", { type: "button", text: "Upload to the massager" })
    private readonly previewButton = el("button", { type: "button", text: "Preview on the foot map" })
    private previewTimer = 0
    /** Plays preview frames on the map: set by the page. */
    onPreview: (frames: number[][] | null, periodMs: number) => void = () => {}

    constructor() {
        const general = el(
            "fieldset",
            {},
            el("legend", { text: "Pattern" }),
            this.input("pattern.id", "Id", "text", "my-pattern", "lowercase letters, digits and dashes"),
            this.input("pattern.name", "Name", "text", "My pattern"),
            this.input("pattern.description", "Description", "text", "A slow wave from heel to toes."),
            this.input("pattern.reason", "Why choose it", "text", "To unwind after a long day on your feet."),
            this.input("pattern.durationMs", "Duration (ms)", "number", "4000"),
            this.check("pattern.loop", "Loop", true),
            this.input("pattern.footOffsetMs", "Right foot offset (ms)", "number", "")
        )
        const zones = ZONE_NAMES.map((z, i) => {
            const p = "pattern.zones." + z
            return el(
                "fieldset",
                { class: "zone-editor" },
                el("legend", { text: z }),
                this.check(p + ".enabled", "Moves", true),
                this.input(p + ".level", "Level (0..1)", "number", "0.7"),
                this.input(p + ".keyframes", "Keyframes (ms:level, …)", "text", "", "e.g. 0:0.2, 2000:0.9"),
                this.select(p + ".ease", "Ease", ["", "linear", "smooth"]),
                this.input(p + ".delayMs", "Delay (ms)", "number", ""),
                this.select(p + ".wave.shape", "Wave", SHAPES, "sine"),
                this.input(p + ".wave.periodMs", "Wave period (ms)", "number", "4000"),
                this.input(p + ".wave.phase", "Wave phase (0..1)", "number", "" + [0, 0.75, 0.5, 0.25][i]),
                this.input(p + ".wave.depth", "Wave depth (0..1)", "number", ""),
                this.input(p + ".wave.duty", "Pulse duty", "number", "")
            )
        })
        this.uploadButton.addEventListener("click", () => this.upload())
        this.previewButton.addEventListener("click", () => this.preview())
        this.element = el(
            "section",
            { class: "editor card", "aria-labelledby": "editor-h" },
            el("h2", { id: "editor-h", text: "Pattern editor" }),
            el(
                "form",
                { class: "editor-form", novalidate: true, onsubmit: (e: Event) => e.preventDefault() },
                general,
                el("div", { class: "zones" }, ...zones)
            ),
            this.summary,
            el("div", { class: "buttons" }, this.previewButton, this.uploadButton),
            this.progress,
            el("h3", { text: "Custom patterns on the massager" }),
            this.customList
        )
        this.validate()
        this.setModel(null)
    }

    private input(path: string, label: string, type: string, value: string, hint?: string): HTMLElement {
        const i = el("input", { type, name: path, value, step: type === "number" ? "any" : undefined })
        i.addEventListener("input", () => this.validate())
        this.inputs.set(path, i)
        return this.wrap(path, label, i, hint)
    }

    private check(path: string, label: string, checked: boolean): HTMLElement {
        const i = el("input", { type: "checkbox", name: path, checked })
        i.addEventListener("change", () => this.validate())
        this.inputs.set(path, i)
        i.id = uid("c")
        const block = el("div", { class: "field check" }, i, el("label", { for: i.id, text: label }))
        this.errors.set(path, block.appendChild(el("span", { class: "error", hidden: true })))
        return block
    }

    private select(path: string, label: string, options: string[], value = ""): HTMLElement {
        const s = el("select", { name: path })
        for (const o of options) s.append(el("option", { value: o, text: o || "none" }))
        s.value = value
        s.addEventListener("change", () => this.validate())
        this.inputs.set(path, s)
        return this.wrap(path, label, s)
    }

    private wrap(path: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
        const block = field(label, control, hint)
        const err = el("span", { class: "error", id: uid("err"), hidden: true })
        control.setAttribute("aria-describedby", err.id)
        block.append(err)
        this.errors.set(path, err)
        return block
    }

    private val(path: string): string {
        return this.inputs.get(path).value.trim()
    }

    private num(path: string): any {
        const v = this.val(path)
        if (v === "") return undefined
        const n = Number(v)
        return isNaN(n) ? v : n
    }

    /** The PatternSpec the form describes (fields left empty are left out). */
    spec(): any {
        const p: any = {
            id: this.val("pattern.id"),
            name: this.val("pattern.name"),
            durationMs: this.num("pattern.durationMs"),
            loop: (this.inputs.get("pattern.loop") as HTMLInputElement).checked,
            zones: {},
        }
        if (this.val("pattern.description")) p.description = this.val("pattern.description")
        if (this.val("pattern.reason")) p.reason = this.val("pattern.reason")
        if (this.num("pattern.footOffsetMs") !== undefined) p.footOffsetMs = this.num("pattern.footOffsetMs")
        for (const z of ZONE_NAMES) {
            const b = "pattern.zones." + z
            if (!(this.inputs.get(b + ".enabled") as HTMLInputElement).checked) continue
            const zone: any = {}
            const level = this.num(b + ".level")
            if (level !== undefined) zone.level = level
            const kf = parseKeyframes(this.val(b + ".keyframes"))
            if (kf !== undefined) zone.keyframes = kf
            if (this.val(b + ".ease")) zone.ease = this.val(b + ".ease")
            if (this.num(b + ".delayMs") !== undefined) zone.delayMs = this.num(b + ".delayMs")
            const shape = this.val(b + ".wave.shape")
            if (shape) {
                zone.wave = { shape, periodMs: this.num(b + ".wave.periodMs") }
                for (const k of ["phase", "depth", "duty"]) {
                    const v = this.num(b + ".wave." + k)
                    if (v !== undefined) zone.wave[k] = v
                }
            }
            p.zones[z] = zone
        }
        return p
    }

    /** Runs the core's validator and marks the field its message names; returns the message or null. */
    validate(): string {
        const error = validatePattern(this.spec(), DEFAULT_CONFIG.framePeriodMs)
        for (const [path, e] of this.errors) {
            e.hidden = true
            e.textContent = ""
            this.inputs.get(path)?.removeAttribute("aria-invalid")
        }
        this.summary.textContent = error ? "Not valid yet: " + error : "The pattern is valid."
        this.summary.classList.toggle("bad", !!error)
        if (error) {
            const path = this.fieldOf(error)
            const e = this.errors.get(path)
            if (e) {
                e.textContent = error.slice(error.indexOf(":") + 1).trim()
                e.hidden = false
                this.inputs.get(path)?.setAttribute("aria-invalid", "true")
            }
        }
        this.uploadButton.disabled = !this.model
        return error
    }

    /** The form field a validator message names: its longest known path prefix. */
    fieldOf(error: string): string {
        let path = error.slice(0, error.indexOf(":"))
        path = path.replace(/\[\d+\](\[\d+\])?/g, "")
        while (path && !this.errors.has(path)) {
            if (this.errors.has(path + ".keyframes")) return path + ".keyframes"
            const cut = path.lastIndexOf(".")
            if (cut < 0) break
            path = path.slice(0, cut)
        }
        return path
    }

    /**
     * Frames k0..k1-1 of the pattern in the form, from a session's start with the device's
     * intensity and focus (as a start would play them now): the core's Preview.
     */
    previewResult(k0: number, k1: number): PreviewResult {
        const intent = this.model
            ? { intensity: this.model.state.intensity, focus: this.model.state.focus }
            : { intensity: 3, focus: [100, 100, 100, 100] }
        return previewFrames(this.spec(), k0, k1, intent)
    }

    /** Plays the pattern's first 10 seconds on the foot map (the core's frames). */
    preview() {
        clearTimeout(this.previewTimer)
        const periodMs = DEFAULT_CONFIG.framePeriodMs
        const r = this.previewResult(0, Math.round(10000 / periodMs))
        if (r.error) {
            this.validate()
            return
        }
        this.onPreview(r.frames, r.periodMs)
        this.previewTimer = window.setTimeout(() => this.onPreview(null, periodMs), 10000)
    }

    private async upload() {
        if (!this.model) return
        if (this.validate()) {
            this.inputs.get(this.fieldOf(this.summary.textContent.replace("Not valid yet: ", "")))?.focus()
            return
        }
        // the model of this device: the link may drop (or the device restart) during the upload
        const model = this.model
        this.uploadButton.disabled = true
        this.summary.textContent = "Uploading…"
        const r = await uploadPattern(
            model.client,
            JSON.stringify(this.spec()),
            f => (this.progress.value = f)
        )
        if (r.ok) {
            this.summary.textContent = "Uploaded. It is in the pattern list."
            if (model === this.model) await model.readPatterns()
        } else {
            const msg = r.message || r.result
            this.summary.textContent = "The massager refused it: " + msg
            // the validator's messages name their field; a taken built-in id is the id's
            const path = r.result === "BuiltIn" ? "pattern.id" : this.fieldOf(msg)
            const e = this.errors.get(path)
            if (e) {
                e.textContent = msg.slice(msg.indexOf(":") + 1).trim()
                e.hidden = false
                this.inputs.get(path)?.setAttribute("aria-invalid", "true")
            }
        }
        this.uploadButton.disabled = !this.model
    }

    /** Binds to a device (null when disconnected). */
    setModel(model: DeviceModel) {
        this.model = model
        this.uploadButton.disabled = !model
        this.renderCustom()
    }

    /** Lists the device's custom patterns, each with a delete button. */
    renderCustom() {
        const list = this.model ? this.model.state.patterns.filter(p => p.custom) : []
        this.customList.replaceChildren(
            ...(list.length
                ? list.map(p => {
                      const del = el("button", {
                          type: "button",
                          text: "Delete",
                          "aria-label": "Delete " + p.name,
                      })
                      del.addEventListener("click", async () => {
                          const model = this.model
                          if (!model) return
                          del.disabled = true
                          const a = await model.act(Cmd.DeletePattern, [p.id])
                          if (a.code !== RESULT_OK)
                              this.summary.textContent = "Not deleted: " + (a.message || a.result)
                          // (a new device model reads its own list)
                          if (model === this.model) await model.readPatterns()
                      })
                      return el("li", {}, el("span", { text: `${p.name} (${p.id})` }), del)
                  })
                : [el("li", { class: "hint", text: this.model ? "None yet." : "Connect to see them." })])
        )
    }
}
