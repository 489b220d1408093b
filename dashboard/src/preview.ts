/**
 * The editor's preview: frames of a pattern from the core's own Preview (src/core/scheduler/
 * preview.ts), which runs the device's Scheduler with the device's config, so the preview plays
 * exactly what the device will play when a session starts with this pattern.
 */
import {
    DEFAULT_CONFIG,
    INTENT_FOCUS,
    INTENT_INTENSITY,
    INTENT_PATTERN,
    INTENT_START,
    Intent,
    Preview,
    ZONES_PER_FOOT,
    loadPattern,
} from "../../src/core"

/** The intent a preview plays under (as the device would start a session with it). */
export interface PreviewIntent {
    /** Intensity level 1..5. */
    intensity: number
    /** Focus percent per zone (heel, arch, ball, toes), 100 = as the pattern says. */
    focus: number[]
}

/** The outcome of a preview: the levels of frames k0..k1-1 (one array of channels a frame), or why not. */
export interface PreviewResult {
    frames: number[][]
    error: string
    periodMs: number
}

/**
 * The intents a session start gives the scheduler, in the order the device's Session gives them
 * (src/core/session/session.ts `start`): the pattern chosen before the session, then at the
 * start frame the intensity (fine trim 100 %), each zone's focus gain, and start. Frame 0 is the
 * session's first frame.
 */
export function sessionScript(pattern: any, intent: PreviewIntent): Intent[] {
    const script = [
        new Intent(0, INTENT_PATTERN, [pattern]),
        new Intent(0, INTENT_INTENSITY, [intent.intensity, 100]),
    ]
    for (let z = 0; z < ZONES_PER_FOOT; z++)
        script.push(new Intent(0, INTENT_FOCUS, [z, intent.focus[z] / 100]))
    script.push(new Intent(0, INTENT_START, []))
    return script
}

/**
 * Levels of frames k0..k1-1 of a pattern, counted from the session's start (frame 0), with the
 * given intent: the core's Preview with the device's config. A pattern the core's loader
 * refuses gives its message in `error` and no frames.
 */
export function previewFrames(spec: any, k0: number, k1: number, intent: PreviewIntent): PreviewResult {
    const periodMs = DEFAULT_CONFIG.framePeriodMs
    const loaded = loadPattern(spec, periodMs)
    if (loaded.error) return { frames: [], error: loaded.error, periodMs }
    const preview = new Preview(DEFAULT_CONFIG, sessionScript(loaded.pattern, intent))
    if (preview.error) return { frames: [], error: preview.error, periodMs }
    const frames = k1 > k0 ? preview.frames(k0, k1 - 1).map(f => f.levels) : []
    return { frames, error: null, periodMs }
}
