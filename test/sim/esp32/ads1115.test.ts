import { describe, test, expect } from "@devicescript/test"
import { atRail, celsiusOf, rawOf } from "../../../src/core/physics/thermistor"
import { configFor, startADS1115 } from "../../../src/hw/esp32/ads1115"
import { codeOfThermistorRaw, thermistorRawOf } from "../../../src/hw/esp32/divider"
import { PortFault } from "../../../src/hw/esp32/esp32-port"
import { ADC_ADDRESSES, slotOf } from "../../../src/hw/esp32/sensor-map"
import { ADC_ADDRESSES as CORE_ADC_ADDRESSES, chipOfSensor } from "../../../src/core/physics/sensor-map"
import { FakeBoard } from "./fake-bus"
import { frameOf, startOnFake } from "./setup"

describe("ADS1115 driver and the thermistor divider", () => {
    test("the config word: single shot, AINn against GND, +-2.048 V, 860 SPS, comparator off", () => {
        expect(configFor(0)).toBe(0xc5e3)
        expect(configFor(3)).toBe(0xf5e3)
    })

    test("the divider math gives the core's raw reading: 40 C reads 40 C, open and short at the rails", () => {
        const raw40 = rawOf(40)
        const code = codeOfThermistorRaw(raw40)
        // about half the raw reading: one count is 62.5 uV
        expect(Math.abs(code * 2 - raw40) < 3).toBe(true)
        expect(Math.abs(celsiusOf(thermistorRawOf(code)) - 40) < 0.01).toBe(true)
        expect(atRail(thermistorRawOf(32767))).toBe(true)
        expect(thermistorRawOf(32767) > 65400).toBe(true)
        expect(thermistorRawOf(-2)).toBe(0)
        expect(atRail(thermistorRawOf(-2))).toBe(true)
    })

    test("one read: start, wait for the conversion, check the config, read the result", async () => {
        const board = new FakeBoard()
        board.adcs[1].codes[2] = -5
        board.adcs[1].codes[3] = 12345
        const adc = await startADS1115({ address: 0x49, client: board.bus })
        expect(await adc.read(3)).toBe(12345)
        expect(await adc.read(2)).toBe(-5)
    })

    test("16 readings come back through the mux in order: control sensors in raw[0..7], protection in raw[8..15]", async () => {
        const { board, port } = await startOnFake()
        // a distinct temperature on every input: 20 C + 0.5 C per (chip, input)
        const want: number[] = []
        for (let chip = 0; chip < 4; chip++)
            for (let n = 0; n < 4; n++) {
                const c = codeOfThermistorRaw(rawOf(20 + 0.5 * (chip * 4 + n)))
                board.adcs[chip].codes[n] = c
                want[slotOf(chip, n)] = thermistorRawOf(c)
            }
        const raw: number[] = []
        const t0 = board.bus.log.length
        expect(await port.readTemperatures(raw)).toBe(true)
        expect(raw.length).toBe(16)
        for (let s = 0; s < 16; s++) expect(raw[s]).toBe(want[s])
        // chip 0x48 holds pad 0's control sensor, 0x4B its protection sensor
        expect(Math.abs(celsiusOf(raw[0]) - 20) < 0.01).toBe(true)
        expect(Math.abs(celsiusOf(raw[8]) - (20 + 0.5 * 12)) < 0.01).toBe(true)
        // pad 4: control on 0x49 input 0, protection on 0x4A input 0
        expect(Math.abs(celsiusOf(raw[4]) - 22) < 0.01).toBe(true)
        expect(Math.abs(celsiusOf(raw[12]) - 24) < 0.01).toBe(true)
        for (let chip = 0; chip < 4; chip++) expect(board.adcs[chip].started.join()).toBe("0,1,2,3")
        // the four chips convert each input together: the first four transfers start input 0 on each
        const log = board.bus.log
        for (let chip = 0; chip < 4; chip++) {
            expect(log[t0 + chip].addr).toBe(0x48 + chip)
            expect(log[t0 + chip].written.length).toBe(3)
        }
        let bytes = 0
        // a read is address + pointer, a repeated start, address + data
        for (let i = t0; i < log.length; i++)
            bytes += 1 + log[i].written.length + (log[i].numRead > 0 ? 1 + log[i].numRead : 0)
        console.log(`I2C bytes a 16-sensor sample: ${bytes} in ${log.length - t0} transfers`)
        // no pad has both its sensors on one chip
        for (let chip = 0; chip < 4; chip++)
            for (let a = 0; a < 4; a++)
                for (let b = 0; b < 4; b++)
                    expect(slotOf(chip, a) % 8 === slotOf(chip, b) % 8 && a !== b).toBe(false)
    })

    test("the board's wiring agrees with the core's sensor map", () => {
        const mine: number[] = []
        for (let chip = 0; chip < 4; chip++) {
            expect(ADC_ADDRESSES[chip]).toBe(CORE_ADC_ADDRESSES[chip])
            for (let n = 0; n < 4; n++) {
                expect(chipOfSensor(slotOf(chip, n))).toBe(chip)
                mine.push(slotOf(chip, n))
            }
        }
        // every one of the 16 sensors is read exactly once
        for (let s = 0; s < 16; s++) expect(mine.indexOf(s) >= 0).toBe(true)
    })

    test("an ADC that NAKs is a fault that stops heat; the read returns false", async () => {
        const { board, port } = await startOnFake()
        let reported = 0
        port.onFault((fault, msg) => {
            reported++
        })
        await port.submit(frameOf([0, 0, 0, 0, 0, 0, 0, 0], 0xff, true))
        expect(board.heat.value).toBe(1)
        expect(board.pca.duty(8)).toBe(4096)
        board.adcs[3].nak = true
        const raw: number[] = []
        expect(await port.readTemperatures(raw)).toBe(false)
        expect(port.fault).toBe(PortFault.SensorRead)
        expect(board.heat.value).toBe(0)
        for (let c = 8; c < 16; c++) expect(board.pca.duty(c)).toBe(0)
        expect(reported).toBe(1)
        // heat stays off in later frames, even with the chip back, until the fault is cleared
        board.adcs[3].nak = false
        expect(await port.readTemperatures(raw)).toBe(true)
        await port.submit(frameOf([0, 0, 0, 0, 0, 0, 0, 0], 0xff, true))
        expect(board.heat.value).toBe(0)
        expect(board.pca.duty(8)).toBe(0)
        port.clearFault()
        await port.submit(frameOf([0, 0, 0, 0, 0, 0, 0, 0], 0xff, true))
        expect(board.heat.value).toBe(1)
        expect(reported).toBe(1)
    })

    test("an ADC that returns garbage or never finishes converting is a fault", async () => {
        const { board, port } = await startOnFake()
        const raw: number[] = []
        board.adcs[0].garbage = true
        expect(await port.readTemperatures(raw)).toBe(false)
        expect(port.fault).toBe(PortFault.SensorRead)
        expect(port.faultMessage.indexOf("ADS1115 at 72") >= 0).toBe(true)
        board.adcs[0].garbage = false
        port.clearFault()
        board.adcs[2].stuck = true
        expect(await port.readTemperatures(raw)).toBe(false)
        expect(port.faultMessage.indexOf("timed out") >= 0).toBe(true)
        expect(board.heat.value).toBe(0)
    })
})
