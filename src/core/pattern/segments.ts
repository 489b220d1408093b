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
        let e = 0
        if (eased) if (v1 !== v0) e = 1
        this.e.push(e)
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
    let i = run.first
    if (hint >= i) if (hint < end) if (t[hint] <= x) i = hint
    while (i + 1 < end) {
        if (t[i + 1] > x) break
        i++
    }
    return i
}

/** Smoothstep, the ease in and out of eased segments. */
export function ease(u: number): number {
    return u * u * (3 - 2 * u)
}
