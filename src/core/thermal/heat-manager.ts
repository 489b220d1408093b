import { Scheduler } from "../scheduler"
import { DEFAULT_TARGETS_C, HEAT_OFF, HeatController, targetFor } from "./heat-control"
import { SafetySupervisor } from "./supervisor"

/**
 * Heat for every pad: the user's heat level becomes a target per pad; each thermistor sample
 * goes to the safety supervisor first, and the supervisor's trusted reading drives the pad's
 * controller, whose duty the scheduler slices into frames. A pad the supervisor does not allow
 * to heat gets duty 0 (the supervisor also vetoes it in every frame: the duty is a courtesy).
 */
export class HeatManager {
    readonly controllers: HeatController[] = []
    private readonly lastUpdateMs: number[] = []
    /** The user's heat level (HEAT_OFF..HEAT_HIGH). */
    level = HEAT_OFF

    /**
     * @param scheduler receives each pad's duty
     * @param supervisor sees every sample first
     * @param targets targets of low, medium, high (index 1..3), C; clamped to 43 C
     */
    constructor(
        readonly scheduler: Scheduler,
        readonly supervisor: SafetySupervisor,
        readonly targets: number[]
    ) {
        for (let p = 0; p < supervisor.padCount; p++) {
            this.controllers.push(new HeatController())
            this.lastUpdateMs.push(-1)
        }
    }

    /** Sets the heat level for every pad at tMs. */
    setLevel(level: number, tMs: number) {
        this.level = level
        const t = targetFor(level, this.targets ? this.targets : DEFAULT_TARGETS_C)
        for (let p = 0; p < this.controllers.length; p++) {
            this.controllers[p].setTarget(t)
            this.supervisor.setTarget(p, t, tMs)
            if (t === 0) this.scheduler.setHeaterDuty(p, 0)
        }
    }

    /** A thermistor sample of pad p at tMs (ms since boot). */
    onSample(p: number, raw: number, tMs: number) {
        this.supervisor.onSample(p, raw, tMs)
        const c = this.controllers[p]
        if (!c) return
        const last = this.lastUpdateMs[p]
        const dtS = last < 0 ? 0 : (tMs - last) / 1000
        this.lastUpdateMs[p] = tMs
        const duty = this.supervisor.padAllowed(p, tMs) ? c.update(this.supervisor.temperature(p), dtS) : 0
        this.scheduler.setHeaterDuty(p, duty)
    }
}
