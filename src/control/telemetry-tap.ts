import { Frame } from "../core/frame/frame"
import { FrameGuard } from "../core/frame/guard"
import { Session } from "../core/session/session"
import { SafetySupervisor } from "../core/safety/supervisor"
import { encodeTelemetry, telemetrySize } from "./telemetry"

/**
 * Sees every frame as it leaves for the board (the last guard: after the supervisor's and the
 * session's vetoes) and keeps its levels and heater bits for the telemetry report.
 */
export class TelemetryTap implements FrameGuard {
    readonly levels: number[] = []
    heaters = 0
    private readonly temps: number[] = []
    private readonly out: Buffer

    constructor(readonly channels: number) {
        for (let c = 0; c < channels; c++) {
            this.levels.push(0)
            this.temps.push(NaN)
        }
        this.out = Buffer.alloc(telemetrySize(channels))
    }

    inspect(f: Frame, tMs: number) {
        for (let c = 0; c < this.channels; c++) this.levels[c] = f.levels[c]
        this.heaters = f.heaterPower ? f.heaters : 0
    }

    /** The packed report now (one buffer, reused). */
    encode(session: Session, supervisor: SafetySupervisor, nowMs: number): Buffer {
        for (let c = 0; c < this.channels; c++) this.temps[c] = supervisor.temperature(c)
        const remaining = Math.ceil(session.remainingMs(nowMs) / 1000)
        encodeTelemetry(this.out, session.state, remaining, this.heaters, this.levels, this.temps)
        return this.out
    }
}
