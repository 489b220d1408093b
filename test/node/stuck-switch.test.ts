/*
 * A heater switch stuck on is cut before its pad reaches 45 C, whenever it sticks (issue 9, the
 * last unsafe case of the generated family): the heater switch family of `npm run faults`, and
 * the same fault injected at 170 moments of the session's first four minutes, in every room,
 * with and without a foot. Before the stuck check judged heat it had not let through, the
 * family's "switch stuck-on, high, 35 C, no foot" reached 45.01 C and the sweep 45.29 C.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { FaultCode, HEAT_HIGH } from "../../src/core"
import { familyScenarios, runFamilyScenario } from "../faults/family"
import { Rig } from "../faults/rig"

test("the heater switch family: every stuck switch latched as stuck, the hottest pad under 44.8 C", () => {
    const list = familyScenarios()
    let n = 0
    let max = 0
    for (let i = 0; i < list.length; i++) {
        const sc = list[i]
        if (sc.family !== "heater switch") continue
        // the seeds of `npm run faults`
        const r = runFamilyScenario(sc, 4242 + i)
        n++
        max = Math.max(max, r.maxC)
        assert.equal(r.fault, FaultCode.StuckOn, `${sc.name}: first fault ${r.fault}`)
        assert.ok(r.maxC < 44.8, `${sc.name}: the pad reached ${r.maxC.toFixed(3)} C`)
        assert.equal(r.backstopTrips, 0)
    }
    assert.equal(n, 12)
    assert.ok(max > 43, `the pads reached their targets (${max.toFixed(2)} C)`)
})

test("a switch sticking at any moment of heat-up or holding is cut under 44.9 C", () => {
    let worst = 0
    let where = ""
    let runs = 0
    for (const room of [10, 22, 35])
        for (const foot of [false, true])
            for (let inj = 20000; inj <= 240000; inj += 1300) {
                const rig = new Rig(room > 30 ? room : 30, 99 + inj)
                for (const pad of rig.pads) {
                    pad.ambientC = room
                    pad.footPresent = foot
                    pad.setNoise(20)
                }
                // 2 minutes after the switch sticks, longer while nothing latched: pads judged
                // bare (no foot) are held at 40 C, and while every pad cools towards it no
                // heater power flows and a stuck switch heats nothing until one needs heat again
                const sup = rig.fw.supervisor
                while (rig.tMs < inj + 120000 || (sup.records.length === 0 && rig.tMs < inj + 420000)) {
                    if (rig.tMs === 1000) rig.startSession(HEAT_HIGH)
                    if (rig.tMs === inj) rig.pads[0].stuckOn = true
                    rig.step()
                }
                runs++
                // stuck, or over-temperature when the cutoff ahead came first: all heat is cut
                const first = rig.fw.supervisor.records[0]
                const code = first ? first.code : 0
                assert.ok(
                    code === FaultCode.StuckOn || code === FaultCode.Overtemp,
                    `room ${room}, foot ${foot}, at ${inj} ms: fault ${code}`
                )
                assert.ok(rig.fw.supervisor.masterCutOpen())
                if (rig.maxC > worst) {
                    worst = rig.maxC
                    where = `room ${room} C, foot ${foot}, stuck at ${inj / 1000} s`
                }
            }
    assert.equal(runs, 6 * 170)
    assert.ok(worst < 44.9, `${where}: the pad reached ${worst.toFixed(3)} C`)
})
