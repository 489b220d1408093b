/**
 * Heat fault codes, each with a message for the status LED and the dashboard. A fault
 * is latched: heat stays off (on that pad, or everywhere) until the user clears it.
 */
export enum FaultCode {
    None = 0,
    /** A pad reached the hard cutoff (or its rising reading was about to): every heater off, master heater cut open. */
    Overtemp = 1,
    /** A thermistor reads at the top rail: disconnected. */
    SensorOpen = 2,
    /** A thermistor reads at the bottom rail: shorted. */
    SensorShort = 3,
    /** A reading outside -10..85 C, or changing faster than a pad can. */
    SensorImplausible = 4,
    /** A pad did not warm up as heated: the heater is dead or the sensor is off the pad. */
    HeatingFailed = 5,
    /** After reaching its target, a pad did not warm as its heat says it must: the sensor came loose or the heater failed. */
    Runaway = 6,
    /** A pad kept heating while switched off: the heater switch is stuck; heater power is cut. */
    StuckOn = 7,
    /** The latched faults kept in flash could not be read back at boot: heat stays off. */
    RecordsLost = 8,
    /** A pad's two thermistors (control and protection) read further apart than the band a healthy pair can: one of them lies. */
    SensorsDisagree = 9,
    /** The frame loop caught an exception (scheduler, guard or port): all heat is cut. */
    FirmwareError = 10,
}

const MESSAGES = [
    "No fault.",
    "A pad reached the 45 C cutoff, or was about to: all heat is off.",
    "A pad's temperature sensor is disconnected: that pad's heat is off.",
    "A pad's temperature sensor is shorted: that pad's heat is off.",
    "A pad's temperature reading is impossible: that pad's heat is off.",
    "A pad did not warm up when heated: its heater or its sensor has failed.",
    "A pad stopped warming as heated after reaching its target: its sensor may have come loose.",
    "A pad kept heating while switched off: all heater power is cut.",
    "The heat fault memory was unreadable at start: heat stays off until faults are cleared.",
    "A pad's two temperature sensors disagree: one of them is wrong, that pad's heat is off.",
    "A firmware error occurred while computing a frame: all heat is off.",
]

/** The human message of a fault code. */
export function faultMessage(code: FaultCode): string {
    return code >= 0 && code < MESSAGES.length ? MESSAGES[code] : "Unknown fault " + code + "."
}

/** Highest fault code. */
export const LAST_FAULT_CODE = FaultCode.FirmwareError

/** True for faults that cut heater power to every pad (the master cut), not only their own. */
export function cutsAllHeat(code: number): boolean {
    return (
        code === FaultCode.Overtemp ||
        code === FaultCode.StuckOn ||
        code === FaultCode.RecordsLost ||
        code === FaultCode.FirmwareError
    )
}

/** A latched fault, kept as a record after it is cleared. */
export class FaultRecord {
    /** When the user cleared it (ms since boot), or -1 while latched. */
    clearedMs = -1
    /** Its place among the faults latched since boot (1, 2, ...): reporters tell new ones by it. */
    seq = 0

    /**
     * @param code what went wrong
     * @param pad the pad (channel), or -1 for all
     * @param tMs when it was latched (ms since boot)
     * @param tempC the pad's reading then (NaN if none)
     */
    constructor(
        readonly code: FaultCode,
        readonly pad: number,
        readonly tMs: number,
        readonly tempC: number
    ) {}
}
