import * as ds from "@devicescript/core"
import { PatternMenu } from "./pattern-cycler"
import {
    BUILTIN_PATTERN_COUNT,
    FOCUS_PULSE_ID,
    builtinPatternAt,
    builtinPattern,
} from "../core/pattern/library"
import { CompiledPattern, PatternLoader } from "../core/pattern/loader"

class MenuEntry {
    constructor(readonly id: string) {}
}

/**
 * The built-in patterns as a menu (without the focus overlay), for a firmware without the
 * control service's catalog (which adds the custom patterns).
 */
export class BuiltinMenu implements PatternMenu {
    private readonly entries: MenuEntry[] = []

    constructor(readonly framePeriodMs: number) {
        for (let i = 0; i < BUILTIN_PATTERN_COUNT; i++) {
            const id = builtinPatternAt(i).id
            if (id !== FOCUS_PULSE_ID) this.entries.push(new MenuEntry(id))
        }
    }

    count(): number {
        return this.entries.length
    }

    at(i: number): MenuEntry {
        return i >= 0 && i < this.entries.length ? this.entries[i] : null
    }

    async load(id: string): Promise<CompiledPattern> {
        const spec = builtinPattern(id)
        if (!spec) return null
        const loader = new PatternLoader(spec, this.framePeriodMs, n => Buffer.alloc(n))
        while (!loader.step()) await ds.sleep(0)
        return loader.result.pattern
    }
}
