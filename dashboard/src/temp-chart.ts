/**
 * Pad temperatures over the session on a uPlot chart, one line per pad, with the heat level's
 * target as a dashed line. Keeps the last 15 minutes.
 */
import uPlot from "uplot"
import "uplot/dist/uPlot.min.css"
import { ZONE_NAMES } from "../../src/core"

const KEEP_S = 15 * 60
const COLOURS = ["#b3541e", "#d08c2b", "#5b8c2a", "#2a6f97", "#7b3f99", "#c2185b", "#00897b", "#546e7a"]

/** The chart and its data. */
export class TempChart {
    readonly element: HTMLElement
    private plot: uPlot = null
    private readonly xs: number[] = []
    private readonly pads: number[][] = []
    private readonly target: number[] = []
    private channels = 0
    private t0 = -1
    private dirty = false

    constructor() {
        this.element = document.createElement("div")
        this.element.className = "temp-chart"
        this.element.setAttribute("role", "img")
        this.element.setAttribute("aria-label", "Pad temperatures over time, with the target")
        new ResizeObserver(() => this.resize()).observe(this.element)
        setInterval(() => this.flush(), 500)
    }

    /** Adds a sample: the pads' temperatures (C or NaN) and the target (C, 0 = heat off). */
    add(tMs: number, tempsC: number[], targetC: number) {
        if (this.channels !== tempsC.length) this.build(tempsC.length)
        if (this.t0 < 0) this.t0 = tMs
        this.xs.push((tMs - this.t0) / 1000)
        tempsC.forEach((v, c) => this.pads[c].push(isNaN(v) ? null : v))
        this.target.push(targetC > 0 ? targetC : null)
        while (this.xs.length && this.xs[0] < this.xs[this.xs.length - 1] - KEEP_S) {
            this.xs.shift()
            this.target.shift()
            for (const p of this.pads) p.shift()
        }
        this.dirty = true
    }

    /** Empties the chart (a new connection). */
    clear() {
        this.xs.length = 0
        this.target.length = 0
        for (const p of this.pads) p.length = 0
        this.t0 = -1
        this.dirty = true
    }

    private build(channels: number) {
        this.channels = channels
        this.pads.length = 0
        for (let c = 0; c < channels; c++) this.pads.push([])
        this.plot?.destroy()
        const series: uPlot.Series[] = [{ label: "s" }]
        for (let c = 0; c < channels; c++)
            series.push({
                label: (channels > 4 ? (c < 4 ? "L " : "R ") : "") + ZONE_NAMES[c % 4],
                stroke: COLOURS[c],
                width: 1.5,
                value: (_u, v) => (v == null ? "–" : v.toFixed(1) + " °C"),
            })
        series.push({
            label: "target",
            stroke: "#c62828",
            dash: [6, 4],
            width: 2,
            value: (_u, v) => (v == null ? "off" : v + " °C"),
        })
        this.plot = new uPlot(
            {
                width: Math.max(280, this.element.clientWidth || 600),
                height: 220,
                series,
                scales: {
                    x: { time: false },
                    y: { range: (_u, lo, hi) => [Math.min(20, lo ?? 20), Math.max(46, hi ?? 46)] },
                },
                axes: [{ label: "seconds" }, { label: "°C" }],
                legend: { live: false },
            },
            [this.xs, ...this.pads, this.target] as any,
            this.element
        )
    }

    private resize() {
        if (this.plot) this.plot.setSize({ width: Math.max(280, this.element.clientWidth), height: 220 })
    }

    private flush() {
        if (!this.dirty || !this.plot) return
        this.dirty = false
        this.plot.setData([this.xs, ...this.pads, this.target] as any)
    }
}
