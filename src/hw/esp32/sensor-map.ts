/*
 * Which ADS1115 input reads which thermistor (boards/README.md has the wiring table).
 *
 * Every pad has two thermistors: a control sensor (heat control) and a protection sensor (the
 * safety supervisor alone), on different chips, so that one chip's fault never blinds both:
 *   chip 0 (0x48): control sensors of pads 0-3      chip 1 (0x49): control sensors of pads 4-7
 *   chip 2 (0x4A): protection sensors of pads 4-7   chip 3 (0x4B): protection sensors of pads 0-3
 * The port fills raw[0..7] with the control sensors of pads 0..7 and raw[8..15] with the
 * protection sensors of pads 0..7.
 */

/** Pads (heater channels) of the board. */
export const PADS = 8
/** Thermistors of the board: two per pad. */
export const SENSORS = 2 * PADS
/** The ADS1115 addresses, chip 0 to 3 (ADDR pin to GND, VDD, SDA, SCL). */
export const ADC_ADDRESSES = [0x48, 0x49, 0x4a, 0x4b]
/** The raw index of each chip's input 0; input n reads raw index CHIP_FIRST_SLOT[chip] + n. */
export const CHIP_FIRST_SLOT = [0, 4, 12, 8]

/** The raw index (0..15) that chip `chip`'s input `input` reads. */
export function slotOf(chip: number, input: number): number {
    return CHIP_FIRST_SLOT[chip] + input
}
