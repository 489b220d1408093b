import { Frame } from "./frame"

/**
 * Something that sees every frame before it reaches the hardware and may veto any part of it
 * (clear heater bits, open the master heater cut, silence motors). The safety supervisor is
 * one; the frame loop calls every guard on every frame, in order.
 */
export interface FrameGuard {
    /** Inspects frame f, computed for time tMs since boot, and changes it in place to veto. */
    inspect(f: Frame, tMs: number): void
}
