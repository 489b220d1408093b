import { describe, test, expect } from "@devicescript/test"
import { dutyOf } from "../../../src/hw/esp32/esp32-port"
import {
    PCA9685Driver,
    WORD_OFF,
    WORD_ON,
    frequencyOf,
    prescaleFor,
    startPCA9685,
} from "../../../src/hw/esp32/pca9685"
import { FakeBoard } from "./fake-bus"
import { frameOf, startOnFake } from "./setup"

describe("PCA9685 driver", () => {
    test("begin: the fastest PWM (prescale 3, 1526 Hz), auto-increment, totem pole, every channel off", async () => {
        const board = new FakeBoard()
        await startPCA9685({ client: board.bus })
        expect(prescaleFor(1526)).toBe(3)
        expect(Math.round(frequencyOf(3))).toBe(1526)
        expect(board.pca.regs[0xfe]).toBe(3)
        expect(board.pca.regs[0x00]).toBe(0x20)
        expect(board.pca.regs[0x01]).toBe(0x04)
        for (let c = 0; c < 16; c++) expect(board.pca.word(c)).toBe(WORD_OFF)
    })

    test("a frame becomes the channel registers: motor duty, heaters full on/off, heater power", async () => {
        const { board, port } = await startOnFake()
        await port.submit(frameOf([255, 128, 0, 0, 10, 0, 0, 1], 0x05, true))
        const pca = board.pca
        expect(pca.duty(0)).toBe(4096)
        expect(pca.duty(1)).toBe(dutyOf(128))
        expect(dutyOf(128)).toBe(2056)
        expect(pca.duty(2)).toBe(0)
        expect(pca.duty(4)).toBe(160)
        expect(pca.duty(7)).toBe(16)
        // motor 1 turns on at 1 * 512 of the period (the stagger)
        expect(pca.word(1) & 0xfff).toBe(512)
        expect(pca.word(8)).toBe(WORD_ON)
        expect(pca.word(9)).toBe(WORD_OFF)
        expect(pca.word(10)).toBe(WORD_ON)
        expect(board.heat.value).toBe(1)
        expect(board.oe.value).toBe(0)
        // heater bits without master power: gates off and the cut open
        await port.submit(frameOf([255, 128, 0, 0, 10, 0, 0, 1], 0x05, false))
        expect(pca.word(8)).toBe(WORD_OFF)
        expect(board.heat.value).toBe(0)
    })

    test("only the channels that changed are written, each run of neighbours in one transfer", async () => {
        const { board, port } = await startOnFake()
        const bus = board.bus
        await port.submit(frameOf([10, 20, 30, 40, 50, 60, 70, 80], 0, false))
        bus.log = []
        await port.submit(frameOf([10, 20, 30, 40, 50, 60, 70, 80], 0, false))
        expect(bus.transfersTo(0x40).length).toBe(0)
        // channels 1 and 2 change: one transfer from LED1_ON_L, 8 data bytes
        await port.submit(frameOf([10, 21, 31, 40, 50, 60, 70, 80], 0, false))
        let t = bus.transfersTo(0x40)
        expect(t.length).toBe(1)
        expect(t[0].written[0]).toBe(0x06 + 4)
        expect(t[0].written.length).toBe(9)
        // channels 1 and 3 and heater 0 (channel 8): three runs
        bus.log = []
        await port.submit(frameOf([10, 22, 31, 41, 50, 60, 70, 80], 0x01, true))
        t = bus.transfersTo(0x40)
        expect(t.length).toBe(3)
        expect(t[0].written[0]).toBe(0x0a)
        expect(t[1].written[0]).toBe(0x12)
        expect(t[2].written[0]).toBe(0x26)
        expect(board.pca.duty(3)).toBe(dutyOf(41))
    })

    test("bus bytes a frame (figures for docs/esp32.md)", async () => {
        const { board, port } = await startOnFake()
        const bus = board.bus
        bus.log = []
        // worst: all 16 channels change at once
        await port.submit(frameOf([200, 200, 200, 200, 200, 200, 200, 200], 0xff, true))
        const worst = bus.bytesWrittenTo(0x40)
        expect(worst).toBe(1 + 1 + 64)
        // typical: every motor moves (a wave), heaters unchanged
        bus.log = []
        await port.submit(frameOf([201, 199, 202, 198, 203, 197, 204, 196], 0xff, true))
        const motors = bus.bytesWrittenTo(0x40)
        expect(motors).toBe(1 + 1 + 32)
        // a heater slice flips heater 0 (channel 8) and motors 0 and 7 move: runs [0] and [7, 8]
        bus.log = []
        await port.submit(frameOf([202, 199, 202, 198, 203, 197, 204, 197], 0xfe, true))
        const slice = bus.bytesWrittenTo(0x40)
        expect(bus.transfersTo(0x40).length).toBe(2)
        expect(slice).toBe(1 + 1 + 4 + (1 + 1 + 8))
        const us = (b: number) => Math.round((b * 9 * 1000000) / 400000)
        console.log(
            `I2C bytes a frame: worst ${worst} (${us(worst)} us at 400 kHz), all motors ${motors} (${us(motors)} us), three channels ${slice} (${us(slice)} us)`
        )
    })

    test("a restart leaves every output off: channels held on by the last run are cleared before /OE goes low", async () => {
        const board = new FakeBoard()
        const pca = board.pca
        // the previous firmware left channels on and the chip asleep with RESTART pending
        for (let c = 0; c < 16; c++) {
            pca.regs[0x06 + 4 * c + 1] = 0x10
            pca.regs[0x06 + 4 * c + 3] = 0
        }
        pca.regs[0] = 0x80 | 0x20
        let onWhenEnabled = -1
        board.oe.onWrite = v => {
            if (v !== 0) return
            onWhenEnabled = 0
            for (let c = 0; c < 16; c++) if (pca.duty(c) > 0) onWhenEnabled++
        }
        const heatWrites = board.heat.writes
        const { port } = await startOnFake(board)
        // /OE was high, heater power off, before any bus traffic
        expect(board.oe.writes[0]).toBe(1)
        expect(heatWrites[0]).toBe(0)
        expect(onWhenEnabled).toBe(0)
        expect(pca.restartWritten).toBe(false)
        for (let c = 0; c < 16; c++) expect(pca.duty(c)).toBe(0)
        expect(board.heat.value).toBe(0)
        expect(port.fault).toBe(0)
    })

    test("sleep stops every output; wake comes back with every channel off", async () => {
        const board = new FakeBoard()
        const pwm: PCA9685Driver = await startPCA9685({ client: board.bus })
        pwm.set(3, WORD_ON)
        await pwm.update()
        expect(board.pca.duty(3)).toBe(4096)
        await pwm.sleep()
        expect(board.pca.duty(3)).toBe(0)
        expect(pwm.asleep).toBe(true)
        await pwm.wake()
        expect(board.pca.duty(3)).toBe(0)
        expect(board.pca.regs[0]).toBe(0x20)
        expect(board.pca.restartWritten).toBe(false)
    })

    test("a missing PCA9685 is a DriverError at start; a foreign chip that reads back wrong too", async () => {
        const board = new FakeBoard()
        board.pca.nak = true
        let msg = ""
        try {
            await startPCA9685({ client: board.bus })
        } catch (e: any) {
            msg = e.name + ": " + e.message
        }
        expect(msg.indexOf("DriverError: I2C device not found")).toBe(0)
        board.pca.nak = false
        board.pca.garbage = true
        msg = ""
        try {
            await startPCA9685({ client: board.bus })
        } catch (e: any) {
            msg = e.name
        }
        expect(msg).toBe("DriverError")
    })
})
