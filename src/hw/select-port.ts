import * as ds from "@devicescript/core"
import "@devicescript/gpio"
import { pins } from "@dsboard/foot_massager_v1"
import { startEsp32Port } from "./esp32/esp32-port"
import { FootIoPort } from "./foot-io-port"
import { HardwarePort } from "./port"

/**
 * Picks the hardware port at boot. In the simulator: a FootIoPort, frames to the node
 * simulator's Foot IO board over the bus. On the board (boards/foot_massager_v1.board.json):
 * an Esp32Port driving the PCA9685 and reading the four ADS1115 directly; no Foot IO role is
 * created, so no bus service exposes the outputs. Call it once, before the frame loop:
 *
 *     const port = await selectPort(scheduler.channels)
 *
 * On the board, the master heater cut (HEAT_EN) is driven low and the PCA9685's /OE high before
 * any bus traffic (the states their pull resistors hold through reset), and /OE goes low only
 * once every channel is off. Then join the board's port to the supervisor (see docs/esp32.md):
 *
 *     if (port instanceof Esp32Port) port.link(supervisor)
 * @throws DriverError on the board, a chip is missing or reads back wrong: the pins stay as set
 *   (every output off)
 */
export async function selectPort(channels: number): Promise<HardwarePort> {
    if (ds.isSimulator()) return new FootIoPort(new ds.FootIo(), channels)
    pins.HEAT_EN.setMode(ds.GPIOMode.OutputLow)
    pins.PWM_OE.setMode(ds.GPIOMode.OutputHigh)
    return await startEsp32Port({ outputEnable: pins.PWM_OE, heaterEnable: pins.HEAT_EN })
}
