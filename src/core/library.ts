import { PatternSpec } from "./pattern-spec"

/*
 * The built-in patterns. Each one answers something people look for in a foot massage; the
 * `reason` says what. All of them are plain data: they pass the same validator as a user's
 * upload, and the dashboard shows the same frames the device plays.
 */

/** Slow circles around the sole. */
function gentleCircles(): PatternSpec {
    return {
        id: "gentle-circles",
        name: "Gentle circles",
        description: "A slow wave that circles the sole: heel, arch, toes, ball, and round again.",
        reason: "Slow circular motions are the classic way to start: they loosen the plantar fascia and relax without pressure.",
        durationMs: 6000,
        loop: true,
        zones: {
            heel: { level: 0.65, wave: { shape: "sine", periodMs: 6000, phase: 0, depth: 0.7 } },
            arch: { level: 0.65, wave: { shape: "sine", periodMs: 6000, phase: 0.75, depth: 0.7 } },
            toes: { level: 0.65, wave: { shape: "sine", periodMs: 6000, phase: 0.5, depth: 0.7 } },
            ball: { level: 0.65, wave: { shape: "sine", periodMs: 6000, phase: 0.25, depth: 0.7 } },
        },
    }
}

/** One press on a zone: up, hold, release, then rest until the other zones had theirs. */
function press(): number[][] {
    return [
        [0, 0],
        [600, 0.9],
        [3000, 0.9],
        [3600, 0],
    ]
}

/** Sustained presses on one zone at a time. */
function pressurePoints(): PatternSpec {
    return {
        id: "pressure-points",
        name: "Pressure points",
        description: "Holds a firm, slowly throbbing press on each zone in turn, heel to toes.",
        reason: "Reflexology works by pressing and holding points of the sole; one zone at a time lets attention settle there.",
        durationMs: 16000,
        loop: true,
        zones: {
            heel: {
                keyframes: press(),
                ease: "smooth",
                delayMs: 0,
                wave: { shape: "sine", periodMs: 800, depth: 0.2 },
            },
            arch: {
                keyframes: press(),
                ease: "smooth",
                delayMs: 4000,
                wave: { shape: "sine", periodMs: 800, depth: 0.2 },
            },
            ball: {
                keyframes: press(),
                ease: "smooth",
                delayMs: 8000,
                wave: { shape: "sine", periodMs: 800, depth: 0.2 },
            },
            toes: {
                keyframes: press(),
                ease: "smooth",
                delayMs: 12000,
                wave: { shape: "sine", periodMs: 800, depth: 0.2 },
            },
        },
    }
}

/** A travelling pulse, repeated with delays from toes to heel. */
function sweep(): number[][] {
    return [
        [0, 0.1],
        [500, 1],
        [1300, 0.1],
    ]
}

/** A wave travelling from the toes to the heel. */
function circulationWave(): PatternSpec {
    return {
        id: "circulation-wave",
        name: "Circulation wave",
        description: "A pulse that runs from the toes back to the heel, again and again.",
        reason: "Stroking from the toes toward the heel follows venous and lymphatic return, the direction used to ease swelling and tired legs.",
        durationMs: 3200,
        loop: true,
        zones: {
            toes: { keyframes: sweep(), ease: "smooth", delayMs: 0 },
            ball: { keyframes: sweep(), ease: "smooth", delayMs: 450 },
            arch: { keyframes: sweep(), ease: "smooth", delayMs: 900 },
            heel: { keyframes: sweep(), ease: "smooth", delayMs: 1350 },
        },
    }
}

/** Alternating kneading between zones and between feet. */
function kneading(): PatternSpec {
    return {
        id: "kneading",
        name: "Kneading",
        description: "Heel and ball alternate with arch and toes, and the feet alternate too.",
        reason: "Alternating pressure kneads the muscles like two hands working in turn, loosening tense spots without numbing them.",
        durationMs: 1600,
        loop: true,
        footOffsetMs: 800,
        zones: {
            heel: { level: 0.85, wave: { shape: "triangle", periodMs: 1600, phase: 0, depth: 0.85 } },
            ball: { level: 0.85, wave: { shape: "triangle", periodMs: 1600, phase: 0, depth: 0.85 } },
            arch: { level: 0.85, wave: { shape: "triangle", periodMs: 1600, phase: 0.5, depth: 0.85 } },
            toes: { level: 0.85, wave: { shape: "triangle", periodMs: 1600, phase: 0.5, depth: 0.85 } },
        },
    }
}

/** A firm roll heel to toes and back, like a massage ball under the foot. */
function deepRolling(): PatternSpec {
    return {
        id: "deep-rolling",
        name: "Deep rolling",
        description: "A strong spot rolls from heel to toes and back over a deep, steady base.",
        reason: "Rolling the sole over a massage ball is what physiotherapists suggest for sore arches and plantar fasciitis.",
        durationMs: 6000,
        loop: true,
        zones: {
            heel: {
                ease: "smooth",
                keyframes: [
                    [0, 1],
                    [1000, 0.3],
                    [5000, 0.3],
                    [6000, 1],
                ],
            },
            arch: {
                ease: "smooth",
                keyframes: [
                    [0, 0.3],
                    [1000, 1],
                    [2000, 0.3],
                    [4000, 0.3],
                    [5000, 1],
                    [6000, 0.3],
                ],
            },
            ball: {
                ease: "smooth",
                keyframes: [
                    [0, 0.3],
                    [1000, 0.3],
                    [2000, 1],
                    [3000, 0.3],
                    [4000, 1],
                    [5000, 0.3],
                ],
            },
            toes: {
                ease: "smooth",
                keyframes: [
                    [0, 0.3],
                    [2000, 0.3],
                    [3000, 1],
                    [4000, 0.3],
                ],
            },
        },
    }
}

/** Slow breathing rhythm that fades out over half an hour. */
function relaxSleep(): PatternSpec {
    return {
        id: "relax-sleep",
        name: "Relax and sleep",
        description: "A soft swell every 10 seconds, the pace of calm breathing, fading out over 30 minutes.",
        reason: "A slow, predictable rhythm near six breaths a minute calms the body; fading out lets you fall asleep without a sudden stop.",
        durationMs: 10000,
        loop: true,
        envelope: [
            [0, 1],
            [600000, 0.85],
            [1200000, 0.5],
            [1800000, 0],
        ],
        zones: {
            heel: { level: 0.5, wave: { shape: "sine", periodMs: 10000, phase: 0, depth: 0.6 } },
            arch: { level: 0.55, wave: { shape: "sine", periodMs: 10000, phase: 0.05, depth: 0.6 } },
            ball: { level: 0.5, wave: { shape: "sine", periodMs: 10000, phase: 0.1, depth: 0.6 } },
            toes: { level: 0.4, wave: { shape: "sine", periodMs: 10000, phase: 0.15, depth: 0.6 } },
        },
    }
}

/** A steady, medium rhythm centred on the arch. */
function stressRelief(): PatternSpec {
    return {
        id: "stress-relief",
        name: "Stress relief",
        description: "An even rhythm, strongest under the arch and ball, once every two seconds.",
        reason: "A steady, predictable beat near a resting heart rate helps let go of stress; the arch holds much of the foot's tension.",
        durationMs: 2000,
        loop: true,
        zones: {
            heel: { level: 0.55, wave: { shape: "sine", periodMs: 2000, phase: 0, depth: 0.5 } },
            arch: { level: 0.8, wave: { shape: "sine", periodMs: 2000, phase: 0.1, depth: 0.5 } },
            ball: { level: 0.75, wave: { shape: "sine", periodMs: 2000, phase: 0.2, depth: 0.5 } },
            toes: { level: 0.5, wave: { shape: "sine", periodMs: 2000, phase: 0.3, depth: 0.5 } },
        },
    }
}

/** Quick taps that run up the foot. */
function energize(): PatternSpec {
    return {
        id: "energize",
        name: "Energize",
        description: "Brisk taps that run from heel to toes, three times a second.",
        reason: "Quick percussive taps wake the feet up and feel invigorating after a long day standing, or before one.",
        durationMs: 1200,
        loop: true,
        zones: {
            heel: { level: 0.9, wave: { shape: "pulse", periodMs: 320, phase: 0, depth: 0.8, duty: 0.35 } },
            arch: {
                level: 0.9,
                wave: { shape: "pulse", periodMs: 320, phase: 0.75, depth: 0.8, duty: 0.35 },
            },
            ball: { level: 0.9, wave: { shape: "pulse", periodMs: 320, phase: 0.5, depth: 0.8, duty: 0.35 } },
            toes: {
                level: 0.9,
                wave: { shape: "pulse", periodMs: 320, phase: 0.25, depth: 0.8, duty: 0.35 },
            },
        },
    }
}

/** Gentle, even pressure for a first session or with heat. */
function gentleStart(): PatternSpec {
    return {
        id: "gentle-start",
        name: "Gentle start",
        description: "Light, even pressure with a slow swell, all zones together.",
        reason: "Heat and gentle pressure are the right start for sensitive or tired feet and for a first session.",
        durationMs: 8000,
        loop: true,
        zones: {
            heel: { level: 0.4, wave: { shape: "sine", periodMs: 8000, depth: 0.25 } },
            arch: { level: 0.4, wave: { shape: "sine", periodMs: 8000, depth: 0.25 } },
            ball: { level: 0.4, wave: { shape: "sine", periodMs: 8000, depth: 0.25 } },
            toes: { level: 0.35, wave: { shape: "sine", periodMs: 8000, depth: 0.25 } },
        },
    }
}

/**
 * The focus pulse: an overlay that adds slow, firm pulses on the zones the user marks as sore
 * (the scheduler applies it only to those zones).
 */
function focusPulse(): PatternSpec {
    return {
        id: "focus-pulse",
        name: "Focus pulse",
        description: "Firm, slow pulses added on a sore zone.",
        reason: "Sore or tense spots want more attention than the rest of the foot: extra slow pulses there, on top of any pattern.",
        durationMs: 2400,
        loop: true,
        zones: {
            heel: {
                ease: "smooth",
                keyframes: [
                    [0, 0],
                    [500, 0.6],
                    [1400, 0.6],
                    [1900, 0],
                ],
            },
            arch: {
                ease: "smooth",
                keyframes: [
                    [0, 0],
                    [500, 0.6],
                    [1400, 0.6],
                    [1900, 0],
                ],
            },
            ball: {
                ease: "smooth",
                keyframes: [
                    [0, 0],
                    [500, 0.6],
                    [1400, 0.6],
                    [1900, 0],
                ],
            },
            toes: {
                ease: "smooth",
                keyframes: [
                    [0, 0],
                    [500, 0.6],
                    [1400, 0.6],
                    [1900, 0],
                ],
            },
        },
    }
}

/**
 * Every built-in pattern, in menu order; the overlay `focus-pulse` comes last. They are
 * factories, not objects: the specs live in flash as code and take heap only while a pattern
 * is being loaded (as objects they would hold 10 KB of the VM's 64 KB heap for good).
 */
const FACTORIES = [
    gentleStart,
    gentleCircles,
    pressurePoints,
    circulationWave,
    kneading,
    deepRolling,
    stressRelief,
    energize,
    relaxSleep,
    focusPulse,
]

/** Number of built-in patterns. */
export const BUILTIN_PATTERN_COUNT = FACTORIES.length

/** A fresh copy of the i-th built-in pattern (0-based, menu order), or null. */
export function builtinPatternAt(i: number): PatternSpec {
    return i >= 0 && i < FACTORIES.length ? FACTORIES[i]() : null
}

/** Id of the overlay used for per-zone focus. */
export const FOCUS_PULSE_ID = "focus-pulse"

/** A fresh copy of the built-in pattern with this id, or null. */
export function builtinPattern(id: string): PatternSpec {
    for (let i = 0; i < FACTORIES.length; i++) {
        const spec = FACTORIES[i]()
        if (spec.id === id) return spec
    }
    return null
}
