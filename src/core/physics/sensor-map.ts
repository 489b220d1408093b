/**
 * Where the 16 thermistors of 8 pads sit: four ADS1115 ADCs (I2C 0x48..0x4B), four channels
 * each. Sensor s < 8 is the control sensor of pad s, sensor 8 + p the protection sensor of pad
 * p (the order of HardwarePort.readTemperatures). Chips 0x48 and 0x49 hold the control sensors
 * of pads 0-3 and 4-7, chips 0x4A and 0x4B the protection sensors of pads 4-7 and 0-3: one
 * chip's fault blinds one sensor of a pad at most, never both.
 */

/** ADC chips, and channels on each. */
export const ADC_CHIPS = 4
export const ADC_CHANNELS_PER_CHIP = 4
/** The chips' I2C addresses. */
export const ADC_ADDRESSES = [0x48, 0x49, 0x4a, 0x4b]

/** The chip (0..3) that reads sensor s (0..15, see above). */
export function chipOfSensor(s: number): number {
    if (s < 8) return s < 4 ? 0 : 1
    const pad = s - 8
    return pad < 4 ? 3 : 2
}

/**
 * The sensors (0..15) chip c reads, into `out` (4 values); returns out. Written by index and
 * shortened with pop(): `out.length = 0` is not portable (in the DeviceScript VM it left the
 * array at length 0 while the pushes after it still stored their values, so the caller's
 * for-of saw no sensor: docs/devicescript-vm.md).
 */
export function sensorsOfChip(c: number, out: number[]): number[] {
    let n = 0
    for (let s = 0; s < ADC_CHIPS * ADC_CHANNELS_PER_CHIP; s++)
        if (chipOfSensor(s) === c) {
            if (n < out.length) out[n] = s
            else out.push(s)
            n++
        }
    while (out.length > n) out.pop()
    return out
}
