/**
 * The companion dashboard: connects (simulator through the hub, or a board over Web Serial),
 * shows what the device reports and sends what the person asks, through the control service
 * only. Figures for the notes are kept in `window.dashboardMetrics`.
 */
import "./style.css"
import { targetFor, DEFAULT_TARGETS_C } from "../../src/core"
import { Connection, LinkStatus, serialSupported } from "./connection"
import { ControlClient } from "./control-client"
import { Controls } from "./controls"
import { DevPanel } from "./dev-panel"
import { DeviceModel } from "./device-model"
import { el } from "./dom"
import { PatternEditor } from "./editor"
import { FaultBanner } from "./fault-banner"
import { FootMap } from "./foot-map"
import { Cmd, RESULT_OK, SessionState, Telemetry } from "./protocol"
import { TempChart } from "./temp-chart"
import { previewFrames } from "./preview"
import { UsageView } from "./usage"

/** Figures the browser tests read. */
const metrics = {
    /** ms from navigation start to the first telemetry painted on the map. */
    firstLiveFrameMs: -1,
    telemetryCount: 0,
    map: null as FootMap,
    /** The editor's preview function, for the test that compares it with the device. */
    preview: previewFrames,
    /** The preview of the pattern in the editor, as its Preview button computes it. */
    editorPreview: (k0: number, k1: number) => editor.previewResult(k0, k1),
    /**
     * The latest telemetry samples painted: each sample's key (telemetryKey) and the epoch ms
     * of the animation frame that first showed it (for the telemetry-to-screen latency).
     */
    painted: [] as { key: string; at: number }[],
    /** The device model (what the page knows of the device), null while disconnected. */
    device: (): DeviceModel => model,
    /** ms from navigation start to the end of the last full read of the device's state (-1 before). */
    readAllAt: -1,
    /** Times a control service client appeared (the first connect, then every reconnect). */
    clients: 0,
}
;(window as any).dashboardMetrics = metrics

const map = new FootMap()
const chart = new TempChart()
const controls = new Controls()
const editor = new PatternEditor()
const usage = new UsageView()
const dev = new DevPanel()
let model: DeviceModel = null
let previewing: { frames: number[][]; periodMs: number; start: number } = null

const statusText = el("span", {
    class: "link-text",
    role: "status",
    "aria-live": "polite",
    text: "Not connected.",
})
const statusDot = el("span", { class: "dot", "aria-hidden": "true" })
const simButton = el("button", { type: "button", text: "Connect simulator" })
const serialButton = el("button", { type: "button", text: "Connect board (USB)" })
const disconnectButton = el("button", { type: "button", text: "Disconnect" })
const mapCaption = el("p", { class: "map-caption", "aria-live": "off" })

const banner = new FaultBanner(async () => {
    if (!model) return "Not connected."
    const a = await model.act(Cmd.ClearFault)
    return a.code === RESULT_OK ? "Cleared." : "Not cleared: " + (a.message || a.result)
})

const connection = new Connection(onStatus, onClient)

function onStatus(s: LinkStatus) {
    statusText.textContent = s.text
    statusDot.className = "dot " + s.phase
    document.body.dataset.link = s.phase
    dev.setVisible(s.kind === "simulator" && s.phase === "ready")
    disconnectButton.disabled = s.phase === "disconnected"
}

function onClient(c: ControlClient) {
    model?.close()
    metrics.readAllAt = -1
    model = c ? new DeviceModel(c) : null
    controls.setModel(model)
    editor.setModel(model)
    chart.clear()
    renderAll("settings")
    if (!model) return
    metrics.clients++
    const m = model
    m.onChange(what => {
        if (m !== model) return
        renderAll(what)
    })
    m.readAll().then(() => {
        if (m === model) metrics.readAllAt = performance.now()
        renderAll("settings")
    })
}

function renderAll(what: string) {
    const s = model ? model.state : null
    if (what === "telemetry" && s && s.telemetry) {
        const t = s.telemetry
        metrics.telemetryCount++
        if (!previewing) map.show(t.levels, t.heaters, t.tempsC)
        const key = telemetryKey(t)
        requestAnimationFrame(() => {
            if (metrics.firstLiveFrameMs < 0) metrics.firstLiveFrameMs = performance.now()
            metrics.painted.push({ key, at: performance.timeOrigin + performance.now() })
            if (metrics.painted.length > 400) metrics.painted.shift()
        })
        chart.add(Date.now(), t.tempsC, targetFor(s.heatLevel, DEFAULT_TARGETS_C))
        mapCaption.textContent = previewing ? "Preview (the core's frames)" : "Live from the massager"
    }
    if (what === "patterns") editor.renderCustom()
    if (what === "usage" || what === "settings") usage.render(s, Date.now())
    banner.show(s ? s.faultCode : 0, s ? s.faultPad : 255, s && s.telemetry ? s.telemetry.channels : 8, !!s)
    if (s) map.showFocus(s.focus)
    controls.render()
    if (s) document.body.dataset.state = "" + s.state
}

/** A telemetry sample's identity: every field it carries (temperatures in 0.1 C). */
function telemetryKey(t: Telemetry): string {
    return [
        t.state,
        t.remainingS,
        t.heaters,
        t.levels.join(","),
        t.tempsC.map(c => Math.round(c * 10)).join(","),
    ].join("|")
}

map.onZone = z => controls.chooseZone(z)
editor.onPreview = (frames, periodMs) => {
    previewing = frames ? { frames, periodMs, start: performance.now() } : null
    mapCaption.textContent = frames ? "Preview (the core's frames)" : model ? "Live from the massager" : ""
}
// plays preview frames at their own pace
function playPreview() {
    if (previewing) {
        const k = Math.floor((performance.now() - previewing.start) / previewing.periodMs)
        if (k < previewing.frames.length) map.show(previewing.frames[k], 0, [])
        else editor.onPreview(null, previewing.periodMs)
    }
    requestAnimationFrame(playPreview)
}
requestAnimationFrame(playPreview)

simButton.addEventListener("click", () => connection.connectSimulator())
serialButton.addEventListener("click", () => connection.connectSerial())
disconnectButton.addEventListener("click", () => connection.close())
serialButton.disabled = !serialSupported()
if (!serialSupported()) serialButton.title = "This browser has no Web Serial"

document.getElementById("app").replaceChildren(
    el(
        "header",
        { class: "top" },
        el("h1", { text: "Foot massager" }),
        el(
            "div",
            { class: "link", "aria-label": "Connection" },
            statusDot,
            statusText,
            el("div", { class: "buttons" }, simButton, serialButton, disconnectButton)
        )
    ),
    banner.element,
    el(
        "main",
        { class: "grid" },
        el(
            "section",
            { class: "map card", "aria-labelledby": "map-h" },
            el("h2", { id: "map-h", text: "Your feet" }),
            map.element,
            mapCaption,
            el("p", {
                class: "legend hint",
                text: "Colour: vibration strength. Orange outline: heater on. Numbers: pad temperature.",
            })
        ),
        controls.element,
        usage.element,
        el(
            "section",
            { class: "chart card", "aria-labelledby": "chart-h" },
            el("h2", { id: "chart-h", text: "Pad temperatures" }),
            chart.element
        ),
        editor.element,
        dev.element
    )
)
metrics.map = map
onStatus(connection.status)
usage.render(null, Date.now())
// served by the hub: the simulator is on this origin's bus
if (location.protocol.startsWith("http") && new URLSearchParams(location.search).get("connect") !== "none")
    connection.connectSimulator()
// keep the remaining time ticking between reports
setInterval(() => {
    if (model && model.state.state === SessionState.Running) controls.render()
}, 1000)
