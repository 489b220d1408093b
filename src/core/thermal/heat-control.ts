import { clamp, isIn } from "../util/numbers"

/** Heat levels the user chooses. */
export const HEAT_OFF = 0
export const HEAT_LOW = 1
export const HEAT_MEDIUM = 2
export const HEAT_HIGH = 3

/** The highest target any configuration or command can set, C. */
export const MAX_TARGET_C = 43

/** Default targets of low, medium and high, C. */
export const DEFAULT_TARGETS_C = [0, 38, 41, 43]

/** The target for a heat level under a configuration; never above MAX_TARGET_C, 0 when off. */
export function targetFor(level: number, targets: number[]): number {
    if (!isIn(level, HEAT_LOW, HEAT_HIGH)) return 0
    let t = DEFAULT_TARGETS_C[level]
    if (targets) if (targets.length > level) t = targets[level]
    if (!(t > 0)) return 0
    return t < MAX_TARGET_C ? t : MAX_TARGET_C
}

/**
 * Closed-loop heat for one pad: a PI controller from temperature to duty (0..1).
 *
 * Tuned on the thermal model (PadModel: gain 20 K per unit duty, time constant about 80 s):
 * the proportional band is 4 K below the target (Kp = 0.25/K) and 0.5 K above it (a pad over its
 * target is backed off hard: heat never lingers above the target, and a pad that keeps rising
 * with its heater commanded off shows a stuck heater early); the integral (Ti = 60 s) only runs
 * within 2 K of the target and stays within 0..1 duty (anti-windup), so the heat-up from room
 * or foot temperature does not wind it up and the pad settles without overshooting by more than
 * 1 K. The integral starts from the duty the model says holds the target (feed-forward), so a
 * pad that reaches the target holds it at once.
 */
export class HeatController {
    /** Target, C; 0 is off. */
    target = 0
    /** Integral term, in duty. */
    private integral = 0
    /** The last duty computed. */
    duty = 0
    kp = 0.25
    /** Gain above the target, per K. */
    kpAbove = 2
    tiS = 60
    /** Within this many K of the target the integral runs. */
    integrateBandK = 2

    /** Sets the target (clamped to MAX_TARGET_C; 0 or less is off). */
    setTarget(targetC: number) {
        const t = targetC > 0 ? (targetC < MAX_TARGET_C ? targetC : MAX_TARGET_C) : 0
        if (t !== this.target) {
            // feed-forward: the duty that holds the target with a foot on the pad (model)
            this.integral = t > 0 ? clamp((t - 31) / 20, 0, 1) : 0
        }
        this.target = t
    }

    /** The duty for a temperature reading (NaN: not trusted, duty 0); dtS since the last update. */
    update(tempC: number, dtS: number): number {
        let on = false
        if (this.target > 0) on = tempC === tempC
        if (!on) {
            this.duty = 0
            return 0
        }
        const e = this.target - tempC
        const p = (e >= 0 ? this.kp : this.kpAbove) * e
        if (e < this.integrateBandK)
            if (e > -this.integrateBandK) {
                const next = this.integral + (this.kp * e * dtS) / this.tiS
                this.integral = clamp(next, 0, 1)
            }
        this.duty = clamp(p + this.integral, 0, 1)
        return this.duty
    }
}
