import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { FaultCode } from "../../../src/core/safety/faults"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { PortFault, WATCHDOG_MS } from "../../../src/hw/esp32/esp32-port"
import { FootIoPort } from "../../../src/hw/foot-io-port"
import { selectPort } from "../../../src/hw/select-port"
import { frameOf, startOnFake } from "./setup"

describe("the board's port", () => {
    test("selectPort keeps the Foot IO port in the simulator", async () => {
        const port = await selectPort(8)
        expect(port instanceof FootIoPort).toBe(true)
    })

    test("a PCA9685 that NAKs a frame write is a fault: heater power cut at once, heat held off", async () => {
        const { board, port } = await startOnFake()
        let seen = -1
        port.onFault((fault, msg) => {
            seen = fault
        })
        await port.submit(frameOf([100, 0, 0, 0, 0, 0, 0, 0], 0x03, true))
        expect(board.heat.value).toBe(1)
        board.pca.nak = true
        await port.submit(frameOf([120, 0, 0, 0, 0, 0, 0, 0], 0x03, true))
        expect(seen).toBe(PortFault.PwmWrite)
        expect(board.heat.value).toBe(0)
        expect(port.faultMessage.indexOf("dev=64") >= 0).toBe(true)
        board.pca.nak = false
        await port.submit(frameOf([120, 0, 0, 0, 0, 0, 0, 0], 0x03, true))
        // motors run again, heat does not
        expect(board.pca.duty(0) > 0).toBe(true)
        expect(board.pca.duty(8)).toBe(0)
        expect(board.heat.value).toBe(0)
    })

    test("linked to the supervisor: the hardware cut opens on a latched fault that cuts all heat, and closes when it is cleared", async () => {
        const { board, port } = await startOnFake()
        const supervisor = new SafetySupervisor(8)
        port.link(supervisor)
        await port.submit(frameOf([100, 100, 0, 0, 0, 0, 0, 0], 0x01, true))
        expect(board.oe.value).toBe(0)
        expect(board.heat.value).toBe(1)
        supervisor.restoreLatched(FaultCode.Overtemp, -1, ds.millis(), 50)
        expect(supervisor.masterCutOpen()).toBe(true)
        // even a frame that asks for heat (a bug upstream) gets none, and /OE is high
        await port.submit(frameOf([100, 100, 0, 0, 0, 0, 0, 0], 0x01, true))
        expect(board.oe.value).toBe(1)
        expect(board.heat.value).toBe(0)
        expect(board.pca.duty(8)).toBe(0)
        expect(port.isCut).toBe(true)
        supervisor.clearFaults(ds.millis())
        expect(supervisor.masterCutOpen()).toBe(false)
        await port.submit(frameOf([100, 100, 0, 0, 0, 0, 0, 0], 0, false))
        expect(board.oe.value).toBe(0)
        expect(port.isCut).toBe(false)
    })

    test("linked: a port fault latches the supervisor's firmware error (stored and reported like every heat fault)", async () => {
        const { board, port } = await startOnFake()
        const supervisor = new SafetySupervisor(8)
        port.link(supervisor)
        await port.submit(frameOf([0, 0, 0, 0, 0, 0, 0, 0], 0x01, true))
        board.pca.nak = true
        await port.submit(frameOf([9, 0, 0, 0, 0, 0, 0, 0], 0x01, true))
        expect(supervisor.activeFault()).toBe(FaultCode.FirmwareError)
        expect(board.heat.value).toBe(0)
        board.pca.nak = false
        await port.submit(frameOf([9, 0, 0, 0, 0, 0, 0, 0], 0x01, true))
        expect(board.oe.value).toBe(1)
    })

    test("the watchdog: no frame for 1 s turns every output off until the next frame", async () => {
        const { board, port } = await startOnFake()
        port.watch(ds.millis() + 5000)
        expect(board.oe.value).toBe(0) // no frame yet: the loop has not started
        await port.submit(frameOf([100, 0, 0, 0, 0, 0, 0, 0], 0x01, true))
        port.watch(ds.millis() + WATCHDOG_MS / 2)
        expect(board.oe.value).toBe(0)
        port.watch(ds.millis() + WATCHDOG_MS + 50)
        expect(board.oe.value).toBe(1)
        expect(board.heat.value).toBe(0)
        expect(port.fault).toBe(PortFault.None)
        await port.submit(frameOf([100, 0, 0, 0, 0, 0, 0, 0], 0x01, true))
        expect(board.oe.value).toBe(0)
        expect(board.heat.value).toBe(1)
    })

    test("allOff: one transfer, every channel off, heater power cut", async () => {
        const { board, port } = await startOnFake()
        await port.submit(frameOf([100, 50, 20, 0, 0, 0, 0, 9], 0xff, true))
        board.bus.log = []
        await port.allOff()
        expect(board.bus.transfersTo(0x40).length).toBe(1)
        for (let c = 0; c < 16; c++) expect(board.pca.duty(c)).toBe(0)
        expect(board.heat.value).toBe(0)
    })
})
