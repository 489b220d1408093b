import { validatePattern } from "../core/pattern/validate"
import { PatternSpec } from "../core/pattern/spec"
import { deleteBlob, readBlob, writeBlob } from "./blob-store"

/** Most custom patterns kept. */
export const MAX_CUSTOM_PATTERNS = 4

/** Largest custom pattern: UTF-8 JSON of a PatternSpec, bytes. */
export const MAX_PATTERN_BYTES = 1024

// slot i's blob is under the key prefix "cp" + i (keys `cp<i>h`, `cp<i>0`..)

/** One entry of the pattern list: a built-in pattern, or a custom one (whose spec stays in flash). */
export class PatternEntry {
    constructor(
        readonly id: string,
        readonly name: string,
        readonly description: string,
        readonly reason: string,
        readonly custom: boolean
    ) {}
}

/**
 * The user's custom patterns in flash: at most MAX_CUSTOM_PATTERNS of at most MAX_PATTERN_BYTES,
 * one blob each (blob-store.ts). Only patterns the core validator accepts are stored, and each
 * is validated again when read back: a torn, corrupt or no longer valid one is dropped and
 * reported, and the others load as they were.
 */
export class PatternStore {
    /** Per slot: the pattern in it, or null. */
    readonly slots: PatternEntry[] = []
    /** Slots dropped at load because they could not be read or validated. */
    dropped = 0

    constructor(readonly framePeriodMs: number) {
        for (let i = 0; i < MAX_CUSTOM_PATTERNS; i++) this.slots.push(null)
    }

    /** Reads every slot; returns the number dropped (torn, corrupt or invalid; each is deleted). */
    async load(): Promise<number> {
        this.dropped = 0
        for (let i = 0; i < MAX_CUSTOM_PATTERNS; i++) {
            this.slots[i] = null
            let bytes: Buffer = null
            try {
                bytes = await readBlob("cp" + i)
            } catch (e) {
                bytes = null
            }
            if (bytes === undefined) continue
            const spec = bytes === null ? null : parseChecked(bytes, this.framePeriodMs)
            // null (torn or corrupt) or a string (the validator's refusal)
            if (!spec || typeof spec === "string") {
                console.log(`storage: custom pattern slot ${i} is unreadable; it is dropped`)
                this.dropped++
                await deleteBlob("cp" + i)
                continue
            }
            this.slots[i] = infoOf(spec as PatternSpec)
        }
        return this.dropped
    }

    /** The custom patterns, in slot order. */
    list(): PatternEntry[] {
        const out: PatternEntry[] = []
        for (let i = 0; i < this.slots.length; i++) if (this.slots[i]) out.push(this.slots[i])
        return out
    }

    /** The slot holding `id`, or -1. */
    find(id: string): number {
        for (let i = 0; i < this.slots.length; i++) {
            const e = this.slots[i]
            if (e) if (e.id === id) return i
        }
        return -1
    }

    /** The slot a pattern with `id` would go to: its own, else the first free, else -1 (full). */
    slotFor(id: string): number {
        const own = this.find(id)
        if (own >= 0) return own
        for (let i = 0; i < this.slots.length; i++) if (!this.slots[i]) return i
        return -1
    }

    /** The spec of custom pattern `id` read from flash, or null when there is none or it fails now. */
    async spec(id: string): Promise<PatternSpec> {
        const slot = this.find(id)
        if (slot < 0) return null
        const bytes = await readBlob("cp" + slot)
        if (!bytes) return null
        const spec = parseChecked(bytes, this.framePeriodMs)
        return typeof spec === "object" ? (spec as PatternSpec) : null
    }

    /**
     * Stores the validated pattern `spec` whose JSON is `bytes`, replacing one of the same id.
     * The caller has validated it; this checks the bounds again. Throws RangeError when it does
     * not fit (too large, or no free slot), storing nothing.
     */
    async save(spec: PatternSpec, bytes: Buffer) {
        if (bytes.length > MAX_PATTERN_BYTES)
            throw new RangeError(
                `a custom pattern is at most ${MAX_PATTERN_BYTES} bytes (got ${bytes.length})`
            )
        const slot = this.slotFor(spec.id)
        if (slot < 0) throw new RangeError(`at most ${MAX_CUSTOM_PATTERNS} custom patterns are kept`)
        this.slots[slot] = null
        await writeBlob("cp" + slot, bytes)
        this.slots[slot] = infoOf(spec)
    }

    /** Deletes custom pattern `id`; false when there is none. */
    async remove(id: string): Promise<boolean> {
        const slot = this.find(id)
        if (slot < 0) return false
        this.slots[slot] = null
        await deleteBlob("cp" + slot)
        return true
    }
}

function infoOf(spec: PatternSpec): PatternEntry {
    return new PatternEntry(spec.id, spec.name, spec.description || "", spec.reason || "", true)
}

/**
 * Parses JSON pattern bytes and validates them: the spec, or the reason it is refused (a
 * string). Never throws.
 */
export function parseChecked(bytes: Buffer, framePeriodMs: number): any {
    let spec: any = null
    try {
        spec = JSON.parse(bytes.toString())
    } catch (e) {
        return "pattern: not valid JSON"
    }
    const err = validatePattern(spec, framePeriodMs)
    return err ? err : spec
}
