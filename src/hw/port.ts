import { Frame } from "../core/frame"

/**
 * The hardware port: the only way frames reach the outputs. Adapters: FootIoPort (the Foot IO
 * service over Jacdac: the node simulator's board, or the board's own server on the ESP32)
 * and MemoryPort (in the VM, for tests).
 */
export interface HardwarePort {
    /** Takes frame k, already seen by the frame guards; writes when a batch is due. */
    submit(f: Frame): Promise<void>
    /** Turns every output off at once (one write, not batched). */
    allOff(): Promise<void>
    /**
     * Reads every pad's raw thermistor reading (16-bit, see src/core/thermal/thermistor.ts) into
     * `raw`; false when no reading could be had (no board).
     */
    readTemperatures(raw: number[]): Promise<boolean>
}
