import * as ds from "@devicescript/core"
import { DriverError, I2CDriver, I2CDriverOptions } from "@devicescript/drivers"

/** The ADS1115's address with ADDR tied to GND; VDD, SDA and SCL give 0x49, 0x4A, 0x4B. */
export const ADS1115_ADDR = 0x48
/** Single-ended inputs of one ADS1115. */
export const ADS1115_INPUTS = 4

// registers (TI ADS1115 datasheet SBAS444, 9.6)
export const ADS1115_CONVERSION = 0x00
export const ADS1115_CONFIG = 0x01

// config fields
/** Write: start a single conversion. Read: 1 = idle (the conversion is done). */
export const CONFIG_OS = 0x8000
/** MUX = 100 + n: AINn against GND. */
export const CONFIG_MUX_AIN0 = 0x4000
/** PGA = 010: full scale +-2.048 V (the thermistor reference). */
export const CONFIG_PGA_2048 = 0x0400
/** MODE = 1: single shot, powered down between conversions. */
export const CONFIG_SINGLE = 0x0100
/** DR = 111: 860 samples a second. */
export const CONFIG_DR_860 = 0x00e0
/** COMP_QUE = 11: the comparator (and ALERT/RDY) off. */
export const CONFIG_COMP_OFF = 0x0003

/** Full scale of the PGA setting used, volts. */
export const ADS1115_FULL_SCALE_V = 2.048
/** A conversion at 860 SPS: 1 / 860 s = 1.163 ms, +10 % for the oscillator's tolerance. */
export const CONVERSION_US = 1280
/** The VM sleeps whole milliseconds: the first look at a conversion comes after this. */
export const CONVERSION_WAIT_MS = 2
/** Looks at an unfinished conversion before it counts as a fault (1 ms apart). */
const MAX_POLLS = 8

/** The config word that starts a single conversion of input n (0..3). */
export function configFor(input: number): number {
    return (
        CONFIG_OS |
        (CONFIG_MUX_AIN0 + (input << 12)) |
        CONFIG_PGA_2048 |
        CONFIG_SINGLE |
        CONFIG_DR_860 |
        CONFIG_COMP_OFF
    )
}

/** Options of `startADS1115`. */
export interface ADS1115Options extends I2CDriverOptions {
    /** I2C address, 0x48..0x4B (default 0x48). */
    address?: number
}

/**
 * TI ADS1115 4-input 16-bit ADC in single-shot mode, inputs against GND at +-2.048 V and
 * 860 SPS. A reading is `start(input)`, a wait of at least CONVERSION_US, then `finish(input)`,
 * so that several chips convert at once; `read(input)` does all three. `finish` reads the config
 * register back and checks that the chip converted the input asked for, so a chip that returns
 * garbage is a DriverError, not a temperature.
 */
export class ADS1115Driver extends I2CDriver {
    private readonly starts: Buffer[] = []

    constructor(options?: ADS1115Options) {
        const o = options || {}
        super(o.address !== undefined ? o.address : ADS1115_ADDR, o)
        for (let n = 0; n < ADS1115_INPUTS; n++) {
            const b = Buffer.alloc(3)
            const cfg = configFor(n)
            b[0] = ADS1115_CONFIG
            b[1] = cfg >> 8
            b[2] = cfg & 0xff
            this.starts.push(b)
        }
    }

    protected async initDriver() {
        await this.begin()
    }

    /**
     * Checks the chip: the config register must hold a valid idle word (a chip that was
     * converting when the firmware restarted finishes within 1.3 ms).
     * @throws I2CError the chip does not answer
     * @throws DriverError the chip reads back wrong
     */
    async begin() {
        let cfg = 0
        for (let i = 0; i < MAX_POLLS; i++) {
            cfg = await this.readConfig()
            if (cfg & CONFIG_OS) return
            await ds.sleep(1)
        }
        throw new DriverError(`ADS1115 at ${this.devAddr} reads config ${cfg}`)
    }

    /**
     * Starts a single conversion of input n (0..3).
     * @throws I2CError
     */
    async start(input: number) {
        await this.xfer(this.starts[input], 0)
    }

    /**
     * The signed 16-bit result of the conversion `start(input)` began (-32768..32767; one
     * count is 62.5 uV). Waits up to 8 ms more if it is not done.
     * @throws I2CError
     * @throws DriverError the config register does not read back as written, or the
     *   conversion never finishes
     */
    async finish(input: number): Promise<number> {
        const want = configFor(input)
        let cfg = 0
        for (let i = 0; i < MAX_POLLS; i++) {
            cfg = await this.readConfig()
            if ((cfg | CONFIG_OS) !== want)
                throw new DriverError(
                    `ADS1115 at ${this.devAddr} input ${input}: config reads ${cfg}, wrote ${want}`
                )
            if (cfg & CONFIG_OS) {
                const b = await this.readRegBuf(ADS1115_CONVERSION, 2)
                const v = (b[0] << 8) | b[1]
                return v >= 0x8000 ? v - 0x10000 : v
            }
            await ds.sleep(1)
        }
        throw new DriverError(`ADS1115 at ${this.devAddr} input ${input}: conversion timed out`)
    }

    /**
     * Converts input n and returns its signed 16-bit result.
     * @throws I2CError
     * @throws DriverError
     */
    async read(input: number): Promise<number> {
        await this.start(input)
        await ds.sleep(CONVERSION_WAIT_MS)
        return await this.finish(input)
    }

    private async readConfig(): Promise<number> {
        const b = await this.readRegBuf(ADS1115_CONFIG, 2)
        return (b[0] << 8) | b[1]
    }
}

/**
 * Starts an ADS1115 16-bit ADC (single shot, +-2.048 V, 860 SPS).
 * @devsPart TI ADS1115
 * @see {@link https://www.ti.com/lit/ds/symlink/ads1115.pdf | Datasheet}
 * @throws DriverError the chip is missing or reads back wrong
 */
export async function startADS1115(options?: ADS1115Options): Promise<ADS1115Driver> {
    const driver = new ADS1115Driver(options)
    // I2CDriver.init() skips initDriver in the simulator: begin() always runs
    try {
        await driver.begin()
    } catch (e: any) {
        if (e instanceof DriverError) throw e
        throw new DriverError("I2C device not found or malfunctioning: " + e.message)
    }
    return driver
}
