import * as ds from "@devicescript/core"
import { DriverError, I2CDriver, I2CDriverOptions } from "@devicescript/drivers"

/** The PCA9685's default I2C address (A5..A0 all low). */
export const PCA9685_ADDR = 0x40
/** Channels of one PCA9685. */
export const PCA9685_CHANNELS = 16

// registers (NXP PCA9685 datasheet rev. 4, table 4)
export const PCA9685_MODE1 = 0x00
export const PCA9685_MODE2 = 0x01
/** LEDn_ON_L of channel 0; channel n's four registers (ON_L, ON_H, OFF_L, OFF_H) start at 0x06 + 4 n. */
export const PCA9685_LED0 = 0x06
export const PCA9685_ALL_LED = 0xfa
export const PCA9685_PRE_SCALE = 0xfe

// MODE1 bits
export const MODE1_RESTART = 0x80
export const MODE1_AI = 0x20
export const MODE1_SLEEP = 0x10
// MODE2 bits: totem-pole outputs; OUTNE = 00: LEDn = 0 while /OE is high
export const MODE2_OUTDRV = 0x04
/** The full-on / full-off bit in LEDn_ON_H / LEDn_OFF_H. */
export const LED_FULL = 0x10

/** The internal oscillator, Hz. */
const OSC_HZ = 25000000
/** The oscillator needs 500 us after SLEEP clears (datasheet 7.3.1); the VM sleeps whole ms. */
const WAKE_MS = 1

/** A channel's register word: full off. */
export const WORD_OFF = LED_FULL << 24
/** A channel's register word: full on. */
export const WORD_ON = LED_FULL << 8

/** The PRE_SCALE value for a PWM frequency: round(25 MHz / (4096 f)) - 1, within 3..255. */
export function prescaleFor(hz: number): number {
    const p = Math.round(OSC_HZ / (4096 * hz)) - 1
    return p < 3 ? 3 : p > 255 ? 255 : p
}

/** The PWM frequency a PRE_SCALE value gives, Hz. */
export function frequencyOf(prescale: number): number {
    return OSC_HZ / (4096 * (prescale + 1))
}

/**
 * A channel's four registers as one word, ON_L in the low byte: level 0 is full off, 4095
 * full on, anything between turns on at `phase` (0..4095) and off `duty` counts later (the
 * counter wraps, so off may come before on).
 */
export function pwmWord(duty: number, phase: number): number {
    if (duty <= 0) return WORD_OFF
    if (duty >= 4095) return WORD_ON
    const on = phase & 0xfff
    const off = (on + duty) & 0xfff
    return on | (off << 16)
}

/** Options of `startPCA9685`. */
export interface PCA9685Options extends I2CDriverOptions {
    /** I2C address (default 0x40). */
    address?: number
    /** PWM frequency, Hz (24..1526; default 1526, the fastest, see docs/esp32.md). */
    frequencyHz?: number
}

/**
 * NXP PCA9685 16-channel 12-bit PWM driver. It keeps a copy of every channel's four registers
 * and `update` writes only the channels that changed, each run of neighbours in one
 * auto-increment transfer. `begin` (boot and restart) leaves every channel full off; `sleep`
 * stops the oscillator (every output off) and `wake` starts it again with every channel off.
 */
export class PCA9685Driver extends I2CDriver {
    /** The PRE_SCALE value in use. */
    readonly prescale: number
    /** Each channel's register word as last written (WORD_OFF after begin). */
    readonly words: number[] = []
    private readonly wanted: number[] = []
    // one preallocated transfer buffer per run length: no allocation per frame
    private readonly bufs: Buffer[] = []
    /** True between `sleep` and `wake`. */
    asleep = true
    // update and writeAllOff fill shared buffers across an await: one at a time (the frame
    // loop, the sampler's fault path and a stop may run in different fibers)
    private busy = false

    constructor(options?: PCA9685Options) {
        const o = options || {}
        super(o.address !== undefined ? o.address : PCA9685_ADDR, o)
        this.prescale = prescaleFor(o.frequencyHz !== undefined ? o.frequencyHz : 1526)
        for (let c = 0; c < PCA9685_CHANNELS; c++) {
            this.words.push(WORD_OFF)
            this.wanted.push(WORD_OFF)
        }
        for (let n = 0; n <= PCA9685_CHANNELS; n++) this.bufs.push(Buffer.alloc(1 + 4 * n))
    }

    protected async initDriver() {
        await this.begin()
    }

    /**
     * Puts the chip in a known state whatever it held before (a firmware restart does not reset
     * it): oscillator stopped, every channel full off (a pending RESTART is thereby dropped: no
     * output comes back on), the frequency set, totem-pole outputs that read 0 while /OE is high,
     * auto-increment on, oscillator started. Reads MODE1 and PRE_SCALE back.
     * @throws I2CError the chip does not answer
     * @throws DriverError the chip reads back wrong (not a PCA9685, or a broken bus)
     */
    async begin() {
        await this.writeReg(PCA9685_MODE1, MODE1_SLEEP | MODE1_AI)
        await this.writeReg(PCA9685_PRE_SCALE, this.prescale)
        await this.writeAllOff()
        await this.writeReg(PCA9685_MODE2, MODE2_OUTDRV)
        await this.writeReg(PCA9685_MODE1, MODE1_AI)
        await ds.sleep(WAKE_MS)
        this.asleep = false
        const mode1 = await this.readReg(PCA9685_MODE1)
        const pre = await this.readReg(PCA9685_PRE_SCALE)
        // RESTART may read 1 (it only clears when written); the rest must be what we wrote
        let ok = false
        if ((mode1 & ~MODE1_RESTART) === MODE1_AI) ok = pre === this.prescale
        if (!ok)
            throw new DriverError(`PCA9685 at ${this.devAddr} reads back MODE1 ${mode1}, PRE_SCALE ${pre}`)
        for (let c = 0; c < PCA9685_CHANNELS; c++) this.words[c] = this.wanted[c] = WORD_OFF
    }

    /** Every channel full off in one write (ALL_LED_OFF_H's full-off bit); the copy follows. */
    async writeAllOff() {
        await this.acquire()
        try {
            const b = this.bufs[1]
            b[0] = PCA9685_ALL_LED
            b[1] = 0
            b[2] = 0
            b[3] = 0
            b[4] = LED_FULL
            await this.xfer(b, 0)
            for (let c = 0; c < PCA9685_CHANNELS; c++) this.words[c] = WORD_OFF
        } finally {
            this.busy = false
        }
    }

    /** Sets channel c's wanted register word (see pwmWord, WORD_ON, WORD_OFF); `update` writes it. */
    set(c: number, word: number) {
        this.wanted[c] = word
    }

    /**
     * Writes every channel whose wanted word differs from the chip's, a run of neighbouring
     * channels per transfer (a gap of one unchanged channel costs 4 bytes, a new transfer 2: runs
     * are never joined across a gap). Returns the transfers made.
     * @throws I2CError
     */
    async update(): Promise<number> {
        await this.acquire()
        let runs = 0
        try {
            let c = 0
            while (c < PCA9685_CHANNELS) {
                if (this.wanted[c] === this.words[c]) {
                    c++
                    continue
                }
                let end = c + 1
                while (end < PCA9685_CHANNELS) {
                    if (this.wanted[end] === this.words[end]) break
                    end++
                }
                const b = this.bufs[end - c]
                b[0] = PCA9685_LED0 + 4 * c
                for (let i = c; i < end; i++) {
                    const w = this.wanted[i]
                    const o = 1 + 4 * (i - c)
                    b[o] = w & 0xff
                    b[o + 1] = (w >> 8) & 0xff
                    b[o + 2] = (w >> 16) & 0xff
                    b[o + 3] = (w >> 24) & 0xff
                }
                await this.xfer(b, 0)
                for (let i = c; i < end; i++) this.words[i] = this.wanted[i]
                runs++
                c = end
            }
        } finally {
            this.busy = false
        }
        return runs
    }

    /**
     * Stops the oscillator: every output off, the channel registers kept (the chip then reads
     * RESTART = 1, which `wake` deliberately does not honour). The idle state between sessions;
     * `wake` starts it again.
     * @throws I2CError
     */
    async sleep() {
        await this.writeReg(PCA9685_MODE1, MODE1_SLEEP | MODE1_AI)
        this.asleep = true
    }

    /**
     * Starts the oscillator again with every channel off: the channels are cleared while it is
     * still asleep and RESTART is not written, so no channel comes back with its old value.
     * @throws I2CError
     */
    async wake() {
        await this.writeAllOff()
        for (let c = 0; c < PCA9685_CHANNELS; c++) this.wanted[c] = WORD_OFF
        await this.writeReg(PCA9685_MODE1, MODE1_AI)
        await ds.sleep(WAKE_MS)
        this.asleep = false
    }

    private async acquire() {
        while (this.busy) await ds.sleep(1)
        this.busy = true
    }
}

/**
 * Starts a PCA9685 16-channel PWM expander: every channel off, the PWM frequency set.
 * @devsPart NXP PCA9685
 * @see {@link https://www.nxp.com/docs/en/data-sheet/PCA9685.pdf | Datasheet}
 * @throws DriverError the chip is missing or reads back wrong
 */
export async function startPCA9685(options?: PCA9685Options): Promise<PCA9685Driver> {
    const driver = new PCA9685Driver(options)
    // I2CDriver.init() skips initDriver in the simulator; begin() always runs, so the register
    // fakes of the tests see the same writes as the chip
    try {
        await driver.begin()
    } catch (e: any) {
        if (e instanceof DriverError) throw e
        throw new DriverError("I2C device not found or malfunctioning: " + e.message)
    }
    return driver
}
