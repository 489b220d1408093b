import { SchedulerConfig, checkConfig } from "./config"
import { Frame } from "../frame/frame"
import { HeaterSlicer } from "./heaters"
import { Layer } from "./layer"
import { Scheduler } from "./scheduler"
import { CompiledPattern } from "../pattern/compiled-pattern"

/** Intent kinds of a preview script. */
export const INTENT_PATTERN = "pattern"
export const INTENT_OVERLAY = "overlay"
export const INTENT_INTENSITY = "intensity"
export const INTENT_FOCUS = "focus"
export const INTENT_HEAT = "heat"
export const INTENT_START = "start"
export const INTENT_PAUSE = "pause"
export const INTENT_RESUME = "resume"
export const INTENT_STOP = "stop"

/**
 * One timed intent of a preview script, applied before frame `frame` is computed:
 * - pattern: [pattern]; overlay: [pattern or null, zone mask, gain]; intensity: [level, fine %];
 *   focus: [zone, gain]; heat: [channel, duty]; start, pause, resume, stop: [].
 */
export class Intent {
    constructor(
        readonly frame: number,
        readonly kind: string,
        readonly args: any[]
    ) {}
}

/**
 * Copies a scheduler's whole state (layers, slicer, last frame included) into another of the
 * same config: its own arrays element by element, everything else (numbers, patterns, a layer's
 * `table`, which points at a pattern's table, the shared frozen row or a signal row, which the
 * layer points at its own again when it renders one) by reference.
 */
function copyState(dst: any, src: any) {
    const keys = Object.keys(src)
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i]
        const v = src[key]
        const d = dst[key]
        if (v instanceof Layer || v instanceof HeaterSlicer || v instanceof Frame) copyState(d, v)
        else if (key !== "table" && Array.isArray(v) && Array.isArray(d) && d !== v) {
            for (let j = 0; j < v.length; j++) d[j] = v[j]
        } else dst[key] = v
    }
}

/** A saved state of the preview's scheduler: the frame it is due to compute next, the next intent. */
class Checkpoint {
    constructor(
        readonly frame: number,
        readonly nextIntent: number,
        readonly scheduler: Scheduler
    ) {}
}

/**
 * Frames exactly as the device plays them, for the dashboard: a config and an intent script
 * (or one pattern started at frame 0) in, frames k0..k1 out, slew history, crossfades and
 * heater carries included. Random access: a frame before the last one computed is replayed
 * from the nearest earlier checkpoint (one every `checkpointFrames` frames), deterministically.
 * Frames come out as copies. Node and the page only (it allocates).
 */
export class Preview {
    /** null, or why the config was refused (then `frames` returns no frames). */
    readonly error: string
    private readonly script: Intent[]
    private scheduler: Scheduler = null
    private next = 0
    private nextIntent = 0
    private readonly checkpoints: Checkpoint[] = []

    /**
     * @param config the scheduler config (checked: a bad one sets `error`)
     * @param script timed intents in increasing frame order, or a CompiledPattern to play from
     *   frame 0 at intensity 3
     * @param checkpointFrames frames between saved states (memory against replay time)
     */
    constructor(
        readonly config: SchedulerConfig,
        script: any,
        readonly checkpointFrames = 500
    ) {
        this.error = checkConfig(config)
        if (script instanceof CompiledPattern) {
            this.script = [new Intent(0, INTENT_PATTERN, [script]), new Intent(0, INTENT_START, [])]
        } else this.script = script ? script : []
        for (let i = 1; i < this.script.length; i++)
            if (this.script[i].frame < this.script[i - 1].frame && !this.error)
                this.error = `script[${i}].frame: intents must come in increasing frame order`
        if (!this.error) this.rewind(null)
    }

    /** Frames k0..k1 (inclusive), each a copy. */
    frames(k0: number, k1: number): Frame[] {
        const out: Frame[] = []
        if (this.error) return out
        if (k0 < this.next) {
            let best: Checkpoint = null
            for (let i = 0; i < this.checkpoints.length; i++)
                if (this.checkpoints[i].frame <= k0) best = this.checkpoints[i]
            this.rewind(best)
        }
        while (this.next <= k1) {
            const k = this.next
            if (k % this.checkpointFrames === 0 && k > 0 && !this.hasCheckpoint(k)) this.save(k)
            this.applyIntents(k)
            const f = this.scheduler.frame(k)
            this.next = k + 1
            if (k >= k0) {
                const copy = new Frame(f.channels)
                copy.copyFrom(f)
                out.push(copy)
            }
        }
        return out
    }

    private rewind(from: Checkpoint) {
        if (!this.scheduler) this.scheduler = new Scheduler(this.config)
        if (from) {
            copyState(this.scheduler, from.scheduler)
            this.next = from.frame
            this.nextIntent = from.nextIntent
        } else {
            const fresh = new Scheduler(this.config)
            copyState(this.scheduler, fresh)
            this.next = 0
            this.nextIntent = 0
        }
    }

    private hasCheckpoint(k: number): boolean {
        for (let i = 0; i < this.checkpoints.length; i++) if (this.checkpoints[i].frame === k) return true
        return false
    }

    private save(k: number) {
        const s = new Scheduler(this.config)
        copyState(s, this.scheduler)
        this.checkpoints.push(new Checkpoint(k, this.nextIntent, s))
    }

    private applyIntents(k: number) {
        const s = this.scheduler
        while (this.nextIntent < this.script.length && this.script[this.nextIntent].frame <= k) {
            const it = this.script[this.nextIntent++]
            const a = it.args
            if (it.kind === INTENT_PATTERN) s.setPattern(a[0], k)
            else if (it.kind === INTENT_OVERLAY) s.setOverlay(a[0], a[1], a[2], k)
            else if (it.kind === INTENT_INTENSITY) s.setIntensity(a[0], a[1], k)
            else if (it.kind === INTENT_FOCUS) s.setFocus(a[0], a[1], k)
            else if (it.kind === INTENT_HEAT) s.setHeaterDuty(a[0], a[1], k)
            else if (it.kind === INTENT_START) s.start(k)
            else if (it.kind === INTENT_PAUSE) s.pause(k)
            else if (it.kind === INTENT_RESUME) s.resume(k)
            else if (it.kind === INTENT_STOP) s.stop(k)
        }
    }
}
