import { Scheduler } from "../scheduler/scheduler"
import { DEFAULT_TARGETS_C, HEAT_OFF, HeatController, targetFor } from "./heat-control"
import { SafetySupervisor } from "../safety/supervisor"
import { SensorFilter } from "../physics/sensor-filter"
import { celsiusOf } from "../physics/thermistor"

/** Smoothing of the control reading (exponential, per sample, after the median): a time
 *  constant of about 0.3 s at 10 samples a second. */
const CONTROL_SMOOTHING = 0.3

/**
 * Heat for every pad: the user's heat level becomes a target per pad; each pad's control
 * thermistor drives its controller, whose duty the scheduler slices into frames. The pad's
 * protection thermistor goes to the safety supervisor alone (and the control reading too, for
 * the supervisor's cross-check): one lying sensor cannot defeat both control and protection.
 * A pad the supervisor does not allow to heat gets duty 0 (the supervisor also vetoes it in
 * every frame: the duty is a courtesy).
 */
export class HeatManager {
    readonly controllers: HeatController[] = []
    private readonly lastUpdateMs: number[] = []
    private readonly filters: SensorFilter[] = []
    /** Each pad's control reading (median, then smoothed), C; NaN while the sensor is bad. */
    readonly controlC: number[] = []
    /** The user's heat level (HEAT_OFF..HEAT_HIGH). */
    level = HEAT_OFF
    /** The level's target, C (0 = off). */
    private levelTargetC = 0

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
            this.filters.push(new SensorFilter())
            this.controlC.push(NaN)
        }
    }

    /** Sets the heat level for every pad at tMs. */
    setLevel(level: number, tMs: number) {
        this.level = level
        const t = targetFor(level, this.targets ? this.targets : DEFAULT_TARGETS_C)
        this.levelTargetC = t
        for (let p = 0; p < this.controllers.length; p++) {
            this.controllers[p].setTarget(t)
            this.supervisor.setTarget(p, t, tMs)
            if (t === 0) this.scheduler.setHeaterDuty(p, 0)
        }
    }

    /**
     * Samples of pad p's two thermistors at tMs (ms since boot), raw 16-bit: the control sensor
     * (heat control's) and the protection sensor (the supervisor's alone).
     */
    onSample(p: number, controlRaw: number, protectionRaw: number, tMs: number) {
        this.supervisor.onControlSample(p, controlRaw, tMs)
        this.supervisor.onSample(p, protectionRaw, tMs)
        const c = this.controllers[p]
        if (!c) return
        const reading = celsiusOf(controlRaw)
        let temp = NaN
        if (reading === reading) {
            const median = this.filters[p].add(reading)
            const last = this.controlC[p]
            temp = last === last ? last + (median - last) * CONTROL_SMOOTHING : median
        }
        this.controlC[p] = temp
        const last = this.lastUpdateMs[p]
        const dtS = last < 0 ? 0 : (tMs - last) / 1000
        this.lastUpdateMs[p] = tMs
        // without a foot, less heat: a pad the supervisor judges bare is held at its bare target
        const S = this.supervisor
        const t = this.levelTargetC
        c.setTarget((S.bareMask >> p) & 1 && t > S.limits.bareTargetC ? S.limits.bareTargetC : t)
        const duty = S.padAllowed(p, tMs) ? c.update(temp, dtS) : 0
        this.scheduler.setHeaterDuty(p, duty)
    }
}
