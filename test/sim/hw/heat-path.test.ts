import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { makeConfig } from "../../../src/core/scheduler/config"
import { Scheduler } from "../../../src/core/scheduler/scheduler"
import { HEAT_HIGH } from "../../../src/core/thermal/heat-control"
import { HeatManager } from "../../../src/core/thermal/heat-manager"
import { FaultCode } from "../../../src/core/safety/faults"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { rawOf } from "../../../src/core/physics/thermistor"
import { FrameLoop } from "../../../src/frame-loop"
import { HeatSampler } from "../../../src/heat-sampler"
import { FootIoPort } from "../../../src/hw/foot-io-port"
import { sharedBoard, sharedRole } from "./board"

describe("heat through the board", () => {
    test("thermistor readings reach the supervisor; a shorted sensor turns its pad off", async () => {
        const board = await sharedBoard()
        const io = sharedRole()
        for (let p = 0; p < 8; p++) board.setTemperature(p, Math.floor(rawOf(30)))
        const s = new Scheduler(makeConfig({ framePeriodMs: 20 }))
        const port = new FootIoPort(io, 8, { batch: 2 })
        const supervisor = new SafetySupervisor(8)
        const heat = new HeatManager(s, supervisor, null)
        const loop = new FrameLoop(s, port, supervisor)
        const sampler = new HeatSampler(port, heat)
        const go = async () => {
            await loop.run()
        }
        const sample = async () => {
            await sampler.run()
        }
        go.start()
        sample.start()
        await ds.sleep(600)
        // no session yet: nothing heats
        expect(board.current.heaters).toBe(0)
        s.start(loop.nextFrame())
        supervisor.startSession(ds.millis())
        heat.setLevel(HEAT_HIGH, ds.millis())
        await ds.sleep(2500)
        // the pads are cold: heat flows (the slicer never has more than 6 of 8 on at once)
        expect(board.current.heaterPower).toBe(true)
        expect(supervisor.temperature(2) > 29 && supervisor.temperature(2) < 31).toBe(true)
        board.setTemperature(2, 0)
        await ds.sleep(1500)
        expect(supervisor.activeFault()).toBe(FaultCode.SensorShort)
        // pad 2 stays off in every frame from now on
        let seen = 0
        for (let i = 0; i < 20; i++) {
            await ds.sleep(40)
            if (board.current.heaters & 4) seen++
        }
        expect(seen).toBe(0)
        loop.stop()
        sampler.stop()
        await ds.sleep(200)
        expect(board.current.heaters).toBe(0)
    })
})
