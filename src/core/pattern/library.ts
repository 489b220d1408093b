import { PatternSpec } from "./spec"

/*
 * The built-in patterns. Each one answers something people look for in a foot massage; the
 * `reason` says what. All of them are plain data: they pass the same validator as a user's
 * upload, and the dashboard shows the same frames the device plays.
 *
 * Each is kept as JSON text, parsed when asked for. Why: string literals live in the image's
 * string section, while an object literal compiles to code, and the VM's verifier caps all
 * function code of an image at 64 KB (check 1051), which the firmware reaches. Text also keeps
 * the specs in flash, not in the 64 KB heap, until one is asked for. A custom upload is the
 * same JSON (docs/control.md).
 */

/** The built-in patterns in menu order, as JSON of PatternSpec. */
const TEXTS = [
    // Gentle start: Light, even pressure with a slow swell, all zones together.
    '{"id":"gentle-start","name":"Gentle start","description":"Light, even pressure with a slow swell, all zones together.","reason":"Heat and gentle pressure are the right start for sensitive or tired feet and for a first session.","durationMs":8000,"loop":true,"zones":{"heel":{"level":0.4,"wave":{"shape":"sine","periodMs":8000,"depth":0.25}},"arch":{"level":0.4,"wave":{"shape":"sine","periodMs":8000,"depth":0.25}},"ball":{"level":0.4,"wave":{"shape":"sine","periodMs":8000,"depth":0.25}},"toes":{"level":0.35,"wave":{"shape":"sine","periodMs":8000,"depth":0.25}}}}',
    // Gentle circles: A slow wave that circles the sole: heel, arch, toes, ball, and round again.
    '{"id":"gentle-circles","name":"Gentle circles","description":"A slow wave that circles the sole: heel, arch, toes, ball, and round again.","reason":"Slow circular motions are the classic way to start: they loosen the plantar fascia and relax without pressure.","durationMs":6000,"loop":true,"zones":{"heel":{"level":0.65,"wave":{"shape":"sine","periodMs":6000,"phase":0,"depth":0.7}},"arch":{"level":0.65,"wave":{"shape":"sine","periodMs":6000,"phase":0.75,"depth":0.7}},"toes":{"level":0.65,"wave":{"shape":"sine","periodMs":6000,"phase":0.5,"depth":0.7}},"ball":{"level":0.65,"wave":{"shape":"sine","periodMs":6000,"phase":0.25,"depth":0.7}}}}',
    // Pressure points: Holds a firm, slowly throbbing press on each zone in turn, heel to toes.
    '{"id":"pressure-points","name":"Pressure points","description":"Holds a firm, slowly throbbing press on each zone in turn, heel to toes.","reason":"Reflexology works by pressing and holding points of the sole; one zone at a time lets attention settle there.","durationMs":16000,"loop":true,"zones":{"heel":{"keyframes":[[0,0],[600,0.9],[3000,0.9],[3600,0]],"ease":"smooth","delayMs":0,"wave":{"shape":"sine","periodMs":800,"depth":0.2}},"arch":{"keyframes":[[0,0],[600,0.9],[3000,0.9],[3600,0]],"ease":"smooth","delayMs":4000,"wave":{"shape":"sine","periodMs":800,"depth":0.2}},"ball":{"keyframes":[[0,0],[600,0.9],[3000,0.9],[3600,0]],"ease":"smooth","delayMs":8000,"wave":{"shape":"sine","periodMs":800,"depth":0.2}},"toes":{"keyframes":[[0,0],[600,0.9],[3000,0.9],[3600,0]],"ease":"smooth","delayMs":12000,"wave":{"shape":"sine","periodMs":800,"depth":0.2}}}}',
    // Circulation wave: A pulse that runs from the toes back to the heel, again and again.
    '{"id":"circulation-wave","name":"Circulation wave","description":"A pulse that runs from the toes back to the heel, again and again.","reason":"Stroking from the toes toward the heel follows venous and lymphatic return, the direction used to ease swelling and tired legs.","durationMs":3200,"loop":true,"zones":{"toes":{"keyframes":[[0,0.1],[500,1],[1300,0.1]],"ease":"smooth","delayMs":0},"ball":{"keyframes":[[0,0.1],[500,1],[1300,0.1]],"ease":"smooth","delayMs":450},"arch":{"keyframes":[[0,0.1],[500,1],[1300,0.1]],"ease":"smooth","delayMs":900},"heel":{"keyframes":[[0,0.1],[500,1],[1300,0.1]],"ease":"smooth","delayMs":1350}}}',
    // Kneading: Heel and ball alternate with arch and toes, and the feet alternate too.
    '{"id":"kneading","name":"Kneading","description":"Heel and ball alternate with arch and toes, and the feet alternate too.","reason":"Alternating pressure kneads the muscles like two hands working in turn, loosening tense spots without numbing them.","durationMs":1600,"loop":true,"footOffsetMs":800,"zones":{"heel":{"level":0.85,"wave":{"shape":"triangle","periodMs":1600,"phase":0,"depth":0.85}},"ball":{"level":0.85,"wave":{"shape":"triangle","periodMs":1600,"phase":0,"depth":0.85}},"arch":{"level":0.85,"wave":{"shape":"triangle","periodMs":1600,"phase":0.5,"depth":0.85}},"toes":{"level":0.85,"wave":{"shape":"triangle","periodMs":1600,"phase":0.5,"depth":0.85}}}}',
    // Deep rolling: A strong spot rolls from heel to toes and back over a deep, steady base.
    '{"id":"deep-rolling","name":"Deep rolling","description":"A strong spot rolls from heel to toes and back over a deep, steady base.","reason":"Rolling the sole over a massage ball is what physiotherapists suggest for sore arches and plantar fasciitis.","durationMs":6000,"loop":true,"zones":{"heel":{"ease":"smooth","keyframes":[[0,1],[1000,0.3],[5000,0.3],[6000,1]]},"arch":{"ease":"smooth","keyframes":[[0,0.3],[1000,1],[2000,0.3],[4000,0.3],[5000,1],[6000,0.3]]},"ball":{"ease":"smooth","keyframes":[[0,0.3],[1000,0.3],[2000,1],[3000,0.3],[4000,1],[5000,0.3]]},"toes":{"ease":"smooth","keyframes":[[0,0.3],[2000,0.3],[3000,1],[4000,0.3]]}}}',
    // Stress relief: An even rhythm, strongest under the arch and ball, once every two seconds.
    '{"id":"stress-relief","name":"Stress relief","description":"An even rhythm, strongest under the arch and ball, once every two seconds.","reason":"A steady, predictable beat near a resting heart rate helps let go of stress; the arch holds much of the foot\'s tension.","durationMs":2000,"loop":true,"zones":{"heel":{"level":0.55,"wave":{"shape":"sine","periodMs":2000,"phase":0,"depth":0.5}},"arch":{"level":0.8,"wave":{"shape":"sine","periodMs":2000,"phase":0.1,"depth":0.5}},"ball":{"level":0.75,"wave":{"shape":"sine","periodMs":2000,"phase":0.2,"depth":0.5}},"toes":{"level":0.5,"wave":{"shape":"sine","periodMs":2000,"phase":0.3,"depth":0.5}}}}',
    // Energize: Brisk taps that run from heel to toes, three times a second.
    '{"id":"energize","name":"Energize","description":"Brisk taps that run from heel to toes, three times a second.","reason":"Quick percussive taps wake the feet up and feel invigorating after a long day standing, or before one.","durationMs":1200,"loop":true,"zones":{"heel":{"level":0.9,"wave":{"shape":"pulse","periodMs":320,"phase":0,"depth":0.8,"duty":0.35}},"arch":{"level":0.9,"wave":{"shape":"pulse","periodMs":320,"phase":0.75,"depth":0.8,"duty":0.35}},"ball":{"level":0.9,"wave":{"shape":"pulse","periodMs":320,"phase":0.5,"depth":0.8,"duty":0.35}},"toes":{"level":0.9,"wave":{"shape":"pulse","periodMs":320,"phase":0.25,"depth":0.8,"duty":0.35}}}}',
    // Relax and sleep: A soft swell every 10 seconds, the pace of calm breathing, fading out over 30 minutes.
    '{"id":"relax-sleep","name":"Relax and sleep","description":"A soft swell every 10 seconds, the pace of calm breathing, fading out over 30 minutes.","reason":"A slow, predictable rhythm near six breaths a minute calms the body; fading out lets you fall asleep without a sudden stop.","durationMs":10000,"loop":true,"envelope":[[0,1],[600000,0.85],[1200000,0.5],[1800000,0]],"zones":{"heel":{"level":0.5,"wave":{"shape":"sine","periodMs":10000,"phase":0,"depth":0.6}},"arch":{"level":0.55,"wave":{"shape":"sine","periodMs":10000,"phase":0.05,"depth":0.6}},"ball":{"level":0.5,"wave":{"shape":"sine","periodMs":10000,"phase":0.1,"depth":0.6}},"toes":{"level":0.4,"wave":{"shape":"sine","periodMs":10000,"phase":0.15,"depth":0.6}}}}',
    // Focus pulse: Firm, slow pulses added on a sore zone.
    '{"id":"focus-pulse","name":"Focus pulse","description":"Firm, slow pulses added on a sore zone.","reason":"Sore or tense spots want more attention than the rest of the foot: extra slow pulses there, on top of any pattern.","durationMs":2400,"loop":true,"zones":{"heel":{"ease":"smooth","keyframes":[[0,0],[500,0.6],[1400,0.6],[1900,0]]},"arch":{"ease":"smooth","keyframes":[[0,0],[500,0.6],[1400,0.6],[1900,0]]},"ball":{"ease":"smooth","keyframes":[[0,0],[500,0.6],[1400,0.6],[1900,0]]},"toes":{"ease":"smooth","keyframes":[[0,0],[500,0.6],[1400,0.6],[1900,0]]}}}',
]

/** Number of built-in patterns. */
export const BUILTIN_PATTERN_COUNT = TEXTS.length

/** A fresh copy of the i-th built-in pattern (0-based, menu order), or null. */
export function builtinPatternAt(i: number): PatternSpec {
    const t = TEXTS[i]
    return t === undefined ? null : (JSON.parse(t) as PatternSpec)
}

/** Id of the overlay used for per-zone focus: the last built-in (lists show the others). */
export const FOCUS_PULSE_ID = "focus-pulse"

/** The index of the built-in pattern with this id, or -1. */
export function builtinIndex(id: string): number {
    // ids are checked as text: parsing every pattern to find one would fill the heap. A quote
    // in `id` could match across fields: no built-in id has one
    if (typeof id !== "string") return -1
    if (id.indexOf('"') >= 0) return -1
    const key = '"id":"' + id + '"'
    for (let i = 0; i < TEXTS.length; i++) if (TEXTS[i].indexOf(key) >= 0) return i
    return -1
}

/** A fresh copy of the built-in pattern with this id, or null. */
export function builtinPattern(id: string): PatternSpec {
    return builtinPatternAt(builtinIndex(id))
}
