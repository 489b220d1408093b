import * as ds from "@devicescript/core"

/**
 * Runs async jobs one at a time, in arrival order. The runtime runs every incoming packet's
 * handler in its own fiber, so without this two commands would interleave at their first await.
 */
export class SerialQueue {
    private next = 0
    private serving = 0

    /** Waits for its turn, runs `job`, and returns what it returns (or rethrows). */
    async run(job: () => Promise<any>): Promise<any> {
        const ticket = this.next++
        while (this.serving !== ticket) await ds.sleep(1)
        try {
            return await job()
        } finally {
            this.serving++
        }
    }

    /** Jobs waiting or running. */
    pending(): number {
        return this.next - this.serving
    }
}
