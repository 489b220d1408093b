/*
 * The fault rig: the firmware's heat path (scheduler, heat manager, safety supervisor) driving
 * the thermal model of every pad, frame by frame, in simulated time. Portable: the VM runs it
 * for `npm run faults` and `npm test`, node can run it too.
 */
import {
    HEAT_HIGH,
    HeatManager,
    PadModel,
    Prng,
    SafetySupervisor,
    Scheduler,
    SchedulerConfig,
    makeConfig,
} from "../../src/core"

/** Thermistor samples per second. */
export const SAMPLE_PERIOD_MS = 100

/** The firmware side of the rig: what a restart rebuilds. */
export class Firmware {
    readonly scheduler: Scheduler
    readonly supervisor: SafetySupervisor
    readonly heat: HeatManager

    constructor(config: SchedulerConfig) {
        this.scheduler = new Scheduler(config)
        this.supervisor = new SafetySupervisor(this.scheduler.channels)
        this.heat = new HeatManager(this.scheduler, this.supervisor, null)
    }
}

/** Firmware plus pads, stepped a frame at a time. */
export class Rig {
    readonly config: SchedulerConfig
    readonly pads: PadModel[] = []
    readonly noise: Prng
    fw: Firmware
    /** Simulated ms since boot, and frames since boot. */
    tMs = 0
    k = 0
    /**
     * A fault of the control loop (firmware): "full" heat control asks every pad for full duty
     * whatever it reads, "frozen" it stops updating and every pad keeps the duty it had.
     */
    controlFault = "none"
    private readonly frozenDuty: number[] = []
    /** Per pad: samples stop reaching the firmware. */
    readonly samplesStopped: boolean[] = []
    /** Highest pad temperature seen, C, and on which pad. */
    maxC = 0
    maxPad = -1
    private readonly onFrames: number[] = []
    private powerFrames = 0
    private framesInStep = 0

    /**
     * @param startC every pad's starting temperature
     * @param seed the noise's seed
     */
    constructor(startC: number, seed: number) {
        // 100 ms frames (heater window 1 s, as on the device): heat moves over tens of seconds,
        // and a coarser frame lets the VM play minutes of a scenario in seconds
        this.config = makeConfig({ framePeriodMs: SAMPLE_PERIOD_MS, heaterWindowFrames: 10 })
        this.fw = new Firmware(this.config)
        this.noise = new Prng(seed)
        for (let p = 0; p < this.fw.scheduler.channels; p++) {
            this.pads.push(new PadModel(startC))
            this.samplesStopped.push(false)
            this.onFrames.push(0)
        }
    }

    /** The user starts a session with heat at `level` (and the gentle vibration off). */
    startSession(level: number) {
        const fw = this.fw
        fw.scheduler.start(this.k)
        fw.supervisor.startSession(this.tMs)
        fw.heat.setLevel(level, this.tMs)
    }

    /** The user ends the session. */
    endSession() {
        this.fw.scheduler.stop(this.k)
        this.fw.supervisor.endSession(this.tMs)
        this.fw.heat.setLevel(0, this.tMs)
    }

    /** A restart: the firmware boots afresh while the pads keep their heat (in the VM, let the
     *  old one go and yield first: two do not fit its heap). */
    restart() {
        this.fw = new Firmware(this.config)
    }

    /** True when pad p's heater gets power in the current frame. */
    heated(p: number): boolean {
        const f = this.fw.scheduler.output
        return f.heaterPower && (f.heaters & (1 << p)) !== 0
    }

    /** Advances one frame; every SAMPLE_PERIOD_MS the pads step and are sampled. */
    step() {
        const fw = this.fw
        const f = fw.scheduler.frame(this.k)
        fw.supervisor.inspect(f, this.tMs)
        for (let p = 0; p < this.pads.length; p++)
            if (f.heaterPower && (f.heaters & (1 << p)) !== 0) this.onFrames[p]++
        if (f.heaterPower) this.powerFrames++
        this.framesInStep++
        this.k++
        this.tMs += this.config.framePeriodMs
        if (this.tMs % SAMPLE_PERIOD_MS !== 0) return
        const n = this.framesInStep
        const dtS = SAMPLE_PERIOD_MS / 1000
        for (let p = 0; p < this.pads.length; p++) {
            const pad = this.pads[p]
            // a stuck heater heats whenever the supply is on (the master cut closed)
            pad.step(dtS, this.onFrames[p] / n, this.powerFrames > 0)
            this.onFrames[p] = 0
            if (pad.tempC > this.maxC) {
                this.maxC = pad.tempC
                this.maxPad = p
            }
            if (this.samplesStopped[p]) continue
            // a sample may be lost (a failed conversion or bus read): the firmware gets none for
            // that pad this time
            const noise = this.noise
            const lost = pad.control.dropped(noise) || pad.protection.dropped(noise)
            if (!lost)
                fw.heat.onSample(p, pad.control.reading(noise), pad.protection.reading(noise), this.tMs)
            // a control-loop fault overrides what heat control asked (the supervisor still vetoes)
            if (this.controlFault === "full") fw.scheduler.setHeaterDuty(p, 1)
            else if (this.controlFault === "frozen") {
                if (this.frozenDuty.length <= p) this.frozenDuty.push(fw.heat.controllers[p].duty)
                fw.scheduler.setHeaterDuty(p, this.frozenDuty[p])
            }
        }
        this.powerFrames = 0
        this.framesInStep = 0
    }

    /** Runs until simulated time `tMs`, yielding to `each` after every sample period. */
    runTo(tMs: number) {
        while (this.tMs < tMs) this.step()
    }
}
