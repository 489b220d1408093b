import * as ds from "@devicescript/core"
import { PatternCycler } from "../core/panel/actions"
import { CompiledPattern } from "../core/pattern/loader"
import { Session } from "../core/session/session"
import { SESSION_OK } from "../core/session/states"

/** A menu of patterns by position (the control service's PatternCatalog is one). */
export interface PatternMenu {
    /** Patterns in the menu. */
    count(): number
    /** Entry i, or null. */
    at(i: number): { id: string }
    /** Compiles a pattern, yielding between steps; null when it cannot. */
    load(id: string): Promise<CompiledPattern>
}

/**
 * The mode button: plays the pattern after the session's in the menu. Loading takes a few VM
 * slices, so it runs in its own fiber and hands the pattern to the session when ready (a
 * few frames later); presses during a load are counted and skip ahead, one load at a time, so
 * at most one extra pattern is in memory.
 */
export class MenuCycler implements PatternCycler {
    private pendingSteps = 0
    private loading = false

    constructor(
        readonly session: Session,
        readonly menu: PatternMenu
    ) {}

    nextPattern(nowMs: number): number {
        this.pendingSteps++
        if (!this.loading) {
            this.loading = true
            const self = this
            const run = async () => {
                await self.loadPending()
            }
            run.start()
        }
        return SESSION_OK
    }

    private indexOf(id: string): number {
        const n = this.menu.count()
        for (let i = 0; i < n; i++) {
            const e = this.menu.at(i)
            if (e) if (e.id === id) return i
        }
        return -1
    }

    private async loadPending() {
        try {
            while (this.pendingSteps > 0) {
                const n = this.menu.count()
                if (n <= 0) break
                const steps = this.pendingSteps
                this.pendingSteps = 0
                const from = this.indexOf(this.session.patternId)
                const e = this.menu.at((((from + steps) % n) + n) % n)
                if (!e) continue
                const p = await this.menu.load(e.id)
                if (p) this.session.setPattern(e.id, p, ds.millis())
            }
        } catch (err: any) {
            let m = "error"
            if (err) if (err.message) m = err.message
            console.log(`mode button: pattern not loaded (${m})`)
        }
        this.pendingSteps = 0
        this.loading = false
    }
}
