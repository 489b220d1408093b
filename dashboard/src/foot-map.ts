/**
 * The live foot map: both feet, each with heel, arch, ball and toes, every zone coloured by its
 * vibration level and marked with its heater (a warm ring while on) and its temperature. The
 * displayed levels ease toward the latest values every animation frame, so the map moves
 * smoothly between telemetry samples without ever showing a level the device did not report.
 */
import { ZONE_NAMES } from "../../src/core"

const SVG = "http://www.w3.org/2000/svg"

/** Zone outlines of a left foot in a 100 x 220 box (toes at the top, heel at the bottom). */
const ZONE_PATHS = [
    // heel
    "M22 165 C22 150 78 150 78 165 L78 185 C78 215 22 215 22 185 Z",
    // arch
    "M20 110 C40 106 70 106 82 110 L78 160 C60 155 40 155 22 160 Z",
    // ball
    "M14 60 C40 54 72 54 90 60 L84 104 C64 100 40 100 20 104 Z",
    // toes
    "M16 52 C14 20 34 8 54 8 C78 8 94 22 90 52 C70 47 38 47 16 52 Z",
]

/** Label anchors per zone. */
const ZONE_CENTRES = [
    [50, 182],
    [51, 134],
    [52, 80],
    [53, 32],
]

/** What one zone shows. */
interface ZoneView {
    shape: SVGPathElement
    ring: SVGPathElement
    temp: SVGTextElement
    group: SVGGElement
    shown: number
    target: number
    heater: boolean
    tempC: number
}

/** Colour of a vibration level 0..255: from a pale grey-blue to a deep teal. */
export function levelColour(level: number): string {
    const t = Math.max(0, Math.min(1, level / 255))
    const from = [232, 238, 245]
    const to = [0, 110, 120]
    const c = from.map((f, i) => Math.round(f + (to[i] - f) * t))
    return `rgb(${c[0]},${c[1]},${c[2]})`
}

/** Builds and animates the map. */
export class FootMap {
    readonly element: SVGSVGElement
    private readonly zones: ZoneView[] = []
    private channels = 8
    private last = 0
    /** Animation frames that changed what the map shows (for the fps figure). */
    paints = 0
    /** Animation frames the map saw (changed or not). */
    ticks = 0
    /** Time of the first paint after each `show` (for the latency figure). */
    private pendingSince = -1
    /** Latest telemetry-to-screen latencies in ms. */
    readonly latencies: number[] = []
    /** Called when a zone is chosen (click, Enter or Space). */
    onZone: (zone: number) => void = () => {}

    constructor() {
        const svg = document.createElementNS(SVG, "svg")
        svg.setAttribute("viewBox", "0 0 240 230")
        svg.setAttribute("class", "foot-map")
        svg.setAttribute("role", "group")
        svg.setAttribute("aria-label", "Foot map: vibration and heat per zone")
        this.element = svg
        for (let foot = 0; foot < 2; foot++) {
            const g = document.createElementNS(SVG, "g")
            // the right foot is the left one mirrored
            g.setAttribute("transform", foot === 0 ? "translate(10,10)" : "translate(230,10) scale(-1,1)")
            const label = document.createElementNS(SVG, "text")
            label.textContent = foot === 0 ? "Left" : "Right"
            label.setAttribute("class", "foot-label")
            label.setAttribute("x", foot === 0 ? "10" : "230")
            label.setAttribute("y", "228")
            label.setAttribute("text-anchor", foot === 0 ? "start" : "end")
            svg.appendChild(g)
            svg.appendChild(label)
            for (let z = 0; z < 4; z++) {
                const zg = document.createElementNS(SVG, "g")
                zg.setAttribute("class", "zone")
                zg.setAttribute("role", "button")
                zg.setAttribute("tabindex", "0")
                zg.dataset.channel = "" + (foot * 4 + z)
                const ring = document.createElementNS(SVG, "path")
                ring.setAttribute("d", ZONE_PATHS[z])
                ring.setAttribute("class", "heat-ring")
                const shape = document.createElementNS(SVG, "path")
                shape.setAttribute("d", ZONE_PATHS[z])
                shape.setAttribute("class", "zone-shape")
                shape.setAttribute("fill", levelColour(0))
                zg.appendChild(ring)
                zg.appendChild(shape)
                g.appendChild(zg)
                const temp = document.createElementNS(SVG, "text")
                const [cx, cy] = ZONE_CENTRES[z]
                temp.setAttribute("x", "" + (foot === 0 ? 10 + cx : 230 - cx))
                temp.setAttribute("y", "" + (10 + cy))
                temp.setAttribute("text-anchor", "middle")
                temp.setAttribute("class", "zone-temp")
                temp.setAttribute("aria-hidden", "true")
                svg.appendChild(temp)
                const choose = () => this.onZone(z)
                zg.addEventListener("click", choose)
                zg.addEventListener("keydown", (e: KeyboardEvent) => {
                    if (e.key === "Enter" || e.key === " ") {
                        e.preventDefault()
                        choose()
                    }
                })
                this.zones.push({
                    shape,
                    ring,
                    temp,
                    group: zg,
                    shown: 0,
                    target: 0,
                    heater: false,
                    tempC: NaN,
                })
            }
        }
        this.updateLabels()
        requestAnimationFrame(t => this.tick(t))
    }

    /** Shows new values: levels 0..255, heater bits, temperatures (C or NaN) per channel. */
    show(levels: number[], heaters: number, tempsC: number[], receivedAt = performance.now()) {
        this.channels = levels.length
        for (let c = 0; c < 8; c++) {
            const z = this.zones[c]
            const present = c < levels.length
            z.group.style.opacity = present ? "1" : "0.25"
            z.target = present ? levels[c] : 0
            z.heater = present && ((heaters >> c) & 1) === 1
            z.tempC = present && tempsC ? tempsC[c] : NaN
            z.ring.classList.toggle("on", z.heater)
            z.temp.textContent = isNaN(z.tempC) ? "" : z.tempC.toFixed(1) + "°"
        }
        if (this.pendingSince < 0) this.pendingSince = receivedAt
        this.updateLabels()
    }

    /** Marks the zones whose focus differs from 100 % (applies to both feet). */
    showFocus(focus: number[]) {
        for (let c = 0; c < 8; c++) this.zones[c].group.classList.toggle("focused", focus[c % 4] !== 100)
    }

    /** Levels as shown right now (eased), rounded, per channel. */
    shownLevels(): number[] {
        return this.zones.slice(0, this.channels).map(z => Math.round(z.shown))
    }

    /** Levels last given to `show` (what the device reported). */
    targetLevels(): number[] {
        return this.zones.slice(0, this.channels).map(z => z.target)
    }

    private updateLabels() {
        this.zones.forEach((z, c) => {
            const foot = c < 4 ? "Left" : "Right"
            const zone = ZONE_NAMES[c % 4]
            const pct = Math.round((z.target / 255) * 100)
            const heat = z.heater ? "heater on" : "heater off"
            const temp = isNaN(z.tempC) ? "no temperature" : z.tempC.toFixed(1) + " °C"
            z.group.setAttribute(
                "aria-label",
                `${foot} ${zone}: vibration ${pct} %, ${heat}, ${temp}. Press to focus.`
            )
            z.group.dataset.level = "" + z.target
            z.group.dataset.heater = z.heater ? "1" : "0"
        })
    }

    private tick(now: number) {
        const dt = this.last ? Math.min(100, now - this.last) : 16
        this.last = now
        this.ticks++
        // ease with a 60 ms time constant: a new level shows within a frame and settles in ~200 ms
        const a = 1 - Math.exp(-dt / 60)
        let changed = false
        for (const z of this.zones) {
            const d = z.target - z.shown
            if (d === 0) continue
            z.shown = Math.abs(d) < 0.5 ? z.target : z.shown + d * a
            z.shape.setAttribute("fill", levelColour(z.shown))
            changed = true
        }
        if (changed) this.paints++
        if (this.pendingSince >= 0) {
            this.latencies.push(performance.now() - this.pendingSince)
            if (this.latencies.length > 200) this.latencies.shift()
            this.pendingSince = -1
        }
        requestAnimationFrame(t => this.tick(t))
    }
}
