import { describe, test, expect } from "@devicescript/test"
import { deleteSetting, settings, writeSetting } from "@devicescript/settings"
import { decodeLatched, encodeLatched } from "../../../src/core/safety/codec"
import { FaultCode, FaultRecord } from "../../../src/core/safety/faults"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { ADC_FULL_SCALE, rawOf } from "../../../src/core/physics/thermistor"
import {
    FAULTS_MISSING,
    FAULTS_SETTING,
    FAULTS_UNREADABLE,
    FaultStore,
} from "../../../src/storage/fault-store"
import { readJson } from "../../../src/storage/kv"

/** A supervisor after a boot with fresh samples on every pad, its faults restored from flash. */
async function booted(): Promise<SafetySupervisor> {
    const s = new SafetySupervisor(8)
    await new FaultStore(s).restore()
    for (let p = 0; p < 8; p++) {
        s.onControlSample(p, rawOf(30), 0)
        s.onSample(p, rawOf(30), 0)
    }
    s.startSession(0)
    return s
}

describe("fault store", () => {
    test("the stored form round-trips, and anything malformed is refused", () => {
        const a = new FaultRecord(FaultCode.SensorOpen, 2, 100, NaN)
        const b = new FaultRecord(FaultCode.Overtemp, 5, 200, 45.04)
        const c = new FaultRecord(FaultCode.HeatingFailed, 1, 300, 30)
        c.clearedMs = 400
        const stored = encodeLatched([a, b, c])
        expect(stored.length).toBe(2)
        // the faults that cut all heat come first
        expect(stored[0][0]).toBe(FaultCode.Overtemp)
        const back = decodeLatched(JSON.parse(JSON.stringify(stored)), 8)
        expect(back.length).toBe(2)
        expect(back[1][0]).toBe(FaultCode.SensorOpen)
        expect(back[1][1]).toBe(2)
        expect(back[1][2] === back[1][2]).toBe(false)
        expect(back[0][2]).toBe(45)
        expect(decodeLatched([], 8).length).toBe(0)
        expect(decodeLatched(null, 8)).toBe(null)
        expect(decodeLatched("garbage", 8)).toBe(null)
        expect(decodeLatched([[99, 0, 0]], 8)).toBe(null)
        expect(decodeLatched([[2, 8, 0]], 8)).toBe(null)
        expect(decodeLatched([[2, 0.5, 0]], 8)).toBe(null)
        expect(decodeLatched([[2, 0]], 8)).toBe(null)
        expect(decodeLatched([[2, 0, "x"]], 8)).toBe(null)
    })
    test("with more latched faults than fit, every latched pad keeps one", () => {
        const records: FaultRecord[] = []
        // a wiring fault flapping on every pad: three codes each, 24 in all
        for (let code = 2; code <= 4; code++)
            for (let pad = 0; pad < 8; pad++) records.push(new FaultRecord(code, pad, code * 100 + pad, NaN))
        records.push(new FaultRecord(FaultCode.StuckOn, 7, 900, 44))
        const back = decodeLatched(encodeLatched(records), 8)
        expect(back.length).toBe(20)
        expect(back[0][0]).toBe(FaultCode.StuckOn)
        let pads = 0
        for (let i = 0; i < back.length; i++) pads |= 1 << back[i][1]
        expect(pads).toBe(255)
    })
    test("a latched fault survives a restart; once cleared it does not", async () => {
        await FaultStore.provision()
        const s1 = await booted()
        for (let i = 0; i < 3; i++) s1.onSample(0, ADC_FULL_SCALE, 100 + i * 100)
        expect(s1.activeFault()).toBe(FaultCode.SensorOpen)
        await new FaultStore(s1).sync()
        // a restart: a new supervisor, its store restores what was latched
        const s2 = await booted()
        expect(s2.activeFault()).toBe(FaultCode.SensorOpen)
        expect(s2.padAllowed(0, 0)).toBe(false)
        expect(s2.padAllowed(1, 0)).toBe(true)
        // the user clears it; the store saves that, and the next boot is clean
        const store2 = new FaultStore(s2)
        s2.clearFaults(10)
        await store2.sync()
        const s3 = await booted()
        expect(s3.activeFault()).toBe(FaultCode.None)
        expect(s3.padAllowed(0, 0)).toBe(true)
    })
    test("a restored over-temperature keeps the master heater cut open", async () => {
        await writeSetting(FAULTS_SETTING, [[FaultCode.Overtemp, 3, 451]])
        const s = await booted()
        expect(s.activeFault()).toBe(FaultCode.Overtemp)
        expect(s.masterCutOpen()).toBe(true)
        expect(s.padAllowed(1, 0)).toBe(false)
        await FaultStore.provision()
    })
    test("an unreadable stored list latches 'records lost' and keeps all heat off until cleared", async () => {
        await writeSetting(FAULTS_SETTING, "garbage")
        const s = await booted()
        expect(s.activeFault()).toBe(FaultCode.RecordsLost)
        expect(s.masterCutOpen()).toBe(true)
        s.clearFaults(10)
        expect(s.masterCutOpen()).toBe(false)
        // every pad is held off for a minute after a fault that cut all heat, then may heat
        expect(s.padAllowed(0, 10)).toBe(false)
        const later = 10 + s.limits.clearHoldMs
        s.onControlSample(0, rawOf(30), later)
        s.onSample(0, rawOf(30), later)
        expect(s.padAllowed(0, later)).toBe(true)
        await writeSetting(FAULTS_SETTING, [[42, 0, 0]])
        const t = await booted()
        expect(t.activeFault()).toBe(FaultCode.RecordsLost)
        // torn bytes, not JSON at all
        await settings.set(FAULTS_SETTING, Buffer.from("[[2,0,"))
        const v = await booted()
        expect(v.activeFault()).toBe(FaultCode.RecordsLost)
        await FaultStore.provision()
        const u = await booted()
        expect(u.activeFault()).toBe(FaultCode.None)
    })
    test("a missing list (first boot, or a store the runtime reformatted) is not 'no faults'", async () => {
        await deleteSetting(FAULTS_SETTING)
        const s = new SafetySupervisor(8)
        const store = new FaultStore(s)
        expect(await store.restore()).toBe(FAULTS_MISSING)
        expect(s.activeFault()).toBe(FaultCode.RecordsLost)
        expect(s.masterCutOpen()).toBe(true)
        // it is saved as latched: a second boot without a clear is still lost
        await store.sync()
        const t = new SafetySupervisor(8)
        await new FaultStore(t).restore()
        expect(t.activeFault()).toBe(FaultCode.RecordsLost)
        // the user's clear stores the empty list: the next boot is clean
        t.clearFaults(10)
        const st = new FaultStore(t)
        await st.sync()
        const u = new SafetySupervisor(8)
        expect(await new FaultStore(u).restore()).toBe(0)
        expect(u.activeFault()).toBe(FaultCode.None)
        await settings.set(FAULTS_SETTING, Buffer.from("[[2,0,"))
        expect(await new FaultStore(new SafetySupervisor(8)).restore()).toBe(FAULTS_UNREADABLE)
        await FaultStore.provision()
    })
    test("more latched faults than one setting holds are cut to fit, all-heat cuts and every pad kept", async () => {
        await FaultStore.provision()
        const s = await booted()
        // every pad open, shorted and implausible: 24 latches, far over one value
        for (let p = 0; p < 8; p++) s.restoreLatched(FaultCode.SensorOpen, p, 0, NaN)
        for (let p = 0; p < 8; p++) s.restoreLatched(FaultCode.SensorShort, p, 0, 40.55)
        for (let p = 0; p < 8; p++) s.restoreLatched(FaultCode.SensorImplausible, p, 0, -10.5)
        s.restoreLatched(FaultCode.Overtemp, 3, 0, 45.1)
        await new FaultStore(s).sync()
        const t = await booted()
        expect(t.masterCutOpen()).toBe(true)
        for (let p = 0; p < 8; p++) expect(t.padAllowed(p, 0)).toBe(false)
        const back = decodeLatched(await readJson(FAULTS_SETTING), 8)
        expect(back.length >= 9).toBe(true)
        await FaultStore.provision()
    })
})
