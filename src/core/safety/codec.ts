import { isFiniteNumber } from "../util/numbers"
import { FaultRecord, LAST_FAULT_CODE, cutsAllHeat } from "./faults"

/*
 * Latched faults as they are kept in flash, so that a restart cannot clear them: an array of
 * [code, pad, tenths of a degree C (or null)] per latched fault. Portable and pure.
 */

/** Most latched faults kept: every pad of two feet twice, and a few for all pads. */
export const MAX_STORED_FAULTS = 20

/**
 * The stored form of the latched faults among `records` (those not cleared), at most
 * MAX_STORED_FAULTS: first the faults that cut all heat, then one for each pad that has one, then
 * the rest, so that every latched pad stays latched across a restart.
 */
export function encodeLatched(records: FaultRecord[]): number[][] {
    const out: number[][] = []
    const taken: boolean[] = []
    for (let i = 0; i < records.length; i++) taken.push(false)
    let padsStored = 0
    for (let pass = 0; pass < 3; pass++)
        for (let i = 0; i < records.length && out.length < MAX_STORED_FAULTS; i++) {
            const r = records[i]
            if (r.clearedMs >= 0 || taken[i]) continue
            if (pass === 0 && !cutsAllHeat(r.code)) continue
            if (pass === 1) {
                // the first latched fault of a pad not stored yet
                const bit = r.pad >= 0 ? 1 << r.pad : 0
                if (padsStored & bit || bit === 0) continue
            }
            taken[i] = true
            if (r.pad >= 0) padsStored |= 1 << r.pad
            out.push([r.code, r.pad, isFiniteNumber(r.tempC) ? Math.round(r.tempC * 10) : null])
        }
    return out
}

/**
 * Reads the stored form back: [code, pad, tempC] per fault (tempC NaN when unknown), or null
 * when `stored` is not a well-formed list of faults for `padCount` pads. Never throws.
 */
export function decodeLatched(stored: any, padCount: number): number[][] {
    if (!Array.isArray(stored) || stored.length > MAX_STORED_FAULTS) return null
    const out: number[][] = []
    for (let i = 0; i < stored.length; i++) {
        const e = stored[i]
        if (!Array.isArray(e) || e.length !== 3) return null
        const code = e[0]
        const pad = e[1]
        const tenths = e[2]
        if (!isFiniteNumber(code) || Math.floor(code) !== code || code < 1 || code > LAST_FAULT_CODE)
            return null
        if (!isFiniteNumber(pad) || Math.floor(pad) !== pad || pad < -1 || pad >= padCount) return null
        if (tenths !== null && !isFiniteNumber(tenths)) return null
        out.push([code, pad, tenths === null ? NaN : tenths / 10])
    }
    return out
}
