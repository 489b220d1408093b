/**
 * `npm run bench:e2e`: figures of the whole stack as `npm start` runs it, written to
 * bench/e2e.json and printed as a table. Builds the firmware, starts the stack in this process
 * (sim/stack.ts on port 18190, so it never meets a running `npm start`) and runs each
 * measurement in MEASURES in turn, on the simulator's own clock (every frame the board plays is
 * in its frame log with the time it was played):
 *
 * - start-up: hub, simulator and VM started to the first frame at the board;
 * - bus traffic idle (no session) and while a session runs: frames on the hub, the Jacdac
 *   packets in them, frame-register writes at the board;
 * - button press to the first changed frame at the board: presses of up and down (they act on
 *   the press itself) alternating the intensity 3 <-> 4 during a kneading session, from the
 *   moment the simulator sends the button's down to the first frame the board plays that is no
 *   longer kneading at the old intensity (the frames are checked against the core's own frames
 *   of kneading, the dashboard's Preview, at the phase the board plays);
 * - control command to frame: the same with `set_intensity` sent over the bus by a jacdac-ts
 *   client (test/node/control-client.ts) from the simulator's bus.
 *
 * The device is left as found (intensity, heat level, pattern; a "records lost" fault of a fresh
 * flash is cleared, as a user would). Run under `flock /tmp/foot-bench.lock flock
 * /tmp/foot-bus.lock` (it opens a port and wants the cores to itself).
 *
 * Adding one: write an async function (stack, tally, ctx) => Figure[] and add it to MEASURES.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { JDService } from "jacdac-ts"
import { Stack } from "../sim/stack"
import { PlayedFrame } from "../sim/frame-log"
import { ControlClient, findControl } from "../test/node/control-client"
import { percentile, steadyLoop } from "../test/node/harness/frames"
import { buildFirmware, waitForFirstFrame } from "./start"

const ROOT = process.cwd()
const PORT = 18190
const OUT = join(ROOT, "bench", "e2e.json")

/** Presses and commands measured (the goal needs at least 50). */
const PRESSES = 60
const COMMANDS = 60
/** Time between two presses or commands, ms: the frames settle (slew 120 ms) well before. */
const GAP_MS = 700

/** One row of the table. */
export interface Figure {
    key: string
    value: number | null
    unit: string
    /** Why there is no value, or what the value means. */
    note: string
    /** Parts of the value, by name (written to the JSON as KEY + "ByKind"). */
    parts?: Record<string, number>
}

/** Kinds of packets the tally tells apart (by service index and command code). */
export const PACKET_KINDS = ["frameBatch", "temperatures", "telemetry", "announce", "other"] as const
export type PacketKind = (typeof PACKET_KINDS)[number]

/** A packet's kind: Foot IO `frame` writes (0x2080), its `temperatures` reports (0x1181), the control service's telemetry (0x1184), announces (service 0, command 0). */
export function packetKind(isCommand: boolean, serviceIndex: number, command: number): PacketKind {
    if (isCommand && command === 0x2080) return "frameBatch"
    if (!isCommand && command === 0x1181) return "temperatures"
    if (!isCommand && command === 0x1184) return "telemetry"
    if (!isCommand && serviceIndex === 0 && command === 0) return "announce"
    return "other"
}

/** What the bus carried: frames, and the Jacdac packets inside them, by kind. */
export class BusTally {
    frames = 0
    packets = 0
    readonly kinds: Record<PacketKind, number> = {
        frameBatch: 0,
        temperatures: 0,
        telemetry: 0,
        announce: 0,
        other: 0,
    }

    /** Counts one frame (12-byte header, then packets each padded to 4 bytes). */
    add(frame: Uint8Array) {
        this.frames++
        const end = 12 + frame[2]
        const isCommand = (frame[3] & 1) !== 0
        for (let at = 12; at + 4 <= end; at += (4 + frame[at] + 3) & ~3) {
            this.packets++
            this.kinds[packetKind(isCommand, frame[at + 1], frame[at + 2] | (frame[at + 3] << 8))]++
        }
    }
}

/** What the measures share: the control client. */
interface Context {
    control: ControlClient
    service: JDService
}

type Measure = (stack: Stack, tally: BusTally, ctx: Context) => Promise<Figure[]>

function sleep(ms: number) {
    return new Promise(r => setTimeout(r, ms))
}

function same(a: number[], b: number[]): boolean {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return a.length === b.length
}

/** A command that must be taken. */
async function call(c: ControlClient, name: string, ...args: any[]): Promise<any[]> {
    const a = await c.call(name, ...args)
    if (a[1] !== 0) throw new Error(`${name}(${args.join(", ")}) refused: ${a[1]} ${a[2] || ""}`)
    return a
}

/** A register of the control service, read afresh. */
async function readRegister(service: JDService, code: number): Promise<any[]> {
    const reg = service.register(code)
    if (!(await reg.refresh())) throw new Error(`no answer to a read of 0x${code.toString(16)}`)
    return reg.unpackedValue
}

/** Traffic per second over `ms`: frames and packets on the hub, writes at the board. */
async function traffic(stack: Stack, tally: BusTally, ms: number) {
    const f0 = tally.frames
    const p0 = tally.packets
    const k0 = { ...tally.kinds }
    const w0 = stack.status().writes
    const r0 = stack.sim.footIo.temperatureReports
    await sleep(ms)
    const s = ms / 1000
    const parts: Record<string, number> = {}
    for (const k of PACKET_KINDS) parts[k] = Math.round(((tally.kinds[k] - k0[k]) / s) * 10) / 10
    const kinds = PACKET_KINDS.map(k => `${k} ${parts[k]}`).join(", ")
    return {
        frames: (tally.frames - f0) / s,
        packets: (tally.packets - p0) / s,
        kinds,
        parts,
        writes: (stack.status().writes - w0) / s,
        reports: (stack.sim.footIo.temperatureReports - r0) / s,
    }
}

/** Bus traffic per second with nothing happening (no session: keep-alives only). */
const idleTraffic: Measure = async (stack, tally) => {
    const t = await traffic(stack, tally, 10000)
    return [
        { key: "idleBusFramesPerS", value: t.frames, unit: "/s", note: "every frame on the hub, no session" },
        {
            key: "idleBusPacketsPerS",
            value: t.packets,
            unit: "/s",
            note: `Jacdac packets in them: ${t.kinds}`,
            parts: t.parts,
        },
        {
            key: "idleFootIoWritesPerS",
            value: t.writes,
            unit: "/s",
            note: "frame-register writes at the board (keep-alives)",
        },
        {
            key: "idleTemperatureReportsPerS",
            value: t.reports,
            unit: "/s",
            note: "thermistor reports the board streams",
        },
    ]
}

/** The first frame played after `t0` that is no longer `old` at `phase`; waits up to `ms`. */
async function firstChanged(
    stack: Stack,
    t0: number,
    old: number[][],
    phase: number,
    ms: number
): Promise<PlayedFrame> {
    const L = old.length
    const end = performance.now() + ms
    let since = t0
    while (performance.now() < end) {
        for (const f of stack.sim.frameLog.since(since)) {
            since = f.t
            if (!same(f.levels, old[(((f.i - phase) % L) + L) % L])) return f
        }
        await sleep(2)
    }
    return null
}

/** The phase at which the board plays `loop` now (frame i is loop[(i - phase) mod L]), or -1. */
async function phaseOf(stack: Stack, loop: number[][]): Promise<number> {
    const L = loop.length
    const t0 = stack.simNow()
    await sleep((L + 10) * 20)
    const frames = stack.sim.frameLog.since(t0)
    for (let p = 0; p < L; p++)
        if (frames.every(f => same(f.levels, loop[(((f.i - p) % L) + L) % L]))) return p
    return -1
}

/**
 * Latency of `act` (a press or a command, `n` times, alternating intensity 3 and 4) to the
 * first changed frame at the board, during a kneading session: ms each. Frame indices are the
 * wire's u16, so phases hold for the first 21 minutes after a boot (the bench takes 3).
 */
async function latencies(
    stack: Stack,
    n: number,
    act: (up: boolean) => Promise<number>
): Promise<{ ms: number[]; lost: number }> {
    const loops = [null, null, null, steadyLoop("kneading", 3), steadyLoop("kneading", 4)]
    let level = 3
    const L = loops[3].length
    const phase = await phaseOf(stack, loops[3])
    if (phase < 0) throw new Error("the board does not play kneading at intensity 3")
    const ms: number[] = []
    let lost = 0
    for (let i = 0; i < n; i++) {
        const up = level === 3
        const t0 = await act(up)
        const f = await firstChanged(stack, t0, loops[level], phase, 2000)
        if (f) ms.push(f.t - t0)
        else lost++
        level = up ? 4 : 3
        await sleep(GAP_MS)
        // the board plays the new level now, at the same phase (the check is exact)
        const t1 = stack.simNow() - 200
        const wrong = stack.sim.frameLog
            .since(t1)
            .find(x => !same(x.levels, loops[level][(((x.i - phase) % L) + L) % L]))
        if (wrong) throw new Error(`after step ${i + 1} the board does not play intensity ${level}`)
    }
    return { ms, lost }
}

function latencyFigures(name: string, what: string, r: { ms: number[]; lost: number }): Figure[] {
    const note = `${r.ms.length} ${what} (intensity 3 <-> 4 in a kneading session)${r.lost ? `, ${r.lost} with no change in 2 s` : ""}`
    return [
        { key: `${name}P50Ms`, value: percentile(r.ms, 0.5), unit: "ms", note },
        { key: `${name}P95Ms`, value: percentile(r.ms, 0.95), unit: "ms", note: "goal <= 60 ms" },
        { key: `${name}MaxMs`, value: Math.max(...r.ms), unit: "ms", note: "" },
    ]
}

/** A session with traffic, presses and commands: starts kneading at intensity 3, no heat. */
const inSession: Measure = async (stack, tally, ctx) => {
    const c = ctx.control
    await call(c, "set_pattern", "kneading")
    await call(c, "set_intensity", 3)
    await call(c, "set_heat", 0)
    await call(c, "start", 10)
    // past the soft start
    await sleep(3000)
    const figures: Figure[] = []
    const t = await traffic(stack, tally, 10000)
    figures.push(
        {
            key: "runningBusFramesPerS",
            value: t.frames,
            unit: "/s",
            note: "every frame on the hub, kneading session",
        },
        {
            key: "runningBusPacketsPerS",
            value: t.packets,
            unit: "/s",
            note: `Jacdac packets in them: ${t.kinds}`,
            parts: t.parts,
        },
        {
            key: "runningFootIoWritesPerS",
            value: t.writes,
            unit: "/s",
            note: "frame batches at the board (goal: one per 40 ms batch period, 25/s)",
        }
    )
    const presses = await latencies(stack, PRESSES, async up => {
        const t0 = stack.simNow()
        stack.press(up ? "buttonUp" : "buttonDown").catch((): void => undefined)
        return t0
    })
    figures.push(...latencyFigures("buttonToFrame", "presses of up and down", presses))
    const commands = await latencies(stack, COMMANDS, async up => {
        const t0 = stack.simNow()
        c.call("set_intensity", up ? 4 : 3).catch((): void => undefined)
        return t0
    })
    figures.push(...latencyFigures("controlToFrame", "set_intensity commands", commands))
    await call(c, "stop")
    await sleep(2500)
    return figures
}

const MEASURES: Measure[] = [idleTraffic, inSession]

async function main() {
    const built = performance.now()
    const program = await buildFirmware()
    const buildMs = performance.now() - built
    const tally = new BusTally()
    const t0 = performance.now()
    const log = (line: string) => (process.env.VERBOSE ? console.log(line) : undefined)
    const stack = await Stack.start({
        root: ROOT,
        port: PORT,
        program,
        feet: 2,
        ambientC: 22,
        feetPresent: true,
        faults: [],
        seed: 1,
        log,
    })
    stack.hub.onFrame = f => tally.add(f)
    const figures: Figure[] = []
    let restore: () => Promise<void> = async () => undefined
    try {
        await waitForFirstFrame(stack, 60000)
        figures.push({
            key: "startupToFirstFrameMs",
            value: Math.round(performance.now() - t0),
            unit: "ms",
            note: "hub, simulator and VM started (firmware built before) to the first frame at the board",
        })
        figures.push({
            key: "startupWithBuildMs",
            value: Math.round(buildMs + performance.now() - t0),
            unit: "ms",
            note: "the same with the firmware's build (devs build src/main.ts) first, as start.js does (npm start builds the node code and the page before)",
        })
        const control = await findControl(stack.sim.bus, 30000)
        const ctx: Context = { control, service: control.service }
        await sleep(1000)
        const found = {
            intensity: (await readRegister(ctx.service, 0x80))[0],
            heat: (await readRegister(ctx.service, 0x81))[0],
            pattern: (await readRegister(ctx.service, 0x181))[0],
        }
        restore = async () => {
            await control.call("set_pattern", found.pattern || "kneading")
            await control.call("set_intensity", found.intensity)
            await control.call("set_heat", found.heat)
        }
        // a fresh flash latches "records lost": cleared as a user would, or no session starts
        if ((await readRegister(ctx.service, 0x180))[0] === 5) {
            stack.clearFaults()
            await call(control, "clear_fault")
        }
        // idle traffic with no session, long after any input
        for (const m of MEASURES) figures.push(...(await m(stack, tally, ctx)))
    } finally {
        await restore().catch(e => console.error(`bench:e2e: could not restore the settings: ${e.message}`))
        await stack.stop()
    }
    const rows = figures.map(f => [
        f.key,
        f.value === null ? "-" : `${+f.value.toFixed(2)} ${f.unit}`,
        f.note,
    ])
    const w = [0, 1].map(i => Math.max(...rows.map(r => r[i].length)))
    for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2]}`)
    const json: Record<string, unknown> = { date: new Date().toISOString() }
    for (const f of figures) {
        json[f.key] = f.value === null ? { value: null, why: f.note } : Math.round(f.value * 100) / 100
        if (f.parts) json[f.key + "ByKind"] = f.parts
    }
    writeFileSync(OUT, JSON.stringify(json, null, 4) + "\n")
    console.log(`-> ${OUT}`)
}

if (require.main === module)
    main().catch(e => {
        console.error(`bench:e2e: ${e && e.message ? e.message : e}`)
        process.exit(1)
    })
