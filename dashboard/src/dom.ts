/** Tiny DOM helpers: elements with attributes and children, labelled fields. */

/** Creates an element with attributes (`text` sets textContent, `on*` adds a listener) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: { [k: string]: any } = {},
    ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag)
    for (const k of Object.keys(attrs)) {
        const v = attrs[k]
        if (v === undefined || v === null || v === false) continue
        if (k === "text") e.textContent = v
        else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v)
        else e.setAttribute(k, v === true ? "" : "" + v)
    }
    for (const c of children) e.append(c)
    return e
}

let nextId = 1

/** A unique id for label/for and aria-describedby. */
export function uid(prefix: string): string {
    return prefix + "-" + nextId++
}

/** A label and its control in one block; returns the block. */
export function field(labelText: string, control: HTMLElement, hint?: string): HTMLElement {
    if (!control.id) control.id = uid("f")
    const block = el("div", { class: "field" }, el("label", { for: control.id, text: labelText }), control)
    if (hint) block.append(el("small", { class: "hint", text: hint }))
    return block
}

/** Formats seconds as m:ss. */
export function minutesSeconds(s: number): string {
    const m = Math.floor(s / 60)
    const r = Math.floor(s % 60)
    return m + ":" + (r < 10 ? "0" : "") + r
}
