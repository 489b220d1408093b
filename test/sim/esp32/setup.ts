import { Frame } from "../../../src/core/frame/frame"
import { Esp32Port, startEsp32Port } from "../../../src/hw/esp32/esp32-port"
import { FakeBoard } from "./fake-bus"

/** A fake board and the port started on it (no watchdog timer: tests call watch). */
export async function startOnFake(board?: FakeBoard): Promise<{ board: FakeBoard; port: Esp32Port }> {
    const b = board ? board : new FakeBoard()
    const port = await startEsp32Port({
        outputEnable: b.oe,
        heaterEnable: b.heat,
        client: b.bus,
        watchdog: false,
    })
    return { board: b, port }
}

/** A frame of 8 channels with these motor levels, heater bits and master power. */
export function frameOf(levels: number[], heaters: number, power: boolean): Frame {
    const f = new Frame(8)
    for (let c = 0; c < 8; c++) f.levels[c] = levels[c]
    f.heaters = heaters
    f.heaterPower = power
    return f
}
