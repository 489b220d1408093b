/**
 * Keyframe tracks stored flat. A run of segments is one piecewise function of local time x:
 * segment i covers [t[i], t[i+1]) of its run (the last one runs on to the end of the run's
 * span, or forever) and goes from v[i] to v[i] + d[i], linearly or eased (smoothstep).
 * Flat arrays keep lookups to indexed loads; nothing here runs on the per-frame path except
 * when a channel crosses a keyframe.
 */
export class SegmentStore {
    /** Segment start times, ms, ascending within a run; a run starts at 0. */
    readonly t: number[] = []
    /** Value at the segment start. */
    readonly v: number[] = []
    /** Change of value across the segment (0 for a hold). */
    readonly d: number[] = []
    /** 1 when the segment eases in and out (smoothstep), 0 when linear. */
    readonly e: number[] = []

    /** Segments stored so far. */
    count(): number {
        return this.t.length
    }

    /** Appends a segment starting at x0 that goes from v0 to v1 by the start of the next one. */
    add(x0: number, v0: number, v1: number, eased: boolean) {
        this.t.push(x0)
        this.v.push(v0)
        this.d.push(v1 - v0)
        this.e.push(eased && v1 !== v0 ? 1 : 0)
    }
}

/** A run of segments in a store: one piecewise function. */
export class SegmentRun {
    /**
     * @param first index of the run's first segment
     * @param count segments in the run
     * @param span length of the run's domain in ms (the period when it repeats)
     * @param repeats true when the function repeats with period `span`
     */
    constructor(
        readonly first: number,
        readonly count: number,
        readonly span: number,
        readonly repeats: boolean
    ) {}
}

/** Index of the segment of a run that holds local time x (x within [0, span)). */
export function findSegment(store: SegmentStore, run: SegmentRun, x: number, hint: number): number {
    const t = store.t
    const end = run.first + run.count
    let i = hint >= run.first && hint < end && t[hint] <= x ? hint : run.first
    while (i + 1 < end && t[i + 1] <= x) i++
    return i
}

/** Smoothstep, the ease in and out of eased segments. */
export function ease(u: number): number {
    return u * u * (3 - 2 * u)
}

/**
 * Value of a run at local time x (within [0, span) for a repeating run), computed directly: the
 * reference the frame path must match. A run that does not repeat ends on a hold.
 */
export function runValueAt(store: SegmentStore, run: SegmentRun, x: number): number {
    if (x < 0) return store.v[run.first]
    const i = findSegment(store, run, x, run.first)
    if (store.d[i] === 0) return store.v[i]
    const end = i + 1 < run.first + run.count ? store.t[i + 1] : run.span
    const u = (x - store.t[i]) / (end - store.t[i])
    return store.v[i] + store.d[i] * (store.e[i] === 1 ? ease(u) : u)
}
