import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { rawOf } from "../../../src/core/physics/thermistor"
import { makeConfig } from "../../../src/core/scheduler/config"
import { Scheduler } from "../../../src/core/scheduler/scheduler"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { HEAT_HIGH } from "../../../src/core/thermal/heat-control"
import { HeatManager } from "../../../src/core/thermal/heat-manager"
import { FaultCode } from "../../../src/core/safety/faults"
import { FrameLoop } from "../../../src/frame-loop"
import { HeatSampler } from "../../../src/heat-sampler"
import { codeOfThermistorRaw } from "../../../src/hw/esp32/divider"
import { PortFault } from "../../../src/hw/esp32/esp32-port"
import { startOnFake } from "./setup"

describe("heat through the board's port", () => {
    test("the firmware's loop heats through the PCA9685; an ADC that stops answering latches a fault that cuts all heat within a sample, until cleared", async () => {
        const { board, port } = await startOnFake()
        board.bus.recording = false
        const cold = codeOfThermistorRaw(rawOf(30))
        for (let chip = 0; chip < 4; chip++) for (let n = 0; n < 4; n++) board.adcs[chip].codes[n] = cold
        const s = new Scheduler(makeConfig({ framePeriodMs: 20 }))
        const supervisor = new SafetySupervisor(8)
        const heat = new HeatManager(s, supervisor, null)
        const loop = new FrameLoop(s, port, supervisor)
        port.link(supervisor)
        const sampler = new HeatSampler(port, heat)
        const go = async () => {
            await loop.run()
        }
        const sample = async () => {
            await sampler.run()
        }
        go.start()
        sample.start()
        await ds.sleep(300)
        // no session: nothing heats, heater power stays cut
        expect(board.heat.value).toBe(0)
        s.start(loop.nextFrame())
        supervisor.startSession(ds.millis())
        heat.setLevel(HEAT_HIGH, ds.millis())
        await ds.sleep(1200)
        expect(supervisor.temperature(0) > 29 && supervisor.temperature(0) < 31).toBe(true)
        expect(board.heat.value).toBe(1)
        let gates = 0
        for (let c = 8; c < 16; c++) if (board.pca.duty(c) > 0) gates++
        expect(gates > 0).toBe(true)
        board.adcs[2].nak = true
        await ds.sleep(250)
        expect(port.fault).toBe(PortFault.SensorRead)
        // the supervisor latched it: all heat cut, and the hardware cut open
        expect(supervisor.activeFault()).toBe(FaultCode.FirmwareError)
        expect(supervisor.masterCutOpen()).toBe(true)
        // from now on no frame heats
        let heated = 0
        for (let i = 0; i < 10; i++) {
            await ds.sleep(30)
            if (board.heat.value === 1) heated++
            for (let c = 8; c < 16; c++) if (board.pca.duty(c) > 0) heated++
        }
        expect(heated).toBe(0)
        expect(board.oe.value).toBe(1)
        // the user clears the fault (the chip answers again): the cut closes, heat may come back
        board.adcs[2].nak = false
        supervisor.clearFaults(ds.millis())
        await ds.sleep(100)
        expect(port.fault).toBe(PortFault.None)
        expect(board.oe.value).toBe(0)
        loop.stop()
        sampler.stop()
        await ds.sleep(100)
        for (let c = 0; c < 16; c++) expect(board.pca.duty(c)).toBe(0)
    })
})
