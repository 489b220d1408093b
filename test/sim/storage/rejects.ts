/** The message an async call throws, or null when it does not throw (`toThrow` is sync only). */
export async function thrownBy(fn: () => Promise<void>): Promise<string> {
    try {
        await fn()
    } catch (e: any) {
        return e && e.message ? e.message : "thrown"
    }
    return null
}
