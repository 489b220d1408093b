import * as ds from "@devicescript/core"
import {
    BUILTIN_PATTERN_COUNT,
    builtinIndex,
    builtinPattern,
    builtinPatternAt,
} from "../core/pattern/library"
import { CompiledPattern, PatternLoader } from "../core/pattern/loader"
import { isWholeIn } from "../core/util/numbers"
import { PatternEntry, PatternStore } from "../storage/pattern-store"

export { PatternEntry }

/** Built-in patterns listed: all but the focus overlay, the library's last. */
const LISTED_BUILTINS = BUILTIN_PATTERN_COUNT - 1

/**
 * Every pattern a session can play: the built-in library (without the focus overlay, which is
 * not a pattern to choose), then the user's custom patterns, in that order. A built-in entry is
 * read from the library when asked for: the texts stay in flash, not in the heap.
 */
export class PatternCatalog {
    constructor(
        readonly store: PatternStore,
        readonly framePeriodMs: number
    ) {}

    /** Patterns listed. */
    count(): number {
        return LISTED_BUILTINS + this.store.list().length
    }

    /** Entry i (built-ins first), or null. */
    at(i: number): PatternEntry {
        if (!isWholeIn(i, 0, Infinity)) return null
        if (i >= LISTED_BUILTINS) {
            const c = this.store.list()[i - LISTED_BUILTINS]
            return c ? c : null
        }
        const s = builtinPatternAt(i)
        return new PatternEntry(s.id, s.name, s.description || "", s.reason || "", false)
    }

    /** True when `id` is a built-in pattern (custom patterns cannot take its id). */
    isBuiltin(id: string): boolean {
        return builtinIndex(id) >= 0
    }

    /** True when `id` can be played. */
    has(id: string): boolean {
        if (this.isBuiltin(id)) return true
        return this.store.find(id) >= 0
    }

    /**
     * Compiles `id`, yielding between steps (a large pattern takes more than one VM slice):
     * the pattern, or null when there is none or it fails.
     */
    async load(id: string): Promise<CompiledPattern> {
        // a custom pattern's spec is read from flash
        const spec = this.isBuiltin(id) ? builtinPattern(id) : await this.store.spec(id)
        if (!spec) return null
        const loader = new PatternLoader(spec, this.framePeriodMs, n => Buffer.alloc(n))
        while (!loader.step()) await ds.sleep(0)
        return loader.result.pattern
    }
}
