/*
 * The packed telemetry report (services/massager-control.md, register telemetry): u8 channel
 * count n, u8 state, u16 LE remaining seconds, u16 LE heater bits, n levels (u8), n pad
 * temperatures (i16 LE, 0.1 C, NO_TEMPERATURE when unknown). Pure: the firmware encodes into a
 * Buffer, a client decodes any indexable bytes (Buffer, Uint8Array).
 */

/** The i16 that stands for "no valid reading". */
export const NO_TEMPERATURE = -32768

/** Bytes of a report for n channels. */
export function telemetrySize(n: number): number {
    return 6 + 3 * n
}

function putU16(out: any, at: number, v: number) {
    out[at] = v & 0xff
    out[at + 1] = (v >> 8) & 0xff
}

function getU16(b: any, at: number): number {
    return b[at] | (b[at + 1] << 8)
}

/**
 * Encodes into `out` (at least telemetrySize(levels.length) bytes). `tempsC` are degrees C (NaN
 * when unknown), one per channel.
 */
export function encodeTelemetry(
    out: any,
    state: number,
    remainingS: number,
    heaters: number,
    levels: number[],
    tempsC: number[]
) {
    const n = levels.length
    out[0] = n
    out[1] = state
    putU16(out, 2, Math.max(0, Math.min(65535, Math.round(remainingS))))
    putU16(out, 4, heaters & 0xffff)
    for (let c = 0; c < n; c++) out[6 + c] = levels[c] & 0xff
    for (let c = 0; c < n; c++) {
        const t = tempsC[c]
        let v = NO_TEMPERATURE
        if (t > -3000) if (t < 3000) v = Math.round(t * 10)
        putU16(out, 6 + n + 2 * c, v & 0xffff)
    }
}

/** A decoded telemetry report. */
export interface Telemetry {
    state: number
    remainingS: number
    heaters: number
    levels: number[]
    /** Degrees C, NaN when unknown. */
    tempsC: number[]
}

/** Decodes a report; null when it is too short for its channel count. */
export function decodeTelemetry(b: any): Telemetry {
    if (!b || b.length < 6) return null
    const n = b[0]
    if (b.length < telemetrySize(n)) return null
    const levels: number[] = []
    const tempsC: number[] = []
    for (let c = 0; c < n; c++) levels.push(b[6 + c])
    for (let c = 0; c < n; c++) {
        let v = getU16(b, 6 + n + 2 * c)
        if (v >= 32768) v -= 65536
        tempsC.push(v === NO_TEMPERATURE ? NaN : v / 10)
    }
    return { state: b[1], remainingS: getU16(b, 2), heaters: getU16(b, 4), levels: levels, tempsC: tempsC }
}
