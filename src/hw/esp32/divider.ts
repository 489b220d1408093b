/*
 * The thermistor divider on the board, to the raw reading src/core/physics/thermistor.ts takes.
 *
 * Each pad thermistor (10 kOhm NTC, B 3950) sits at the bottom of a divider under a 10 kOhm
 * 0.1 % resistor fed from a 2.048 V reference (one reference for the control sensors' chips,
 * another for the protection sensors' chips); the ADS1115 measures the mid point against GND at
 * +-2.048 V full scale. So
 *     code = 32768 * Vmid / 2.048 V = 32768 * Vref / 2.048 V * R_ntc / (R_fixed + R_ntc)
 * and the core's raw = 65535 * R_ntc / (R_fixed + R_ntc) is code * 65535 / 32768 * 2.048 / Vref:
 * about 2 * code. An open thermistor puts Vref on the input: the top code (32767), raw 65533, at
 * the top rail; a shorted one reads about 0 (single-ended noise can give -1 or -2: clamped to 0),
 * the bottom rail. One count is 62.5 uV, about 0.004 C at 40 C.
 */
import { ADC_FULL_SCALE } from "../../core/physics/thermistor"
import { ADS1115_FULL_SCALE_V } from "./ads1115"

/** The divider's reference voltage, volts. */
export const DIVIDER_REF_V = 2.048

/**
 * The thermistor raw reading (0..65535, rounded) of an ADS1115 result at the board's PGA and
 * reference.
 */
export function thermistorRawOf(code: number): number {
    const raw = Math.round((code * ADC_FULL_SCALE * ADS1115_FULL_SCALE_V) / (32768 * DIVIDER_REF_V))
    return raw < 0 ? 0 : raw > ADC_FULL_SCALE ? ADC_FULL_SCALE : raw
}

/** The ADS1115 result (rounded) for a thermistor raw reading: the inverse, for test fakes. */
export function codeOfThermistorRaw(raw: number): number {
    const code = Math.round((raw * 32768 * DIVIDER_REF_V) / (ADC_FULL_SCALE * ADS1115_FULL_SCALE_V))
    return code > 32767 ? 32767 : code
}
