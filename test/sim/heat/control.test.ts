import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { HEAT_HIGH, HEAT_LOW } from "../../../src/core/thermal/heat-control"
import { FaultCode } from "../../../src/core/safety/faults"
import { Rig } from "../../faults/rig"

/** Heats 8 pads at `level` in a room at `roomC` for 300 s; returns [max C, min C after 240 s]. */
async function heat(level: number, roomC: number, seed: number): Promise<number[]> {
    const rig = new Rig(roomC > 30 ? roomC : 30, seed)
    for (let p = 0; p < rig.pads.length; p++) rig.pads[p].ambientC = roomC
    let settledMin = 99
    let n = 0
    while (rig.tMs < 300000) {
        if (rig.tMs === 1000) rig.startSession(level)
        rig.step()
        if (rig.tMs > 240000)
            for (let p = 0; p < rig.pads.length; p++)
                if (rig.pads[p].tempC < settledMin) settledMin = rig.pads[p].tempC
        // a step of the 8-pad model with its 16 sensors runs ~30 K opcodes: yield every two
        // (a VM fiber may run 128 K between yields)
        if (++n % 2 === 0) await ds.sleep(0)
    }
    expect(rig.fw.supervisor.activeFault()).toBe(FaultCode.None)
    return [rig.maxC, settledMin]
}

describe("heat control on the thermal model", () => {
    test("high (43 C) in a 35 C room: no overshoot over 1 K, holds within 1 K", async () => {
        const r = await heat(HEAT_HIGH, 35, 11)
        console.log(
            `    max ${Math.round(r[0] * 100) / 100} C, lowest after settling ${Math.round(r[1] * 100) / 100} C`
        )
        expect(r[0] <= 44).toBe(true)
        expect(r[1] >= 42).toBe(true)
    })
    test("low (38 C) in an 18 C room: no overshoot over 1 K, holds within 1 K", async () => {
        const r = await heat(HEAT_LOW, 18, 12)
        console.log(
            `    max ${Math.round(r[0] * 100) / 100} C, lowest after settling ${Math.round(r[1] * 100) / 100} C`
        )
        expect(r[0] <= 39).toBe(true)
        expect(r[1] >= 37).toBe(true)
    })
})
