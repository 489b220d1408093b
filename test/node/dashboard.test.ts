/**
 * The dashboard in Debian's Chromium (playwright-core) against the stack `npm start` runs: the
 * hub serving dashboard/dist, the firmware in the DeviceScript VM and the node simulator. One
 * stack and one browser for the whole file; the steps run in order and build on each other:
 * connect (and clear a latched fault the first boot leaves), start a session and see the map
 * play the device's levels, heat reaches the board, an injected fault shows the banner and the
 * board stops heating, an invalid pattern gets its field-level error (the page's and the
 * device's), a valid upload survives a VM restart, and the preview's frames equal the frames
 * the device sends the board, byte for byte. The device's side is seen by a silent listener on
 * the hub's bus (test/browser/bus-tap.ts) and the hub's /sim/status, never through the page.
 * Screenshots (desktop, phone) and the figures go to test-results/.
 *
 * Needs dashboard/dist (`npm run build:dashboard`, which `npm test` runs first) and
 * /usr/bin/chromium. Run under `flock /tmp/foot-bus.lock` (it starts a stack on port 18184).
 */
import { after, afterEach, before, test } from "node:test"
import assert from "node:assert/strict"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import type { BrowserContext, Locator, Page } from "playwright-core"
import { BusTap, TappedFrame, epochMs } from "../browser/bus-tap"
import { haveChromium, launch } from "../browser/browser"
import { ROOT, StackProcess } from "./harness/stack"

const PORT = 18184
const DIST = join(ROOT, "dashboard", "dist")
const RESULTS = join(ROOT, "test-results")
/** The custom pattern this test uploads (deleted again at the end). */
const CUSTOM_ID = "dash-test-wave"

let stack: StackProcess
let tap: BusTap
let context: BrowserContext
let page: Page
const pageErrors: string[] = []
const figures: Record<string, unknown> = {}
let initial: { intensity: number; heat: number; focus: number[]; pattern: string } = null

async function until(what: string, f: () => boolean | Promise<boolean>, ms = 15000): Promise<void> {
    const end = Date.now() + ms
    while (Date.now() < end) {
        assertNoCrash()
        if (await f()) return
        await new Promise(r => setTimeout(r, 50))
    }
    assert.fail("timed out waiting for " + what)
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** What the page's map shows as its targets (the last levels the device reported). */
function mapLevels(): Promise<number[]> {
    return page.evaluate(() => (globalThis as any).dashboardMetrics.map.targetLevels())
}

/** The session state the page shows. */
function shownState(): Promise<string> {
    return page.locator("output.state").innerText()
}

before(
    async () => {
        assert.ok(
            existsSync(join(DIST, "index.html")),
            "dashboard/dist is missing: run npm run build:dashboard"
        )
        assert.ok(haveChromium(), "/usr/bin/chromium is missing: apt-get install -y chromium")
        mkdirSync(RESULTS, { recursive: true })
        stack = await StackProcess.start(PORT)
        tap = await BusTap.open(PORT)
        context = await launch(1280, 1000)
        page = await context.newPage()
        page.on("pageerror", e => pageErrors.push(e.message))
    },
    { timeout: 180000 }
)

/** How much of the stack's output the crash check has read. */
let outputChecked = 0

/**
 * The firmware must never crash under the page: the VM restarts itself after a panic and the
 * page reconnects, which would hide it. Any PANIC or exception in the VM's output fails the
 * step that waits, and every step at its end.
 */
function assertNoCrash() {
    if (!stack) return
    const out = stack.output.slice(outputChecked)
    const at = out.search(/PANIC|Exception:/)
    if (at < 0) return
    outputChecked = stack.output.length
    assert.fail("the firmware crashed:\n" + out.slice(Math.max(0, at - 300), at + 1200))
}

afterEach(() => assertNoCrash())

after(
    async () => {
        // each step on its own: a browser that cannot close must not leave the stack running
        if (context) await context.close().catch((): void => undefined)
        if (tap) tap.close()
        if (stack) {
            await stack.stop()
            writeFileSync(join(RESULTS, "dashboard-stack.log"), stack.output)
        }
        writeFileSync(join(RESULTS, "dashboard-figures.json"), JSON.stringify(figures, null, 2))
        console.log("# dashboard figures " + JSON.stringify(figures))
    },
    { timeout: 60000 }
)

test(
    "connects, shows the device's state, and clears a fault latched at boot",
    { timeout: 60000 },
    async () => {
        const t0 = Date.now()
        await page.goto(`http://127.0.0.1:${PORT}/`)
        await page
            .getByRole("status")
            .filter({ hasText: "Connected to the simulated massager." })
            .waitFor({ timeout: 20000 })
        // the pattern list is the device's: every built-in (and whatever custom ones it keeps)
        const select = page.getByRole("combobox", { name: "Pattern", exact: true })
        await until("the pattern list", async () => (await select.locator("option").count()) >= 5)
        const listed = await select.locator("option").allInnerTexts()
        assert.ok(listed.includes("Kneading"), `no Kneading among ${listed}`)
        await until("telemetry painted", () =>
            page.evaluate(() => (globalThis as any).dashboardMetrics.firstLiveFrameMs > 0)
        )
        figures.firstLiveFrameMs = Math.round(
            await page.evaluate(() => (globalThis as any).dashboardMetrics.firstLiveFrameMs)
        )
        figures.connectWallMs = Date.now() - t0
        // a fresh flash (first boot, CI) latches "records lost": the banner says so, Clear clears it
        const s = await stack.until(x => x.vmRunning, 1000, "the VM")
        assert.ok(s.busClients >= 3, "the page is on the hub's bus")
        const banner = page.getByRole("alert", { name: "Heat fault" })
        await until("the device's state read", () =>
            page.evaluate(() => (globalThis as any).dashboardMetrics.readAllAt > 0)
        )
        console.log(`# connected and read in ${Date.now() - t0} ms`)
        if (await banner.isVisible()) {
            await banner.getByRole("button", { name: "Clear fault" }).click()
            await banner.waitFor({ state: "hidden", timeout: 10000 })
        }
        await until("Start enabled", () => page.getByRole("button", { name: "Start" }).isEnabled())
        assert.equal(await page.getByRole("button", { name: "Pause" }).isEnabled(), false)
        // what the device's settings were, to leave them so (the simulator's flash outlives the test)
        initial = await page.evaluate(() => {
            const st = (globalThis as any).dashboardMetrics.device().state
            return {
                intensity: st.intensity,
                heat: st.heatLevel,
                focus: st.focus.slice(),
                pattern: st.pattern,
            }
        })
        assert.match(await shownState(), /^(Off|Idle)$/)
    }
)

test("start: the foot map animates with the device's levels", { timeout: 60000 }, async () => {
    // the pattern the device has chosen (restored from its flash, or its default): choosing
    // one is step 6's, so these steps do not hang on a pattern load
    await until(
        "the chosen pattern described",
        async () => (await page.locator(".pattern-about .desc").count()) > 0
    )
    const startedAt = epochMs()
    await page.getByRole("button", { name: "Start" }).click()
    await until("Running shown", async () => (await shownState()) === "Running")
    await stack.until(s => s.levels.some(l => l > 0), 10000, "the board moving")
    // sample the map for 4 s: every level set it shows is one the device reported, and the
    // device reported what it sent the board; the map changes as the pattern plays
    const mapCounts = () =>
        page.evaluate(() => {
            const m = (globalThis as any).dashboardMetrics.map
            return { paints: m.paints, ticks: m.ticks, at: performance.now() }
        })
    const c0 = await mapCounts()
    const seen = new Set<string>()
    const t0 = Date.now()
    while (Date.now() - t0 < 4000) {
        const shown = await mapLevels()
        if (shown.some(l => l > 0)) {
            const key = shown.join(",")
            const reported = tap.telemetry.filter(t => t.at >= startedAt).map(t => t.levels.join(","))
            assert.ok(reported.includes(key), `the map shows ${key}, which the device never reported`)
            seen.add(key)
        }
        await sleep(90)
    }
    const c1 = await mapCounts()
    const seconds = (c1.at - c0.at) / 1000
    figures.mapFps = +((c1.paints - c0.paints) / seconds).toFixed(1)
    figures.animationFps = +((c1.ticks - c0.ticks) / seconds).toFixed(1)
    figures.telemetryPerS = +(
        tap.telemetry.filter(t => t.at >= startedAt + 1000).length /
        ((epochMs() - startedAt - 1000) / 1000)
    ).toFixed(2)
    assert.ok(seen.size >= 5, `the map showed only ${seen.size} different level sets in 4 s`)
    // telemetry carries the frames as they left for the board
    const sent = new Set([...tap.frames.values()].filter(f => f.at >= startedAt).map(f => f.levels.join(",")))
    const reported = tap.telemetry.filter(t => t.at >= startedAt && t.levels.some(l => l > 0))
    assert.ok(reported.length >= 10, `only ${reported.length} telemetry reports`)
    const unsent = reported.filter(t => !sent.has(t.levels.join(",")))
    assert.ok(unsent.length <= 1, `${unsent.length} reports carry levels never sent to the board`)
    // the zone's colour follows its level (the eased value settles on the target)
    const fills = await page
        .locator(".zone .zone-shape")
        .evaluateAll(els => els.map(e => e.getAttribute("fill")))
    assert.ok(new Set(fills).size > 1, "every zone has the same colour")
})

test("heat: the level chosen on the page heats at the board", { timeout: 60000 }, async () => {
    const padsBefore = (await stack.status()).padsC
    await page.getByRole("combobox", { name: "Heat", exact: true }).selectOption("2")
    await until("heat 2 at the device", async () => {
        assert.equal(await page.locator(".controls .answer").innerText(), "", "the device refused heat 2")
        return await page.evaluate(() => (globalThis as any).dashboardMetrics.device()?.state.heatLevel === 2)
    })
    await until(
        "heat 2 shown",
        async () => (await page.getByRole("combobox", { name: "Heat", exact: true }).inputValue()) === "2"
    )
    const s = await stack.until(x => x.heaterPower && x.heaters !== 0, 15000, "a heater on at the board")
    assert.ok(s.heaters !== 0)
    await until(
        "a heater ring on the map",
        async () => (await page.locator(".zone[data-heater='1']").count()) > 0
    )
    // the pads warm
    await stack.until(
        x => x.padsC.some((c, i) => c > padsBefore[i] + 0.3),
        20000,
        "a pad warming at the board"
    )
    // latency: each painted telemetry sample against the time it passed the hub
    await sleep(2500)
    const painted: { key: string; at: number }[] = await page.evaluate(
        () => (globalThis as any).dashboardMetrics.painted
    )
    const lat: number[] = []
    // (samples of a running session: each differs from the one before, so a key is unique)
    for (const t of tap.telemetry.filter(x => x.state === 2)) {
        const key = [
            t.state,
            t.remainingS,
            t.heaters,
            t.levels.join(","),
            t.tempsC.map(c => Math.round(c * 10)).join(","),
        ].join("|")
        const p = painted.find(x => x.key === key && x.at >= t.at - 1)
        if (p) lat.push(p.at - t.at)
    }
    lat.sort((a, b) => a - b)
    assert.ok(lat.length >= 10, `only ${lat.length} telemetry samples matched a paint`)
    figures.latencySamples = lat.length
    figures.latencyMedianMs = +lat[Math.floor(lat.length / 2)].toFixed(1)
    figures.latencyP95Ms = +lat[Math.floor(lat.length * 0.95)].toFixed(1)
    figures.latencyMaxMs = +lat[lat.length - 1].toFixed(1)
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0))
    // the map, the controls and the chart: the README's picture
    await page.screenshot({
        path: join(RESULTS, "dashboard-desktop.png"),
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: 1340 },
    })
    await page.screenshot({ path: join(RESULTS, "dashboard-desktop-full.png"), fullPage: true })
})

test(
    "fault: the banner shows, the board stops heating, Clear brings heat back",
    { timeout: 60000 },
    async () => {
        await page.getByText("Developer panel (simulator)").click()
        await page.getByRole("combobox", { name: "Pad", exact: true }).selectOption("1")
        await page.getByRole("combobox", { name: "Fault", exact: true }).selectOption("sensor-open")
        await page.getByRole("button", { name: "Inject fault" }).click()
        // the page asked the hub (with its own Origin): the simulator has the fault
        await stack.until(s => s.faults[1] === "sensor-open", 5000, "the fault at the simulator")
        const banner = page.getByRole("alert", { name: "Heat fault" })
        await banner.waitFor({ state: "visible", timeout: 15000 })
        // in sight though the page is scrolled down to the developer panel
        const inView = await banner.evaluate(e => {
            const r = e.getBoundingClientRect()
            return (
                r.top >= 0 && r.bottom <= (globalThis as any).innerHeight && (globalThis as any).scrollY > 0
            )
        })
        assert.ok(inView, "the banner is out of sight")
        const text = await banner.innerText()
        assert.match(text, /left arch/i, text)
        assert.match(text, /Clear fault/)
        // heat stops at the board and stays off
        await stack.until(s => s.heaters === 0, 10000, "heaters off at the board")
        const t0 = Date.now()
        while (Date.now() - t0 < 2000) {
            const s = await stack.status()
            assert.equal(s.heaters, 0, "a heater came back on during the fault")
            await sleep(100)
        }
        await until(
            "no heater on the map",
            async () => (await page.locator(".zone[data-heater='1']").count()) === 0
        )
        await page.screenshot({ path: join(RESULTS, "dashboard-fault.png") })
        // clearing while the sensor is still open does not stick: the device refuses, or the
        // fault latches again at the next sample
        await banner.getByRole("button", { name: "Clear fault" }).click()
        await sleep(3000)
        await banner.waitFor({ state: "visible", timeout: 5000 })
        assert.equal((await stack.status()).heaters, 0)
        // repair the pad in the simulator, then the device clears
        await page.getByRole("button", { name: "Clear simulated fault" }).click()
        await stack.until(s => s.faults[1] === "none", 5000, "the pad repaired")
        await banner.getByRole("button", { name: "Clear fault" }).click()
        await banner.waitFor({ state: "hidden", timeout: 10000 })
        await until("Start enabled again", () => page.getByRole("button", { name: "Start" }).isEnabled())
    }
)

test("an invalid pattern: the error sits on the field it names", { timeout: 60000 }, async () => {
    const period = page.locator("input[name='pattern.zones.heel.wave.periodMs']")
    await period.fill("30")
    await until(
        "aria-invalid on the period",
        async () => (await period.getAttribute("aria-invalid")) === "true"
    )
    const err = page.locator("#" + (await period.getAttribute("aria-describedby")))
    assert.match(await err.innerText(), /\S/)
    assert.ok(await err.isVisible())
    // Upload does not send it: it moves the keyboard to the field
    await page.getByRole("button", { name: "Upload to the massager" }).click()
    await until("focus on the period", () =>
        period.evaluate(e => e === (globalThis as any).document.activeElement)
    )
    await period.fill("4000")
    await until("valid again", async () => (await period.getAttribute("aria-invalid")) === null)
    // a pattern only the device can refuse: a built-in's id; its message lands on the id field
    const id = page.locator("input[name='pattern.id']")
    await id.fill("kneading")
    await page.getByRole("button", { name: "Upload to the massager" }).click()
    await until(
        "the device's refusal on the id",
        async () => (await id.getAttribute("aria-invalid")) === "true"
    )
    const idErr = page.locator("#" + (await id.getAttribute("aria-describedby")))
    assert.match(await idErr.innerText(), /built-in/)
})

/** The form's pattern for the upload and the preview: waves, keyframes and a right-foot offset. */
async function fillCustomPattern() {
    const set = (name: string, v: string) => page.locator(`[name='${name}']`).fill(v)
    await set("pattern.id", CUSTOM_ID)
    await set("pattern.name", "Dash test wave")
    await set("pattern.description", "Uploaded by the dashboard test.")
    await set("pattern.footOffsetMs", "500")
    await set("pattern.zones.toes.level", "")
    await set("pattern.zones.toes.keyframes", "0:0.2, 2000:0.9, 4000:0.2")
    await page.locator("[name='pattern.zones.toes.wave.shape']").selectOption("")
    await page.locator("[name='pattern.zones.arch.wave.shape']").selectOption("triangle")
    const summary = page.locator(".editor-summary")
    await until("valid", async () => /^The pattern is valid\.$/.test(await summary.innerText()), 3000).catch(
        async e => {
            throw new Error(`${e.message}: ${await summary.innerText()}`)
        }
    )
}

test(
    "a valid upload is stored, listed, and still there after a VM restart",
    { timeout: 120000 },
    async () => {
        // (the fault ended the session)
        await until("the session over", async () => /^(Off|Idle)$/.test(await shownState()), 20000)
        await fillCustomPattern()
        await page.getByRole("button", { name: "Upload to the massager" }).click()
        await until(
            "uploaded",
            async () => /Uploaded/.test(await page.locator(".editor-summary").innerText()),
            30000
        )
        assert.equal(
            await page.getByRole("progressbar", { name: "Upload progress" }).getAttribute("value"),
            "1"
        )
        await page.getByRole("button", { name: "Delete Dash test wave" }).waitFor({ timeout: 10000 })
        const select = page.getByRole("combobox", { name: "Pattern", exact: true })
        assert.ok((await select.locator("option").allInnerTexts()).includes("Dash test wave (custom)"))
        // chosen for the next session
        await select.selectOption(CUSTOM_ID)
        await until("the custom pattern chosen at the device", () =>
            page.evaluate(
                id => (globalThis as any).dashboardMetrics.device()?.state.pattern === id,
                CUSTOM_ID
            )
        )
        // power-cycle the VM: the page loses the massager, finds it again, and reads its state anew
        const starts = (await stack.status()).vmStarts
        const clients = await page.evaluate(() => (globalThis as any).dashboardMetrics.clients)
        const r = await stack.post("restart")
        assert.equal(r.status, 200)
        await stack.until(s => s.vmStarts === starts + 1 && s.vmRunning, 10000, "the VM restarted")
        tap.clear()
        await until(
            "the page back on the restarted massager",
            async () =>
                (await page.locator(".link-text").innerText()) === "Connected to the simulated massager." &&
                tap.telemetry.length > 0,
            60000
        )
        // a new client, and everything read again from the restarted device
        await until(
            "the page's own reconnect and fresh read",
            () =>
                page.evaluate(
                    n =>
                        (globalThis as any).dashboardMetrics.clients > n &&
                        (globalThis as any).dashboardMetrics.readAllAt > 0,
                    clients
                ),
            60000
        )
        await page.getByRole("button", { name: "Delete Dash test wave" }).waitFor({ timeout: 20000 })
        // still the chosen pattern, as the restarted device reports it
        assert.equal(
            await page.evaluate(() => (globalThis as any).dashboardMetrics.device()?.state.pattern),
            CUSTOM_ID
        )
        assert.equal(await select.inputValue(), CUSTOM_ID)
        await until("Start enabled", () => page.getByRole("button", { name: "Start" }).isEnabled(), 20000)
    }
)

test("the preview's frames equal the frames the device sends the board", { timeout: 120000 }, async () => {
    // the custom pattern, chosen before the restart
    await until("the custom pattern chosen at the device", () =>
        page.evaluate(id => (globalThis as any).dashboardMetrics.device()?.state.pattern === id, CUSTOM_ID)
    )
    await until("its description shown", async () => (await page.locator(".pattern-about .desc").count()) > 0)
    assert.equal(await page.locator(".pattern-about .desc").innerText(), "Uploaded by the dashboard test.")
    // intensity 4 with the keyboard, and the ball focused at 150 % by tapping it on the map
    await setSlider(page.getByRole("slider", { name: /Intensity/ }), 4, 1)
    await page.locator(".zone[data-channel='2']").click()
    const focus = page.getByRole("slider", { name: /Focus/ })
    await until("the focus slider focused", () =>
        focus.evaluate(e => e === (globalThis as any).document.activeElement)
    )
    assert.equal(await page.getByRole("combobox", { name: "Zone", exact: true }).inputValue(), "2")
    await setSlider(focus, 150, 10)
    await until(
        "intensity 4 and ball 150 % at the device",
        () =>
            page.evaluate(() => {
                const d = (globalThis as any).dashboardMetrics
                const m = d.device()
                return !!m && m.state.intensity === 4 && m.state.focus[2] === 150
            }),
        10000
    )
    // the form still holds the uploaded pattern: the preview plays it under the device's intent
    const N = 400
    const preview = await page.evaluate(n => (globalThis as any).dashboardMetrics.editorPreview(0, n), N)
    assert.equal(preview.error, null)
    assert.equal(preview.frames.length, N)
    const startedAt = epochMs()
    await page.getByRole("button", { name: "Start" }).click()
    await until("Running shown", async () => (await shownState()) === "Running")
    await sleep(N * 20 + 1500)
    // the session's first frame moving: frame 0 of a session is all off (its soft start)
    const sent = [...tap.frames.values()].filter(f => f.at >= startedAt).sort((a, b) => a.index - b.index)
    const first = sent.find(f => f.levels.some(l => l > 0))
    assert.ok(first, "the device sent no moving frame")
    const j = preview.frames.findIndex((f: number[]) => f.some(l => l > 0))
    const offset = first.index - j
    const compared: TappedFrame[] = sent.filter(f => f.index >= offset && f.index < offset + N)
    assert.ok(compared.length >= N * 0.8, `only ${compared.length} of ${N} frames reached the bus`)
    for (const f of compared)
        assert.deepEqual(f.levels, preview.frames[f.index - offset], `session frame ${f.index - offset}`)
    // the feet differ (the right foot's offset) and the ball is focused: the comparison covers that
    assert.ok(
        compared.some(f => f.levels[0] !== f.levels[4]),
        "the feet never differed"
    )
    figures.previewFramesCompared = compared.length
    // the phone's view of the session
    await page.setViewportSize({ width: 390, height: 844 })
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0))
    await sleep(800)
    await page.screenshot({ path: join(RESULTS, "dashboard-phone.png") })
    await page.screenshot({ path: join(RESULTS, "dashboard-phone-full.png"), fullPage: true })
    await page.setViewportSize({ width: 1280, height: 1000 })
    // the Preview button plays the same frames on the map
    await page.getByRole("button", { name: "Preview on the foot map" }).click()
    await until("the caption says preview", async () =>
        /Preview/.test(await page.locator(".map-caption").innerText())
    )
    const shown = await mapLevels()
    assert.ok(
        preview.frames.some((f: number[]) => f.join(",") === shown.join(",")),
        `the map shows ${shown}, not a preview frame`
    )
    await page.getByRole("button", { name: "Stop" }).click()
    await until("the session over", async () => /^(Off|Idle)$/.test(await shownState()), 20000)
})

test("phone width: readable; the device is left as it was found", { timeout: 60000 }, async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0))
    await sleep(500)
    const overflow = await page.evaluate(
        () => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth
    )
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`)
    await page.setViewportSize({ width: 1280, height: 1000 })
    // the settings as they were (each through its control), then the custom pattern deleted
    const chosen = await page.evaluate(() => (globalThis as any).dashboardMetrics.device()?.state.pattern)
    if (initial.pattern && initial.pattern !== CUSTOM_ID && chosen !== initial.pattern)
        await page.getByRole("combobox", { name: "Pattern", exact: true }).selectOption(initial.pattern)
    await page.getByRole("combobox", { name: "Heat", exact: true }).selectOption("" + initial.heat)
    await setSlider(page.getByRole("slider", { name: /Intensity/ }), initial.intensity, 1)
    for (let z = 0; z < 4; z++) {
        await page.getByRole("combobox", { name: "Zone", exact: true }).selectOption("" + z)
        await setSlider(page.getByRole("slider", { name: /Focus/ }), initial.focus[z], 10)
    }
    await page.getByRole("button", { name: "Delete Dash test wave" }).click()
    await until(
        "deleted",
        async () => (await page.getByRole("button", { name: "Delete Dash test wave" }).count()) === 0
    )
    await until(
        "the settings back as they were",
        () =>
            page.evaluate(w => {
                const st = (globalThis as any).dashboardMetrics.device()?.state
                return (
                    !!st &&
                    st.intensity === w.intensity &&
                    st.heatLevel === w.heat &&
                    st.focus.join() === w.focus.join() &&
                    !st.patterns.some((p: any) => p.custom && p.id === "dash-test-wave")
                )
            }, initial),
        10000
    ).catch(async e => {
        const st = await page.evaluate(() => (globalThis as any).dashboardMetrics.device()?.state)
        const was = { intensity: initial.intensity, heat: initial.heat, focus: initial.focus }
        const now = st
            ? {
                  intensity: st.intensity,
                  heat: st.heatLevel,
                  focus: st.focus,
                  patterns: st.patterns.map((p: any) => p.id),
              }
            : null
        throw new Error(`${e.message}: was ${JSON.stringify(was)}, now ${JSON.stringify(now)}`)
    })
    assert.deepEqual(pageErrors, [], "page errors")
    const assets = join(DIST, "assets")
    figures.bundleGzipBytes = readdirSync(assets).reduce(
        (n, f) => n + gzipSync(readFileSync(join(assets, f))).length,
        0
    )
    figures.bundleRawBytes = readdirSync(assets).reduce((n, f) => n + readFileSync(join(assets, f)).length, 0)
})

/** Moves a range input to `value` with the keyboard (steps of `step`). */
async function setSlider(slider: Locator, value: number, step: number) {
    await slider.focus()
    const now = +(await slider.inputValue())
    const key = value > now ? "ArrowRight" : "ArrowLeft"
    for (let i = 0; i < Math.round(Math.abs(value - now) / step); i++) await page.keyboard.press(key)
}
