/*
 * `npm run bench`, the part that runs in the DeviceScript VM (without GC stress: the runner
 * starts it on a local devtools bus). Prints `BENCH <key> <value>` lines that
 * scripts/run-bench.ts turns into bench/results.json and a table.
 *
 * Timing: ds.millis() only advances across an await, so work is timed in chunks of
 * `await; t0; work; await; t1`, and the same chunks with no work are subtracted. The compute
 * workloads are timed in rounds, one chunk of each per round (timeRounds), so that their ratios
 * come from one pace of the machine.
 */
import * as ds from "@devicescript/core"
import { Server, startServer } from "@devicescript/server"
import {
    SafetySupervisor,
    BUILTIN_PATTERN_COUNT,
    CompiledPattern,
    DEFAULT_CONFIG,
    FOCUS_PULSE_ID,
    Frame,
    PatternLoader,
    Scheduler,
    ZONE_ARCH,
    ZONE_BALL,
    builtinPattern,
    builtinPatternAt,
    makeConfig,
} from "../src/core"
import { FootIoPort } from "../src/hw/foot-io-port"
import { FootIoServer } from "../test/doubles/foot-io-server"
import { FrameLoop } from "../src/frame-loop"

const CHANNELS = 8 // per kind: 8 vibration + 8 heater channels = 16 channels, two feet
const P = 20

function report(key: string, value: number) {
    console.log(`BENCH ${key} ${value}`)
}

/**
 * The calibration loop. scripts/run-bench.ts counts its VM ops per iteration from
 * `devs disasm -d` of this function, so keep it exactly as it is.
 */
function referenceLoop(n: number): number {
    let s = 0
    for (let i = 0; i < n; i++) s = s + i * 3
    return s
}

/** Loads a pattern as the firmware does: a loader step per VM slice, tables in Buffers. */
async function load(spec: any): Promise<CompiledPattern> {
    const loader = new PatternLoader(spec, P, n => Buffer.alloc(n))
    while (!loader.step()) await ds.sleep(0)
    return loader.result.pattern
}

/** The frame workload: two feet, a base pattern and an overlay, heaters sliced. */
function workload(crossfadeMs: number): Scheduler {
    const s = new Scheduler(makeConfig({ feet: 2, framePeriodMs: P, crossfadeMs }))
    s.setIntensity(4, 90, 0)
    for (let c = 0; c < CHANNELS; c++) s.setHeaterDuty(c, 0.2 + c * 0.08)
    return s
}

class MotorServer extends Server implements ds.MotorServerSpec {
    writes = 0
    private value = 0
    constructor() {
        super(ds.Motor.spec)
    }
    speed() {
        return this.value
    }
    set_speed(v: number) {
        this.value = v
        this.writes++
    }
    enabled() {
        return true
    }
    set_enabled(v: boolean) {}
}

class RelayServer extends Server implements ds.RelayServerSpec {
    writes = 0
    private on = false
    constructor() {
        super(ds.Relay.spec)
    }
    enabled() {
        return this.on
    }
    set_enabled(v: boolean) {
        this.on = v
        this.writes++
    }
}

/**
 * The bound: the arithmetic a frame cannot avoid, stripped of everything else (no intent, no
 * envelopes, no heaters, no state): two byte-table layers and an overlay on four channels,
 * blended, quantized, slew-limited and stored. It shows what the VM allows.
 */
class BareFrame {
    readonly levels = [0, 0, 0, 0, 0, 0, 0, 0]
    readonly a: Buffer
    readonly b: Buffer
    readonly o: Buffer
    readonly ga = [0.5, 0.6, 0.7, 0.8, 0.5, 0.6, 0.7, 0.8]
    readonly gb = [0.5, 0.6, 0.7, 0.8, 0.5, 0.6, 0.7, 0.8]
    readonly go = [0, 0.3, 0.3, 0, 0, 0.3, 0.3, 0]
    constructor() {
        this.a = Buffer.alloc(81 * 8)
        this.b = Buffer.alloc(81 * 8)
        this.o = Buffer.alloc(81 * 8)
        for (let i = 0; i < this.a.length; i++) {
            this.a[i] = (i * 7) & 255
            this.b[i] = (i * 13) & 255
            this.o[i] = (i * 3) & 255
        }
    }
    frame(k: number) {
        const row = (k % 80) * 8
        const a = this.a
        const b = this.b
        const o = this.o
        const ga = this.ga
        const gb = this.gb
        const go = this.go
        const lv = this.levels
        for (let c = 0; c < 8; c++) {
            let m = a[row + c] * ga[c] * 0.6 + b[row + c] * gb[c] * 0.4
            const g = go[c]
            if (g > 0) m += o[row + c] * g
            let q = (m + 0.5) | 0
            const p = lv[c]
            if (q > p + 43) q = p + 43
            else if (q < p - 43) q = p - 43
            lv[c] = q
        }
    }
}

async function bound(roles: ds.Role[]) {
    const t0 = ds.millis()
    for (let i = 0; i < roles.length; i++)
        while (!roles[i].isBound && ds.millis() - t0 < 20000) await ds.sleep(20)
}

/**
 * Frames a timed chunk computes. The clock counts whole ms, so a chunk's time is off by up to
 * a ms either way; chunks of about 1 ms, averaged over hundreds, keep that near 2 %. A chunk
 * must also stay within one VM slice (about 128K operations): 50 frames are about 100K.
 */
const F = 50

/**
 * The compute workloads' crossfade: 1.5 s (75 frames), so that a whole chunk of F frames fits
 * in one fade. A crossfade frame costs the same whatever the fade's length; the firmware's
 * default is 750 ms.
 */
const BENCH_FADE_MS = 1500
const FADE_FRAMES = BENCH_FADE_MS / P

/** Copies a timed floor chunk makes (a copy takes about 3 us: chunks of about 1 ms). */
const FLOOR_COPIES = 300

/**
 * The frame workloads share one scheduler (two feet, the focus pulse on arch and ball, all
 * heaters sliced; a second one would not fit the heap beside every pattern). Before each timed
 * chunk, untimed, a workload sets the scheduler up as it needs it: frames are skipped past any
 * crossfade, so the state it leaves does not carry into the next workload.
 */
class Frames {
    readonly s: Scheduler
    k = 0

    constructor(
        readonly patterns: CompiledPattern[],
        focus: CompiledPattern
    ) {
        this.s = workload(BENCH_FADE_MS)
        this.s.setPattern(patterns[0], 0)
        this.s.setOverlay(focus, (1 << ZONE_ARCH) | (1 << ZONE_BALL), 0.8, 0)
        this.s.start(0)
    }

    /**
     * Plays `pattern` from past any crossfade in progress and computes it through its own fade
     * in, so that the levels, the slew and the feet stand as playing it leaves them.
     */
    async settle(pattern: number) {
        this.k += FADE_FRAMES + 1
        this.s.setPattern(this.patterns[pattern], this.k)
        for (let i = 0; i <= FADE_FRAMES; i += F) {
            this.run(F)
            await ds.sleep(0)
        }
    }

    /** Fades from one pattern into another: the next F frames are all within the crossfade. */
    async fade(from: number, to: number) {
        await this.settle(from)
        this.s.setPattern(this.patterns[to], this.k)
    }

    /** Computes the next `frames` frames. */
    run(frames: number) {
        const s = this.s
        let k = this.k
        for (let i = 0; i < frames; i++) {
            s.frame(k)
            k++
        }
        this.k = k
    }
}

/**
 * Times the workloads in rounds, one chunk of each per round, and returns each one's ms per
 * chunk (less an empty chunk timed in the same round). The machine's pace drifts by 10 % and
 * more over a run: interleaving keeps every ratio between workloads to one pace.
 */
async function timeRounds(
    rounds: number,
    prepare: (() => Promise<void>)[],
    work: (() => void)[]
): Promise<number[]> {
    const busy: number[] = []
    for (let j = 0; j < work.length; j++) busy.push(0)
    let idle = 0
    for (let r = 0; r < rounds; r++) {
        for (let j = 0; j < work.length; j++) {
            await prepare[j]()
            await ds.sleep(0)
            const t0 = ds.millis()
            work[j]()
            await ds.sleep(0)
            busy[j] += ds.millis() - t0
        }
        await ds.sleep(0)
        const t1 = ds.millis()
        await ds.sleep(0)
        idle += ds.millis() - t1
    }
    return busy.map(b => (b - idle) / rounds)
}

async function benchCompute() {
    // every built-in pattern and the focus pulse, loaded as the firmware loads them
    const patterns: CompiledPattern[] = []
    let kneading = 0
    for (let i = 0; i < BUILTIN_PATTERN_COUNT; i++) {
        const spec = builtinPatternAt(i)
        if (spec.id === "kneading") kneading = patterns.length
        if (spec.id !== FOCUS_PULSE_ID) patterns.push(await load(spec))
    }
    const focus = await load(builtinPattern(FOCUS_PULSE_ID))
    const n = patterns.length
    const rounds = n * 40

    const frames = new Frames(patterns, focus)
    let round = 0
    // the floor: a computed output frame copied into place
    const ready = new Frame(CHANNELS)
    await frames.fade(0, 1)
    frames.run(F)
    ready.copyFrom(frames.s.output)
    const output = new Frame(CHANNELS)
    const bare = new BareFrame()
    let kb = 0
    // calibration: the reference loop, in chunks of about the same length
    const refN = 6000
    const none = async () => {}
    const ms = await timeRounds(
        rounds,
        [
            async () => {
                round++
            },
            // the frame path's full load: fading from each pattern into the next in the menu
            async () => {
                await frames.fade(round % n, (round + 1) % n)
            },
            // the same when the feet differ in every fade: kneading (its feet alternate) fades
            // into the next pattern or from it, so no frame can compute one foot and copy it
            async () => {
                if (round % 2 === 0) await frames.fade(kneading, (round >> 1) % n)
                else await frames.fade((round >> 1) % n, kneading)
            },
            async () => {
                await frames.settle(round % n)
            },
            none,
            none,
        ],
        [
            () => {
                referenceLoop(refN)
            },
            () => frames.run(F),
            () => frames.run(F),
            () => frames.run(F),
            () => {
                for (let i = 0; i < FLOOR_COPIES; i++) output.copyFrom(ready)
            },
            () => {
                for (let i = 0; i < F; i++) {
                    bare.frame(kb)
                    kb++
                }
            },
        ]
    )
    report("refIterUs", (ms[0] * 1000) / refN)
    report("frameUs", (ms[1] * 1000) / F)
    report("feetApartFrameUs", (ms[2] * 1000) / F)
    report("steadyFrameUs", (ms[3] * 1000) / F)
    report("floorUs", (ms[4] * 1000) / FLOOR_COPIES)
    report("bareFrameUs", (ms[5] * 1000) / F)
}

/** Runs the frame loop with a packed port for `ms`; returns frames played per second at the board. */
async function runPacked(loop: FrameLoop, board: FootIoServer, ms: number): Promise<number> {
    const go = async () => {
        await loop.run()
    }
    go.start()
    await ds.sleep(200)
    const t0 = ds.millis()
    const startFrames = board.frames
    const startWrites = board.writes
    await ds.sleep(ms)
    const el = ds.millis() - t0
    const frames = board.frames - startFrames
    const writes = board.writes - startWrites
    loop.stop()
    await ds.sleep(100)
    report("_frames", frames)
    report("_writes", writes)
    return (frames * 1000) / el
}

/** Waits until the board receives its next write (to measure between write arrivals). */
async function nextWrite(board: FootIoServer) {
    const w = board.writes
    const t0 = ds.millis()
    while (board.writes === w && ds.millis() - t0 < 1000) await ds.sleep(1)
}

/**
 * Runs a frame loop and counts, between two write arrivals about `ms` apart, the frames and
 * writes the board receives: [frames a second, writes, frames, frames the loop skipped].
 */
async function runLoop(loop: FrameLoop, board: FootIoServer, ms: number): Promise<number[]> {
    const go = async () => {
        await loop.run()
    }
    go.start()
    await ds.sleep(300)
    await nextWrite(board)
    const t0 = ds.millis()
    const f0 = board.frames
    const w0 = board.writes
    const s0 = loop.clock.skipped
    await ds.sleep(ms)
    await nextWrite(board)
    const el = ds.millis() - t0
    const result = [
        ((board.frames - f0) * 1000) / el,
        board.writes - w0,
        board.frames - f0,
        loop.clock.skipped - s0,
    ]
    loop.stop()
    await ds.sleep(100)
    return result
}

/** Runs frames for 4 s while another fiber writes a role `rate` times a second; [its writes/s, frames/s]. */
async function otherTraffic(
    rate: number,
    s: Scheduler,
    port: FootIoPort,
    board: FootIoServer,
    other: MotorServer,
    otherRole: ds.Motor,
    supervisor: SafetySupervisor
): Promise<number[]> {
    const state = [1]
    const w0 = other.writes
    const writer = async () => {
        let v = 0
        let next = ds.millis()
        while (state[0] === 1) {
            v = 1 - v
            await otherRole.speed.write(v)
            next += 1000 / rate
            const wait = next - ds.millis()
            if (wait > 0) await ds.sleep(wait)
        }
    }
    writer.start()
    const t0 = ds.millis()
    const r = await runLoop(new FrameLoop(s, port, supervisor), board, 4000)
    const got = ((other.writes - w0) * 1000) / (ds.millis() - t0)
    state[0] = 0
    await ds.sleep(300)
    report("headroomAt" + rate, got)
    report("headroomFpsAt" + rate, r[0])
    return [got, r[0]]
}

async function benchTransport() {
    // one supervisor, built first while the heap is in one piece (about 11 KB; six of them built
    // after the servers and roles below ran the VM out of memory, PANIC 60004)
    const supervisor = new SafetySupervisor(CHANNELS)
    const board = new FootIoServer(CHANNELS)
    const io = new ds.FootIo(startServer(board))
    const other = new MotorServer()
    const otherRole = new ds.Motor(startServer(other))
    const motors: MotorServer[] = []
    const relays: RelayServer[] = []
    const motorRoles: ds.Motor[] = []
    const relayRoles: ds.Relay[] = []
    for (let c = 0; c < CHANNELS; c++) {
        const m = new MotorServer()
        motors.push(m)
        motorRoles.push(new ds.Motor(startServer(m)))
        const r = new RelayServer()
        relays.push(r)
        relayRoles.push(new ds.Relay(startServer(r)))
    }
    const all: ds.Role[] = [io, otherRole]
    for (let c = 0; c < CHANNELS; c++) {
        all.push(motorRoles[c])
        all.push(relayRoles[c])
    }
    await bound(all)
    report("bound", all.filter(r => r.isBound).length)
    report("roles", all.length)

    const s = workload(DEFAULT_CONFIG.crossfadeMs)
    s.setPattern(await load(builtinPattern("kneading")), 0)
    s.start(0)

    // packed: every frame leaves in a batch of two, one write per two frames. An idle fiber
    // beside it measures the longest stall of the whole VM (it wakes every 5 ms), to tell a
    // skipped frame the frame path caused from one nothing in the VM could have avoided
    const port = new FootIoPort(io, CHANNELS, { batch: 2 })
    const stall = [1, 0]
    const probe = async () => {
        while (stall[0] === 1) {
            const t = ds.millis()
            await ds.sleep(5)
            const late = ds.millis() - t - 5
            if (late > stall[1]) stall[1] = late
        }
    }
    probe.start()
    const packed = await runLoop(new FrameLoop(s, port, supervisor), board, 10000)
    stall[0] = 0
    report("packedFps", packed[0])
    report("writesPerFrame", packed[1] / packed[2])
    report("packedSkipped", packed[3])
    report("packedMaxStallMs", stall[1])
    report("duplicates", board.duplicates)

    // headroom: the most writes a second another role gets, paced, while frames hold 50 fps
    let headroom = 0
    const rates = [10, 15, 20, 22, 25]
    for (let i = 0; i < rates.length; i++) {
        const got = await otherTraffic(rates[i], s, port, board, other, otherRole, supervisor)
        if (got[1] >= 49 && got[0] >= rates[i] * 0.95) headroom = got[0]
    }
    report("writeHeadroom", headroom)

    // per role: what a straightforward program does, a register write per channel per frame
    let frames = 0
    let perRoleRunning = true
    const perRole = async () => {
        const tStart = ds.millis()
        while (perRoleRunning) {
            const k = Math.floor((ds.millis() - tStart) / P)
            const f = s.frame(k)
            for (let c = 0; c < CHANNELS; c++) await motorRoles[c].speed.write(f.levels[c] / 255)
            for (let c = 0; c < CHANNELS; c++) await relayRoles[c].enabled.write((f.heaters & (1 << c)) !== 0)
            frames++
            const next = (k + 1) * P - (ds.millis() - tStart)
            if (next > 0) await ds.sleep(next)
        }
    }
    perRole.start()
    await ds.sleep(1000)
    const pf0 = frames
    const pt0 = ds.millis()
    await ds.sleep(6000)
    const pframes = frames - pf0
    const pel = ds.millis() - pt0
    perRoleRunning = false
    report("perRoleFps", (pframes * 1000) / pel)
    let roleWrites = 0
    for (let c = 0; c < CHANNELS; c++) roleWrites += motors[c].writes + relays[c].writes
    report("perRoleWrites", roleWrites)
    await ds.sleep(500)
}

await ds.sleep(100)
await benchCompute()
await benchTransport()
console.log("BENCH END")
