/*
 * The board's frames for end-to-end tests: a recorder that polls GET /sim/frames in the
 * background and keeps every frame the board played (with its index unwrapped from the wire's
 * u16), and what a pattern's frames must be, from the core's own Preview (the device's Scheduler
 * and config in node), to recognise a pattern at the board whatever its phase.
 */
import { DEFAULT_CONFIG, builtinPattern } from "../../../src/core"
import { previewFrames } from "../../../dashboard/src/preview"
import type { PlayedFrame } from "../../../sim/frame-log"
import { StackProcess } from "./stack"

/**
 * A frame the board played; `u` is its index unwrapped from the wire's u16 (at a VM restart it
 * jumps by RESTART_GAP plus the new boot's index).
 */
export interface BoardFrame extends PlayedFrame {
    u: number
}

/** How far `u` jumps when the frame indices start again (a restarted VM). */
export const RESTART_GAP = 1000000

/** The frame period, ms. */
export const FRAME_MS = DEFAULT_CONFIG.framePeriodMs

/** Keeps every frame the board plays, polled every `pollMs`. */
export class FrameRecorder {
    readonly frames: BoardFrame[] = []
    /** Simulator time minus this process's performance.now(), ms (from the last poll). */
    offsetMs = 0
    private lastT = -1
    private lastI = -1
    private lastU = -1
    private timer: NodeJS.Timeout = null
    private polling: Promise<void> = null
    /** Set when a poll failed (the stack went away): the message. */
    error: string = null

    constructor(
        readonly stack: StackProcess,
        readonly pollMs = 300
    ) {}

    /** Starts polling. */
    start() {
        this.timer = setInterval(() => {
            if (!this.polling) this.polling = this.poll().finally(() => (this.polling = null))
        }, this.pollMs)
    }

    /** Stops polling. */
    async stop() {
        clearInterval(this.timer)
        this.timer = null
        if (this.polling) await this.polling.catch((): void => undefined)
    }

    /** Fetches what was played since the last poll. */
    async poll(): Promise<void> {
        const t0 = performance.now()
        let a
        try {
            a = await this.stack.frames(this.lastT)
        } catch (e) {
            this.error = (e as Error).message
            return
        }
        const t1 = performance.now()
        this.offsetMs = a.now - (t0 + t1) / 2
        for (const f of a.frames) {
            let u: number
            if (this.lastU < 0) u = f.i
            else {
                // the frames play one period apart, so the index moves with the board's clock;
                // one that does not (by over 2 s) is a new boot's
                const d = (f.i - this.lastI) & 0xffff
                const expected = (f.t - this.lastT) / FRAME_MS
                u = Math.abs(d - expected) < 100 ? this.lastU + d : this.lastU + RESTART_GAP + f.i
            }
            this.lastI = f.i
            this.lastU = u
            this.lastT = f.t
            this.frames.push({ ...f, u })
        }
    }

    /** The simulator's time now (from this process's clock and the last offset). */
    simNow(): number {
        return performance.now() + this.offsetMs
    }

    /** Frames played at simulator time t with from <= t < to. */
    between(from: number, to = Infinity): BoardFrame[] {
        return this.frames.filter(f => f.t >= from && f.t < to)
    }

    /** Waits until a frame played after `from` satisfies `ok`; returns it, or rejects after timeoutMs. */
    async until(from: number, ok: (f: BoardFrame) => boolean, timeoutMs: number, what: string) {
        const end = performance.now() + timeoutMs
        // frames already fetched count too: back to the first played after `from`
        let seen = this.frames.length
        while (seen > 0 && this.frames[seen - 1].t > from) seen--
        while (performance.now() < end) {
            for (; seen < this.frames.length; seen++) {
                const f = this.frames[seen]
                if (f.t > from && ok(f)) return f
            }
            if (this.error) throw new Error(`${what}: ${this.error}`)
            await sleep(50)
        }
        const last = this.frames[this.frames.length - 1]
        throw new Error(`${what}: no such frame in ${timeoutMs} ms; last frame ${JSON.stringify(last)}`)
    }

    /** Resolves once frames played up to simulator time `t` have been fetched. */
    async reach(t: number, timeoutMs = 10000) {
        const end = performance.now() + timeoutMs
        while (performance.now() < end) {
            const last = this.frames[this.frames.length - 1]
            if (last && last.t >= t) return
            await sleep(50)
        }
        throw new Error(`no frame played after ${t} ms (simulator time) in ${timeoutMs} ms`)
    }
}

/**
 * The steady frames of a built-in pattern (or a spec) at an intensity and focus, one loop of
 * them: `levels[r]` is the frame at pattern phase r (session frame index modulo the loop).
 */
export function steadyLoop(
    pattern: string | any,
    intensity: number,
    focus = [100, 100, 100, 100]
): number[][] {
    const spec = typeof pattern === "string" ? builtinPattern(pattern) : pattern
    if (!spec) throw new Error(`no built-in pattern ${pattern}`)
    const loop = Math.round(spec.durationMs / FRAME_MS)
    // past the soft start (2 s) and a whole number of loops in, so index k is phase k % loop
    const k0 = loop * Math.ceil(400 / loop)
    const r = previewFrames(spec, k0, k0 + loop, { intensity, focus })
    if (r.error) throw new Error(r.error)
    const out: number[][] = []
    for (let j = 0; j < loop; j++) out[(k0 + j) % loop] = r.frames[j]
    return out
}

/**
 * The board's levels at every index from..to (inclusive) of `frames` (consecutive unwrapped
 * indices): a frame the firmware did not send (it sends only changes) holds the last one sent.
 * Null where no frame at or before the index is known.
 */
export function levelsByIndex(frames: BoardFrame[], from: number, to: number): number[][] {
    const out: number[][] = []
    let j = 0
    let held: number[] = null
    for (let u = from; u <= to; u++) {
        while (j < frames.length && frames[j].u <= u) held = frames[j++].levels
        out.push(held)
    }
    return out
}

function same(a: number[], b: number[]): boolean {
    if (!a || !b || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
}

/**
 * Whether the frames the board received are exactly the loop `loop` at one phase: the phase p
 * (frame u is loop[(u - p) mod L]), how many frames were checked and the indices they span, or
 * p -1 when no phase fits them all. Only frames that were sent are checked: each carries its
 * index, so a frame the firmware skipped (its loop woke late) or did not send (unchanged) is
 * simply not there. Conclusive when they span at least one whole loop.
 */
export function matchLoop(
    frames: BoardFrame[],
    loop: number[][]
): { phase: number; matched: number; span: number } {
    if (frames.length === 0) return { phase: -1, matched: 0, span: 0 }
    const L = loop.length
    const span = frames[frames.length - 1].u - frames[0].u + 1
    for (let p = 0; p < L; p++) {
        let ok = true
        for (let j = 0; j < frames.length && ok; j++)
            ok = same(frames[j].levels, loop[(((frames[j].u - p) % L) + L) % L])
        if (ok) return { phase: p, matched: frames.length, span }
    }
    return { phase: -1, matched: 0, span }
}

/** Indices missing between the first and the last of `frames` (skipped, or unchanged and not sent). */
export function missing(frames: BoardFrame[]): number {
    if (frames.length === 0) return 0
    return frames[frames.length - 1].u - frames[0].u + 1 - frames.length
}

/**
 * Why `frames` are not the loop: at the phase that matches most frames, how many match and the
 * first frame that does not, with what the loop has there (for failure messages).
 */
export function mismatch(frames: BoardFrame[], loop: number[][]): string {
    if (frames.length === 0) return "no frames"
    const L = loop.length
    const at = (u: number, p: number) => loop[(((u - p) % L) + L) % L]
    let best = 0
    let bestCount = -1
    for (let p = 0; p < L; p++) {
        let n = 0
        for (const f of frames) if (same(f.levels, at(f.u, p))) n++
        if (n > bestCount) {
            bestCount = n
            best = p
        }
    }
    for (const f of frames)
        if (!same(f.levels, at(f.u, best)))
            return (
                `at phase ${best} ${bestCount} of ${frames.length} frames match; frame ${f.u} is ` +
                `${JSON.stringify(f.levels)}, the loop has ${JSON.stringify(at(f.u, best))}`
            )
    return `all ${frames.length} frames match at phase ${best}`
}

/**
 * The first frame of `frames` (as received) whose levels are not the loop at `phase`, or null
 * when they all are.
 */
export function firstOffLoop(frames: BoardFrame[], loop: number[][], phase: number): BoardFrame {
    const L = loop.length
    for (const f of frames) if (!same(f.levels, loop[(((f.u - phase) % L) + L) % L])) return f
    return null
}

/** Percentile q (0..1) of `xs` (nearest rank). */
export function percentile(xs: number[], q: number): number {
    const s = xs.slice().sort((a, b) => a - b)
    if (s.length === 0) return NaN
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

function sleep(ms: number) {
    return new Promise(r => setTimeout(r, ms))
}
