import * as ds from "@devicescript/core"
import { filledArray } from "./core/util/numbers"
import { HeatManager } from "./core/thermal/heat-manager"
import { HardwarePort } from "./hw/port"

/** Thermistor samples a second: the supervisor's windows assume 10. */
export const SAMPLE_PERIOD_MS = 100

/**
 * Reads both thermistors of every pad through the hardware port ten times a second (control
 * sensors first, then protection sensors: HardwarePort.readTemperatures) and hands them to heat
 * (the supervisor gets the protection sensor). A board that stops answering stops the samples,
 * and the supervisor turns its pads off after 2 s.
 */
export class HeatSampler {
    private readonly raw: number[]
    private running = false

    constructor(
        readonly port: HardwarePort,
        readonly heat: HeatManager
    ) {
        this.raw = filledArray(2 * heat.controllers.length, 0)
    }

    /** Samples until `stop`. */
    async run() {
        this.running = true
        while (this.running) {
            const started = ds.millis()
            if (await this.port.readTemperatures(this.raw)) {
                const t = ds.millis()
                const pads = this.heat.controllers.length
                for (let p = 0; p < pads; p++) this.heat.onSample(p, this.raw[p], this.raw[pads + p], t)
            }
            const wait = started + SAMPLE_PERIOD_MS - ds.millis()
            await ds.sleep(wait > 0 ? wait : 0)
        }
    }

    stop() {
        this.running = false
    }
}
