/**
 * Piecewise-linear functions stored flat. Everything the scheduler plays (keyframe tracks,
 * waveforms, envelopes) compiles to runs of segments here; a segment i covers
 * [t[i], t[i+1]) of its run (the last one runs to the end of the run's span) and its value at
 * local time x is a[i] + b[i] * x. Flat arrays keep the frame path to indexed loads.
 */
export class SegmentStore {
    /** Segment start times, ms, ascending within a run; a run starts at 0. */
    readonly t: number[] = []
    /** Value at x = 0 of the segment's line. */
    readonly a: number[] = []
    /** Slope of the segment's line, per ms. */
    readonly b: number[] = []

    /** Segments stored so far. */
    count(): number {
        return this.t.length
    }

    /** Appends a segment from (x0, v0) to (x1, v1); x1 > x0. */
    line(x0: number, v0: number, x1: number, v1: number) {
        const slope = (v1 - v0) / (x1 - x0)
        this.t.push(x0)
        this.a.push(v0 - slope * x0)
        this.b.push(slope)
    }

    /** Appends a constant segment starting at x0. */
    hold(x0: number, v: number) {
        this.t.push(x0)
        this.a.push(v)
        this.b.push(0)
    }

    /** Value of segment i at local time x. */
    valueAt(i: number, x: number): number {
        return this.a[i] + this.b[i] * x
    }
}

/** A run of segments in a store: one piecewise-linear function. */
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
