/*
 * The golden trace: a fixed script of intents played over the first 30 s of every built-in
 * pattern, hashed per second. This module is portable (it imports only src/core), so the same
 * source runs in the DeviceScript VM (vm-trace.ts) and in node (test/node/golden.test.ts); the
 * node test fails unless both produce the same hashes, i.e. byte-identical frames.
 */
import {
    BUILTIN_PATTERN_COUNT,
    CompiledPattern,
    DEFAULT_CONFIG,
    FOCUS_PULSE_ID,
    Frame,
    Scheduler,
    SchedulerConfig,
    ZONE_ARCH,
    ZONE_TOES,
    builtinPattern,
    builtinPatternAt,
} from "../../src/core"

/** Seconds traced per pattern. */
export const TRACE_SECONDS = 30

/**
 * Patterns traced besides the built-ins, for the scheduler's general path (the built-ins all
 * play from byte tables): a wave that is not a whole number of frames over an eased track with
 * a foot offset, and a pattern that plays once with a delayed track and an envelope.
 */
function extraPattern(i: number): any {
    if (i === 0)
        return {
            id: "odd-wave",
            name: "Odd wave",
            durationMs: 4000,
            loop: true,
            footOffsetMs: 30,
            zones: {
                heel: {
                    keyframes: [
                        [0, 0.2],
                        [1500, 1],
                        [3000, 0.4],
                    ],
                    ease: "smooth",
                    wave: { shape: "sine", periodMs: 650, depth: 0.6 },
                },
                ball: { level: 0.7, wave: { shape: "pulse", periodMs: 333, duty: 0.3, phase: 0.4 } },
            },
        }
    return {
        id: "once",
        name: "Once",
        durationMs: 9000,
        loop: false,
        envelope: [
            [0, 1],
            [20000, 0.3],
        ],
        zones: {
            arch: {
                keyframes: [
                    [0, 0],
                    [2000, 1],
                    [9000, 0.5],
                ],
                delayMs: 700,
            },
            toes: {
                keyframes: [
                    [0, 1],
                    [4500, 0],
                ],
                ease: "smooth",
                wave: { shape: "triangle", periodMs: 2000 },
            },
        },
    }
}

/** Extra patterns traced. */
const EXTRA_PATTERNS = 2

/** FNV-1a over a frame's bytes: levels, heater mask (2 bytes), master heater power. */
export function hashFrame(h: number, f: Frame): number {
    for (let c = 0; c < f.channels; c++) h = Math.imul(h ^ f.levels[c], 16777619) >>> 0
    h = Math.imul(h ^ (f.heaters & 255), 16777619) >>> 0
    h = Math.imul(h ^ (f.heaters >> 8), 16777619) >>> 0
    return Math.imul(h ^ (f.heaterPower ? 1 : 0), 16777619) >>> 0
}

/** FNV-1a offset basis. */
export const HASH_START = 2166136261

/** One line of the trace: a pattern's hash over one second of frames. */
export function traceLine(id: string, second: number, hash: number): string {
    // two 16-bit halves: the VM prints numbers with 6 significant digits
    return `GOLDEN ${id} ${second} ${hash >>> 16} ${hash & 65535}`
}

/** The spec of traced pattern `index`: built-ins first, then the extras. */
export function traceSpec(index: number): any {
    return index < BUILTIN_PATTERN_COUNT
        ? builtinPatternAt(index)
        : extraPattern(index - BUILTIN_PATTERN_COUNT)
}

/** The pattern the script fades to and back from: kneading, whose feet alternate. */
export function traceVisitorSpec(): any {
    return builtinPattern("kneading")
}

/** The overlay the script adds. */
export function traceOverlaySpec(): any {
    return builtinPattern(FOCUS_PULSE_ID)
}

/**
 * Plays the intent script over one pattern, a frame per `step()`. The patterns come loaded
 * (the VM loads in steps between awaits, node all at once).
 */
export class GoldenRun {
    readonly config: SchedulerConfig = DEFAULT_CONFIG
    readonly scheduler: Scheduler
    readonly framesPerSecond: number
    private k = 0
    private hash = HASH_START

    /**
     * @param id the pattern's id, for the trace lines
     * @param pattern the pattern, loaded at the default frame period
     * @param focus the overlay (traceOverlaySpec), loaded likewise
     * @param visitor the pattern the script fades to and back from (traceVisitorSpec)
     */
    constructor(
        readonly id: string,
        private readonly pattern: CompiledPattern,
        private readonly focus: CompiledPattern,
        private readonly visitor: CompiledPattern
    ) {
        this.framesPerSecond = 1000 / this.config.framePeriodMs
        this.scheduler = new Scheduler(this.config)
        goldenSetup(this.scheduler, this.scheduler.channels, pattern)
    }

    /** Applies the script's intents due at frame k. */
    private script(k: number) {
        goldenScript(this.scheduler, k, this.config.framePeriodMs, this.pattern, this.visitor, this.focus)
    }

    /** Computes the next frame; returns a trace line when a second completes, else null. */
    step(): string {
        const k = this.k
        this.script(k)
        this.hash = hashFrame(this.hash, this.scheduler.frame(k))
        // a late frame loop at 5 s: the next frame computed is 7 frames on
        this.k = goldenNextFrame(k, this.framesPerSecond)
        if (this.k % this.framesPerSecond !== 0) return null
        const line = traceLine(this.id, this.k / this.framesPerSecond, this.hash)
        this.hash = HASH_START
        return line
    }

    /** True once the traced seconds are done. */
    done(): boolean {
        return this.k >= TRACE_SECONDS * this.framesPerSecond
    }
}

/**
 * The golden script's intents due at frame k, on a Scheduler or anything with its intent API
 * (the reference scheduler, a preview).
 */
export function goldenScript(
    s: any,
    k: number,
    periodMs: number,
    pattern: CompiledPattern,
    visitor: CompiledPattern,
    focus: CompiledPattern
) {
    const at = (k * periodMs) / 1000
    // a fade to a pattern whose feet differ, and back before it ends: from a snapshot
    if (at === 3) s.setPattern(visitor, k)
    if (at === 3.4) s.setPattern(pattern, k)
    if (at === 8) s.setIntensity(5, 80, k)
    if (at === 12) {
        s.setFocus(ZONE_ARCH, 1.6, k)
        s.setFocus(ZONE_TOES, 0.5, k)
    }
    if (at === 16) s.setOverlay(focus, 1 << ZONE_ARCH, 0.7, k)
    if (at === 22) s.pause(k)
    if (at === 24) s.resume(k)
    if (at === 29) s.stop(k)
}

/** The golden script's setup at frame 0: the pattern, intensity 3, heater duties, start. */
export function goldenSetup(s: any, channels: number, pattern: CompiledPattern) {
    s.setPattern(pattern, 0)
    s.setIntensity(3, 100, 0)
    const duties = [0.3, 0.5, 0, 0.8, 0.2, 0, 1, 0.6]
    for (let c = 0; c < channels; c++) s.setHeaterDuty(c, duties[c], 0)
    s.start(0)
}

/** The golden script's frame after k: a late frame loop at 5 s skips to 7 frames on. */
export function goldenNextFrame(k: number, framesPerSecond: number): number {
    return k === 5 * framesPerSecond ? k + 7 : k + 1
}

/** Patterns traced: every built-in, then the extras. */
export const TRACE_PATTERNS = BUILTIN_PATTERN_COUNT + EXTRA_PATTERNS
