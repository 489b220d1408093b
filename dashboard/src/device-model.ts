/**
 * What the page knows of the device, read from it: settings, session, fault, patterns, usage
 * and the latest telemetry. Filled from the device's own reports after every (re)connect, so
 * the controls always show the device's real state.
 */
import { Answer, ControlClient } from "./control-client"
import { Cmd, Evt, Reg, RESULT_OK, SessionState, Telemetry } from "./protocol"

/** One entry of the device's pattern list. */
export interface PatternInfo {
    index: number
    id: string
    name: string
    description: string
    reason: string
    custom: boolean
}

/** One week of the usage history. */
export interface UsageWeek {
    week: number
    sessions: number
    minutes: number
}

/** The device's state as last reported. */
export interface DeviceState {
    intensity: number
    heatLevel: number
    focus: number[]
    lock: boolean
    sessionMinutes: number
    state: SessionState
    pattern: string
    remainingS: number
    faultCode: number
    faultPad: number
    patterns: PatternInfo[]
    usage: UsageWeek[]
    clockSet: boolean
    telemetry: Telemetry
}

/** A state before anything is read. */
export function emptyState(): DeviceState {
    return {
        intensity: 3,
        heatLevel: 0,
        focus: [100, 100, 100, 100],
        lock: false,
        sessionMinutes: 15,
        state: SessionState.Off,
        pattern: "",
        remainingS: 0,
        faultCode: 0,
        faultPad: 255,
        patterns: [],
        usage: [],
        clockSet: false,
        telemetry: null,
    }
}

/** Keeps a DeviceState up to date from one client. */
export class DeviceModel {
    readonly state = emptyState()
    private readonly changed: ((what: string) => void)[] = []
    private readonly stop: () => void

    constructor(readonly client: ControlClient) {
        this.stop = client.listen({
            telemetry: t => {
                this.state.telemetry = t
                this.state.state = t.state
                this.state.remainingS = t.remainingS
                this.emit("telemetry")
            },
            register: (reg, v) => this.onRegister(reg, v),
            event: code => {
                if (code === Evt.SessionEnded || code === Evt.SessionStarted) this.readUsage()
                if (code === Evt.FaultLatched) client.refresh(Reg.Fault)
                if (code === Evt.SessionStarted) client.refresh(Reg.Pattern)
            },
        })
    }

    /** Calls `f` with a word naming what changed (telemetry, settings, patterns, usage, fault). */
    onChange(f: (what: string) => void) {
        this.changed.push(f)
    }

    /** Stops listening. */
    close() {
        this.stop()
    }

    private emit(what: string) {
        for (const f of this.changed) f(what)
    }

    /** Reads everything from the device: registers, the pattern list, the usage history. */
    async readAll() {
        const c = this.client
        for (const r of [
            Reg.Intensity,
            Reg.HeatLevel,
            Reg.Focus,
            Reg.Lock,
            Reg.SessionMinutes,
            Reg.State,
            Reg.Pattern,
            Reg.Remaining,
            Reg.Fault,
        ])
            c.refresh(r)
        await c.command(Cmd.SetClock, [0, Math.floor(Date.now() / 1000)])
        await this.readPatterns()
        await this.readUsage()
    }

    /** Reads the pattern list (names, descriptions, reasons). */
    async readPatterns() {
        const list: PatternInfo[] = []
        let count = 1
        for (let i = 0; i < count && i < 64; i++) {
            const a = await this.client.command(Cmd.ListPatterns, [i])
            if (a.code !== RESULT_OK) break
            const [index, n, custom, id, name, description] = a.fields
            count = n
            const r = await this.client.command(Cmd.PatternReason, [i])
            list.push({
                index,
                id,
                name,
                description,
                reason: r.code === RESULT_OK ? r.fields[1] : "",
                custom: custom === 1,
            })
        }
        this.state.patterns = list
        this.emit("patterns")
    }

    /** Reads the usage history. */
    async readUsage() {
        const a = await this.client.command(Cmd.ReadUsage)
        if (a.code !== RESULT_OK) return
        const [clockSet, , rows] = a.fields
        this.state.clockSet = clockSet === 1
        this.state.usage = ((rows as any[][]) || []).map(([week, sessions, minutes]) => ({
            week,
            sessions,
            minutes,
        }))
        this.emit("usage")
    }

    /** Sends a command and refreshes what it may have changed. */
    async act(code: number, values: any[] = []): Promise<Answer> {
        const a = await this.client.command(code, values)
        const c = this.client
        if (code === Cmd.SetHeat) c.refresh(Reg.HeatLevel)
        if (code === Cmd.SetIntensity) c.refresh(Reg.Intensity)
        if (code === Cmd.SetFocus) c.refresh(Reg.Focus)
        if (code === Cmd.SetLock) c.refresh(Reg.Lock)
        if (code === Cmd.SetPattern) c.refresh(Reg.Pattern)
        if (code === Cmd.ClearFault) c.refresh(Reg.Fault)
        if (code === Cmd.Start || code === Cmd.Stop || code === Cmd.Pause || code === Cmd.Resume) {
            c.refresh(Reg.State)
            c.refresh(Reg.HeatLevel)
        }
        return a
    }

    private onRegister(reg: number, v: any[]) {
        const s = this.state
        let what = "settings"
        if (reg === Reg.Intensity) s.intensity = v[0]
        else if (reg === Reg.HeatLevel) s.heatLevel = v[0]
        else if (reg === Reg.Focus) s.focus = v.slice(0, 4)
        else if (reg === Reg.Lock) s.lock = v[0] === 1
        else if (reg === Reg.SessionMinutes) s.sessionMinutes = v[0]
        else if (reg === Reg.State) s.state = v[0]
        else if (reg === Reg.Pattern) s.pattern = v[0]
        else if (reg === Reg.Remaining) s.remainingS = v[0]
        else if (reg === Reg.Fault) {
            s.faultCode = v[0]
            s.faultPad = v[1]
            what = "fault"
        } else return
        this.emit(what)
    }
}
