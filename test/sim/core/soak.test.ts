import { Prng } from "../../../src/core/util/prng"
import { describe, test, expect, beforeEach } from "@devicescript/test"
import { makeConfig } from "../../../src/core/scheduler/config"
import { Scheduler } from "../../../src/core/scheduler/scheduler"
import {
    BUILTIN_PATTERN_COUNT,
    builtinPatternAt,
    builtinPattern,
    FOCUS_PULSE_ID,
} from "../../../src/core/pattern/library"
import { ZONE_ARCH } from "../../../src/core/util/zones"
import { breathe, load } from "../helpers"

const P = 20

describe("memory soak", () => {
    beforeEach(breathe)
    test("switching patterns and overlays 120 times, loading each anew, never runs out of heap", async () => {
        // a device loads a pattern whenever the user picks one; the old one becomes garbage. The
        // 64 KB heap must not fill or fragment: an out-of-memory panics this suite.
        const s = new Scheduler(makeConfig({ framePeriodMs: P }))
        s.setIntensity(4, 100, 0)
        s.start(0)
        const rng = new Prng(7)
        let k = 0
        let switches = 0
        for (let round = 0; round < 120; round++) {
            const spec = builtinPatternAt(rng.int(BUILTIN_PATTERN_COUNT))
            s.setPattern(await load(spec, P), k)
            if (round % 3 === 0)
                s.setOverlay(await load(builtinPattern(FOCUS_PULSE_ID), P), 1 << ZONE_ARCH, 0.6, k)
            if (round % 3 === 1) s.setOverlay(null, 0, 0, k)
            for (let i = 0; i < 20; i++) s.frame(k++)
            await breathe()
            switches++
        }
        expect(switches).toBe(120)
        expect(s.output.index).toBe(k - 1)
    })
})
