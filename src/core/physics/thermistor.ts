/**
 * The pad thermistors: a 10 kOhm NTC (B = 3950) at the bottom of a divider under a 10 kOhm
 * resistor, read by a ratiometric 16-bit ADC: raw = 65535 * R_ntc / (R_fixed + R_ntc). An open
 * thermistor reads the top rail (65535), a shorted one the bottom rail (0). Conversion uses the
 * Beta equation; the raw reading is kept for the plausibility checks.
 */

/** Full scale of the ADC reading. */
export const ADC_FULL_SCALE = 65535

/** Readings this close to a rail mean an open or shorted sensor (beyond about -77 C or +352 C). */
export const RAIL_MARGIN = 64

/** The divider's fixed resistor, ohms. */
export const R_FIXED = 10000
/** The thermistor's resistance at 25 C, ohms. */
export const R_NOMINAL = 10000
/** The thermistor's Beta, K. */
export const BETA = 3950

const T0 = 298.15

/** Thermistor resistance for a raw reading (not at a rail). */
export function resistanceOf(raw: number): number {
    return (R_FIXED * raw) / (ADC_FULL_SCALE - raw)
}

/** Temperature in C for a raw reading; NaN at a rail. */
export function celsiusOf(raw: number): number {
    if (!(raw > 0)) return NaN
    if (!(raw < ADC_FULL_SCALE)) return NaN
    const r = resistanceOf(raw)
    return 1 / (1 / T0 + Math.log(r / R_NOMINAL) / BETA) - 273.15
}

/** The raw reading (unrounded) of a thermistor at a temperature in C. */
export function rawOf(celsius: number): number {
    const r = R_NOMINAL * Math.exp(BETA * (1 / (celsius + 273.15) - 1 / T0))
    return (ADC_FULL_SCALE * r) / (R_FIXED + r)
}

/** True when the reading sits at a rail: the sensor is open (high) or shorted (low). */
export function atRail(raw: number): boolean {
    if (raw <= RAIL_MARGIN) return true
    return raw >= ADC_FULL_SCALE - RAIL_MARGIN
}
