import { Frame } from "../core/frame/frame"

/**
 * The hardware port: the only way frames reach the outputs. Adapters: FootIoPort (the Foot IO
 * service over Jacdac: the node simulator's board), Esp32Port (src/hw/esp32: the PCA9685 and
 * ADS1115 on the real board, no bus service) and MemoryPort (in the VM, for tests);
 * src/hw/select-port.ts picks one at boot.
 */
export interface HardwarePort {
    /** Takes frame k, already seen by the frame guards; writes when a batch is due. */
    submit(f: Frame): Promise<void>
    /** Turns every output off at once (one write, not batched). */
    allOff(): Promise<void>
    /**
     * Reads both raw thermistor readings of every pad (16-bit, see src/core/physics/thermistor.ts)
     * into `raw`, 2 x channels values: raw[0..channels-1] the control sensors of pads 0.., then
     * raw[channels..] the protection sensors of pads 0.. (on the other ADC chip); false when no
     * reading could be had (no board, or a failed read).
     */
    readTemperatures(raw: number[]): Promise<boolean>
}
