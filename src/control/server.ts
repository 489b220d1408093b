import * as ds from "@devicescript/core"
import { Server } from "@devicescript/server"
import { Session } from "../core/session/session"
import { DEFAULT_PATTERN_ID } from "../core/session/settings"
import {
    END_FAULT,
    END_TIMER,
    EVENT_ENDED,
    EVENT_FAULT,
    EVENT_STARTED,
    SESSION_OK,
    SESSION_PAUSED,
    SESSION_RUNNING,
    SessionListener,
    isSessionMinutes,
    refusalText,
} from "../core/session/states"
import { FaultCode } from "../core/safety/faults"
import { SafetySupervisor } from "../core/safety/supervisor"
import { MAX_FOCUS_GAIN } from "../core/scheduler/intensity"
import { isIn, isWholeIn } from "../core/util/numbers"
import { MAX_CUSTOM_PATTERNS, parseChecked } from "../storage/pattern-store"
import { Storage } from "../storage/index"
import { USAGE_KEY, WEEK_S } from "../storage/usage-history"
import { PatternCatalog } from "./catalog"
import { SerialQueue } from "./queue"
import {
    RESULT_BUILT_IN,
    RESULT_BUSY,
    RESULT_INVALID_PATTERN,
    RESULT_MALFORMED,
    RESULT_OK,
    RESULT_OUT_OF_RANGE,
    RESULT_STORAGE_FAILED,
    RESULT_STORE_FULL,
    RESULT_UNKNOWN_PATTERN,
    resultOfSession,
} from "./results"
import { TelemetryTap } from "./telemetry-tap"
import { Upload } from "./upload"

/** Longest message in an answer, characters (the answer must fit 236 bytes). */
const MAX_MESSAGE = 200

/** Answers kept for retries (a resent command with the same code and seq is not run again). */
const ANSWERS_KEPT = 8
const ANSWER_KEEP_MS = 10000

/** 2020-01-01 in unix seconds: set_clock refuses anything earlier. */
const MIN_UNIX_S = 1577836800

// Command codes (services/massager-control.md), for the answer cache.
const CMD_START = 0x80
const CMD_STOP = 0x81
const CMD_PAUSE = 0x82
const CMD_RESUME = 0x83
const CMD_EXTEND = 0x84
const CMD_SET_PATTERN = 0x85
const CMD_SET_INTENSITY = 0x86
const CMD_SET_HEAT = 0x87
const CMD_SET_FOCUS = 0x88
const CMD_SET_LOCK = 0x89
const CMD_CLEAR_FAULT = 0x8a
const CMD_LIST_PATTERNS = 0x8b
const CMD_PATTERN_REASON = 0x8c
const CMD_READ_USAGE = 0x8d
const CMD_SET_CLOCK = 0x8e
const CMD_UPLOAD_BEGIN = 0x90
const CMD_UPLOAD_CHUNK = 0x91
const CMD_UPLOAD_COMMIT = 0x92
const CMD_UPLOAD_ABORT = 0x93
const CMD_DELETE_PATTERN = 0x94

// Register codes of the writable registers, for write_result. A write of intensity, heat level,
// focus or lock (0x80..0x83) runs as the command of the same meaning (0x86..0x89: register + 6)
// with seq 0 (never cached); a write of session_minutes runs as WRITE_MINUTES.
const REG_INTENSITY = 0x80
const REG_HEAT_LEVEL = 0x81
const REG_FOCUS = 0x82
const REG_LOCK = 0x83
const REG_SESSION_MINUTES = 0x84
const WRITE_MINUTES = 0x1084

/** What the control service needs of the firmware. */
export interface ControlDeps {
    session: Session
    supervisor: SafetySupervisor
    storage: Storage
    catalog: PatternCatalog
    tap: TelemetryTap
}

/** The fields of a command's payload: one array, or a lone value for a one-field command. */
function fieldsOf(args: any): any[] {
    return Array.isArray(args) ? args : [args]
}

/** A refusal: [code, message]. */
function no(code: number, message: string): any[] {
    return [code, message]
}

/**
 * The massager control service (services/massager-control.md): the device's one public API.
 * Every command and register write runs through one queue, one at a time; each is checked
 * before anything changes and answered with a Result code and a readable message; no input can
 * throw out of a handler (a caught exception answers Busy). Everything it changes, it changes
 * through the session.
 */
export class MassagerControlServer extends Server implements ds.MassagerControlServerSpec, SessionListener {
    readonly queue = new SerialQueue()
    private readonly upload = new Upload()
    /** Kept answers, each [cmd, seq, atMs, fields]. */
    private readonly answers: any[][] = []
    private readonly events: number[][] = []
    private lastWrite: [number, number, string] = [0, RESULT_OK, ""]
    /** Unix seconds at `clockAtMs`, or 0 while no client set the clock. */
    private unixAt = 0
    private clockAtMs = 0
    /** Commands and writes handled, and how many were refused. */
    handled = 0
    refused = 0

    /** deps.session, which most handlers use. */
    readonly session: Session

    constructor(readonly deps: ControlDeps) {
        super(ds.MassagerControl.spec)
        this.session = deps.session
        deps.session.addListener(this)
    }

    // ---- registers ------------------------------------------------------------------------

    intensity() {
        return this.session.intensity
    }
    heatLevel() {
        return this.session.heatLevel
    }
    focus(): [number, number, number, number] {
        const out: any = []
        for (let z = 0; z < 4; z++) out.push(Math.round(this.session.focus(z) * 100))
        return out
    }
    lock() {
        return this.session.locked ? 1 : 0
    }
    sessionMinutes() {
        return this.session.minutes()
    }
    state() {
        return this.session.state
    }
    pattern() {
        return this.session.patternId
    }
    remaining() {
        return Math.ceil(this.session.remainingMs(ds.millis()) / 1000)
    }
    /** The active fault as [code, pad (255 = all)]. */
    fault(): [number, number] {
        const sup = this.deps.supervisor
        const code = sup.activeFault()
        if (code === FaultCode.None) return [0, 0]
        const r = sup.records
        for (let i = r.length - 1; i >= 0; i--) {
            const x = r[i]
            if (x.clearedMs < 0) if (x.code === code) return [code, x.pad < 0 ? 255 : x.pad]
        }
        return [code, 255]
    }
    telemetry() {
        return this.deps.tap.encode(this.session, this.deps.supervisor, ds.millis())
    }
    writeResult(): [number, number, string] {
        return this.lastWrite
    }
    storageStatus() {
        return this.deps.storage.status
    }

    // ---- the one road in --------------------------------------------------------------------

    /**
     * Runs command `cmd` (fields [seq, ...]) through the queue: checks seq, answers a retry
     * from the cache, catches anything thrown; the answer is [seq, code, ...].
     */
    async command(cmd: number, args: any): Promise<any[]> {
        const self = this
        const f = fieldsOf(args)
        return await this.queue.run(async () => await self.answer(cmd, f))
    }

    private async answer(cmd: number, f: any[]): Promise<any[]> {
        const now = ds.millis()
        let seq = f[0]
        let out: any = null
        if (!isWholeIn(seq, 0, 65535)) {
            seq = 0
            out = no(RESULT_MALFORMED, "malformed: no seq")
        } else {
            if (seq !== 0) {
                for (let i = 0; i < this.answers.length; i++) {
                    const a = this.answers[i]
                    if (a[0] === cmd) if (a[1] === seq) if (now - a[2] < ANSWER_KEEP_MS) return a[3]
                }
            }
            try {
                out = await this.dispatch(cmd, f, now)
            } catch (e: any) {
                let m = "unknown"
                if (e) if (e.message) m = e.message
                console.log("control: a handler threw: " + m)
                out = no(RESULT_BUSY, "internal error: " + m)
            }
            // a session command's own code
            if (typeof out === "number")
                out = [resultOfSession(out), out === SESSION_OK ? "" : refusalText(out)]
        }
        this.handled++
        if (out[0] !== RESULT_OK) this.refused++
        const fields = [seq]
        for (let i = 0; i < out.length; i++) {
            let x = out[i]
            if (typeof x === "string") if (x.length > MAX_MESSAGE) x = x.slice(0, MAX_MESSAGE)
            fields.push(x)
        }
        // Only commands that change something are kept for a retry: running a read again
        // (list_patterns, pattern_reason, read_usage) is harmless, and their answers carry
        // the longest texts (a kept page is ~300 B of heap; eight of them took the room a
        // pattern's table needs). Expired answers go as soon as there is a new one.
        if (seq !== 0)
            if (cmd < CMD_LIST_PATTERNS || cmd > CMD_READ_USAGE) {
                const kept = this.answers
                while (kept.length > 0) {
                    if (kept.length < ANSWERS_KEPT) if (now - kept[0][2] < ANSWER_KEEP_MS) break
                    kept.shift()
                }
                kept.push([cmd, seq, now, fields])
            }
        return fields
    }

    /** A write of register `reg` (0x80..0x84): runs like a command (with seq 0) and pushes write_result. */
    async write(reg: number, v: any) {
        const f = fieldsOf(v)
        f.unshift(0)
        const out = await this.command(reg === REG_SESSION_MINUTES ? WRITE_MINUTES : reg + 6, f)
        this.lastWrite = [reg, out[1], typeof out[2] === "string" ? out[2] : ""]
        try {
            await this._send(ds.MassagerControl.spec.lookup("writeResult").encode(this.lastWrite))
        } catch (e) {}
    }

    /**
     * Command `cmd` with fields f ([seq, ...]) at `now`: the answer after [seq] ([code, ...]),
     * or a session command's code (SESSION_OK or REFUSED_*).
     */
    private async dispatch(cmd: number, f: any[], now: number): Promise<any> {
        const d = this.deps
        const s = this.session
        const cat = d.catalog
        const up = this.upload
        const v = f[1]
        const byte = isWholeIn(v, 0, 255)
        // a pattern id: text, "" when it is not
        let id = ""
        if (typeof v === "string") id = v
        let code = 0
        switch (cmd) {
            case CMD_START:
                if (!byte) return no(RESULT_MALFORMED, "start: needs minutes (0 or 5..30)")
                if (v !== 0)
                    if (!isSessionMinutes(v))
                        return no(
                            RESULT_OUT_OF_RANGE,
                            `start: minutes must be 0 or 5..30 in steps of 5 (got ${v})`
                        )
                code = s.start(now)
                if (code === SESSION_OK) if (v !== 0) if (v !== s.minutes()) s.setMinutes(v, now)
                return code
            case CMD_STOP:
                return s.stop(now)
            case CMD_PAUSE:
                return s.pause(now)
            case CMD_RESUME:
                return s.resume(now)
            case CMD_CLEAR_FAULT:
                return s.clearFault(now)
            case CMD_EXTEND:
                if (!byte) return no(RESULT_MALFORMED, "extend: needs minutes")
                return s.extend(v, now)
            case CMD_SET_PATTERN:
                if (id.length === 0) return no(RESULT_MALFORMED, "set_pattern: needs an id")
                code = s.canChange(false)
                if (code !== SESSION_OK) return code
                if (!cat.has(v)) return no(RESULT_UNKNOWN_PATTERN, `set_pattern: no pattern "${v}"`)
                const p = await cat.load(v)
                if (!p) return no(RESULT_UNKNOWN_PATTERN, `set_pattern: "${v}" could not be loaded`)
                return s.setPattern(v, p, ds.millis())
            case CMD_SET_INTENSITY:
                if (!byte) return no(RESULT_MALFORMED, "intensity: needs a level 1..5")
                if (!isWholeIn(v, 1, 5)) return no(RESULT_OUT_OF_RANGE, `intensity: must be 1..5 (got ${v})`)
                if (s.state === SESSION_RUNNING) return s.setIntensity(v, now)
                if (s.state === SESSION_PAUSED) return s.setIntensity(v, now)
                return s.setStartIntensity(v, now)
            case CMD_SET_HEAT:
                if (!byte) return no(RESULT_MALFORMED, "heat: needs a level 0..3")
                if (v > 3) return no(RESULT_OUT_OF_RANGE, `heat: must be 0..3 (got ${v})`)
                return s.setHeatLevel(v, now)
            case CMD_SET_FOCUS:
                const max = MAX_FOCUS_GAIN * 100
                for (let z = 1; z <= 4; z++) {
                    if (!isWholeIn(f[z], 0, 255)) return no(RESULT_MALFORMED, "focus: needs 4 percentages")
                    if (f[z] > max)
                        return no(RESULT_OUT_OF_RANGE, `focus: each zone 0..${max} % (got ${f[z]})`)
                }
                code = s.canChange(false)
                for (let z = 0; z < 4; z++) if (code === SESSION_OK) code = s.setFocus(z, f[z + 1] / 100, now)
                return code
            case CMD_SET_LOCK:
                if (!byte) return no(RESULT_MALFORMED, "lock: needs 0 or 1")
                if (v > 1) return no(RESULT_OUT_OF_RANGE, `lock: must be 0 or 1 (got ${v})`)
                return s.setLocked(v === 1, now)
            case WRITE_MINUTES:
                if (!byte) return no(RESULT_MALFORMED, "session_minutes: needs minutes")
                if (!isSessionMinutes(v))
                    return no(RESULT_OUT_OF_RANGE, `session_minutes: 5..30 in steps of 5 (got ${v})`)
                return s.setMinutes(v, now)
            case CMD_LIST_PATTERNS:
                const n = cat.count()
                if (!byte) return [RESULT_MALFORMED, 0, n, 0, "", "", "list_patterns: needs an index"]
                const e = cat.at(v)
                if (!e)
                    return [
                        RESULT_UNKNOWN_PATTERN,
                        v,
                        n,
                        0,
                        "",
                        "",
                        `list_patterns: index ${v} is past ${n - 1}`,
                    ]
                return [RESULT_OK, v, n, e.custom ? 1 : 0, e.id, e.name, e.description]
            case CMD_PATTERN_REASON:
                if (!byte) return [RESULT_MALFORMED, 0, "pattern_reason: needs an index"]
                const r = cat.at(v)
                if (!r) return [RESULT_UNKNOWN_PATTERN, v, `pattern_reason: no pattern ${v}`]
                return [RESULT_OK, v, r.reason]
            case CMD_READ_USAGE:
                const weeks = d.storage.usage.weeks
                const out: any[] = [RESULT_OK, this.unixAt > 0 ? 1 : 0, weeks.length]
                for (let i = 0; i < weeks.length; i++) for (let j = 0; j < 3; j++) out.push(weeks[i][j])
                return out
            case CMD_SET_CLOCK:
                const t = f[2]
                if (!isIn(t, 0, Infinity)) return no(RESULT_MALFORMED, "set_clock: needs unix seconds")
                if (t < MIN_UNIX_S) return no(RESULT_OUT_OF_RANGE, `set_clock: ${t} is before 2020`)
                this.unixAt = t
                this.clockAtMs = now
                return SESSION_OK
            case CMD_UPLOAD_BEGIN:
                return no(up.begin(v, f[2], now), up.message)
            case CMD_UPLOAD_CHUNK:
                // not bytes: refused by the upload (no length)
                code = up.chunk(v, f[2], now)
                return [code, up.received, up.message]
            case CMD_UPLOAD_ABORT:
                up.abort()
                return SESSION_OK
            case CMD_UPLOAD_COMMIT:
                code = up.finish(now)
                if (code !== RESULT_OK) {
                    const msg = up.message
                    up.abort()
                    return no(code, msg)
                }
                const bytes = up.take()
                const spec = parseChecked(bytes, cat.framePeriodMs)
                if (typeof spec === "string") return no(RESULT_INVALID_PATTERN, spec)
                if (cat.isBuiltin(spec.id))
                    return no(
                        RESULT_BUILT_IN,
                        `upload: "${spec.id}" is a built-in pattern; choose another id`
                    )
                if (d.storage.patterns.slotFor(spec.id) < 0)
                    return no(
                        RESULT_STORE_FULL,
                        `upload: ${MAX_CUSTOM_PATTERNS} custom patterns are kept; delete one first`
                    )
                try {
                    await d.storage.patterns.save(spec, bytes)
                } catch (err: any) {
                    return no(RESULT_STORAGE_FAILED, "upload: not stored: " + err.message)
                }
                return no(RESULT_OK, `stored "${spec.id}"`)
            case CMD_DELETE_PATTERN:
                if (id.length === 0) return no(RESULT_MALFORMED, "delete_pattern: needs an id")
                if (cat.isBuiltin(v)) return no(RESULT_BUILT_IN, `delete_pattern: "${v}" is built in`)
                if (d.storage.patterns.find(v) < 0)
                    return no(RESULT_UNKNOWN_PATTERN, `delete_pattern: no custom pattern "${v}"`)
                if (s.patternId === v) {
                    // the selected pattern goes: the default takes its place first (or nothing changes)
                    code = s.canChange(false)
                    if (code !== SESSION_OK) return code
                    const dp = await cat.load(DEFAULT_PATTERN_ID)
                    code = dp ? s.setPattern(DEFAULT_PATTERN_ID, dp, ds.millis()) : -1
                    if (code !== SESSION_OK)
                        return no(RESULT_BUSY, "delete_pattern: the default pattern could not be selected")
                }
                try {
                    await d.storage.patterns.remove(v)
                } catch (err: any) {
                    return no(RESULT_STORAGE_FAILED, "delete_pattern: " + err.message)
                }
                return SESSION_OK
        }
        return no(RESULT_MALFORMED, "unknown command")
    }

    // ---- session events, usage, telemetry ----------------------------------------------------

    /** The session's events: noted here, sent by `run` (a listener must not await). */
    sessionEvent(event: number, detail: number, nowMs: number) {
        // EVENT_STARTED, EVENT_ENDED and EVENT_FAULT (1..3, not EVENT_CHANGED)
        if (event >= EVENT_STARTED)
            if (event <= EVENT_FAULT) if (this.events.length < 16) this.events.push([event, detail])
    }

    /** Sends the noted events and keeps the usage history; call regularly. */
    async flushEvents() {
        const spec = ds.MassagerControl.spec
        const d = this.deps
        while (this.events.length > 0) {
            const e = this.events.shift()
            let pkt: ds.Packet
            if (e[0] === EVENT_FAULT) pkt = spec.lookup("faultLatched").encode([e[1], this.fault()[1]])
            else {
                // the week of the unix time now (0 while no client set the clock)
                let week = 0
                if (this.unixAt > 0)
                    week = Math.floor(
                        (this.unixAt + Math.floor((ds.millis() - this.clockAtMs) / 1000)) / WEEK_S
                    )
                const usage = d.storage.usage
                if (e[0] === EVENT_STARTED) {
                    usage.sessionStarted(week)
                    pkt = spec.lookup("sessionStarted").encode([e[1], this.session.patternId])
                } else {
                    usage.addMinutes(week, this.session.lastPlayedMs / 60000)
                    // EndReason: 0 stopped, 1 timer ended, 2 fault
                    let why = 0
                    if (e[1] === END_TIMER) why = 1
                    if (e[1] === END_FAULT) why = 2
                    pkt = spec.lookup("sessionEnded").encode(why)
                }
                await d.storage.save(USAGE_KEY, usage.weeks)
            }
            await this.sendEvent(pkt)
        }
    }

    /** Pushes telemetry every `periodMs` and sends events, until the VM stops. */
    async run(periodMs: number) {
        const spec = ds.MassagerControl.spec.lookup("telemetry")
        while (true) {
            try {
                await this.flushEvents()
                await this._send(spec.encode(this.telemetry()))
            } catch (e: any) {
                console.log("control: telemetry: " + e.message)
            }
            await ds.sleep(periodMs)
        }
    }
}

/**
 * The commands and register writes, by name: the runtime's server finds a packet's handler by
 * its name (services/massager-control.md), and every one of them is one call, `command(code,
 * args)` or `write(register, value)`. They are installed in a loop (one small function each)
 * rather than written out: forty near-identical methods would take about 1 KB of the image's
 * 64 KB of function code.
 */
export interface MassagerControlServer {
    set_intensity(v: any): Promise<void>
    set_heatLevel(v: any): Promise<void>
    set_focus(v: any): Promise<void>
    set_lock(v: any): Promise<void>
    set_sessionMinutes(v: any): Promise<void>
    start(a: any): Promise<any[]>
    stop(a: any): Promise<any[]>
    pause(a: any): Promise<any[]>
    resume(a: any): Promise<any[]>
    extend(a: any): Promise<any[]>
    setPattern(a: any): Promise<any[]>
    setIntensity(a: any): Promise<any[]>
    setHeat(a: any): Promise<any[]>
    setFocus(a: any): Promise<any[]>
    setLock(a: any): Promise<any[]>
    clearFault(a: any): Promise<any[]>
    listPatterns(a: any): Promise<any[]>
    patternReason(a: any): Promise<any[]>
    readUsage(a: any): Promise<any[]>
    setClock(a: any): Promise<any[]>
    uploadBegin(a: any): Promise<any[]>
    uploadChunk(a: any): Promise<any[]>
    uploadCommit(a: any): Promise<any[]>
    uploadAbort(a: any): Promise<any[]>
    deletePattern(a: any): Promise<any[]>
}

function commandMethod(cmd: number) {
    return async function (this: MassagerControlServer, a: any) {
        return await this.command(cmd, a)
    }
}

function writeMethod(reg: number) {
    return async function (this: MassagerControlServer, v: any) {
        await this.write(reg, v)
    }
}

function installHandlers() {
    const proto: any = MassagerControlServer.prototype
    const spec = ds.MassagerControl.spec
    // the commands, codes 0x80..0x94 (0x8f is not used), by their spec names
    for (let code = CMD_START; code <= CMD_DELETE_PATTERN; code++) {
        const p = spec.byCode(code)
        if (p) proto[p.name] = commandMethod(code)
    }
    // the writable registers 0x80..0x84: "set_" and the register's name
    for (let reg = REG_INTENSITY; reg <= REG_SESSION_MINUTES; reg++)
        proto["set_" + spec.byCode(0x1000 | reg).name] = writeMethod(reg)
}
installHandlers()
