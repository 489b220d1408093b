import * as ds from "@devicescript/core"
import { I2C } from "@devicescript/i2c"
import { Frame } from "../../core/frame/frame"
import { HardwarePort } from "../port"
import { ADS1115Driver, ADS1115_INPUTS, CONVERSION_WAIT_MS, startADS1115 } from "./ads1115"
import { thermistorRawOf } from "./divider"
import { PCA9685Driver, WORD_OFF, WORD_ON, pwmWord, startPCA9685 } from "./pca9685"
import { ADC_ADDRESSES, PADS, SENSORS, slotOf } from "./sensor-map"

/** A digital output line (a GPIO pin in output mode, or a test's fake). */
export interface OutputLine {
    write(v: number): void
}

/** Why the port stopped heat. */
export enum PortFault {
    None = 0,
    /** A frame write to the PCA9685 failed (NAK or bus error): the heater gates' state is unknown. */
    PwmWrite = 1,
    /** A thermistor read failed (NAK, garbage, or a conversion that never finished). */
    SensorRead = 2,
}

/** With no frame for this long the port turns every output off until the next frame (the Foot IO board's 1 s rule). */
export const WATCHDOG_MS = 1000

/** Motor channel c turns on at c * MOTOR_STAGGER of the 4096-count PWM period, so the 8 motors' inrush does not coincide. */
export const MOTOR_STAGGER = 512

/** The 12-bit PWM duty for an 8-bit motor level: 255 gives 4095 (full on). */
export function dutyOf(level: number): number {
    return level * 16 + (level >> 4)
}

/** What the port needs of the safety supervisor (SafetySupervisor has both). */
export interface SafetyLink {
    /** True while a latched fault holds the master heater cut open. */
    masterCutOpen(): boolean
    /** Latches "firmware error": all heat cut until the user clears it. */
    firmwareError(tMs: number): void
}

/** What an Esp32Port drives. */
export interface Esp32PortParts {
    /** The PCA9685: channels 0-7 motors, 8-15 heater MOSFET gates, in frame channel order. */
    pwm: PCA9685Driver
    /** The four ADS1115, chips 0..3 of src/hw/esp32/sensor-map.ts. */
    adcs: ADS1115Driver[]
    /** The PCA9685's /OE: 1 disables every output (pulled up on the board). */
    outputEnable: OutputLine
    /** The master heater cut: 1 powers the heaters, 0 cuts them (pulled down on the board). */
    heaterEnable: OutputLine
}

/**
 * The board's hardware port: frames go to the PCA9685 (only the channels that changed), the 16
 * thermistors are read through the four ADS1115, the master heater cut and the PCA9685's
 * output enable are GPIO lines that need no bus.
 *
 * Faults: an I2C error on a frame write or a read (a NAK, a chip that reads back garbage, a
 * conversion that never finishes) opens the master heater cut at
 * once (a GPIO write), turns the heater gates off where the bus still answers, sets `fault`,
 * `faultMessage` and calls every `onFault` handler once per fault. Heat stays off (heater power
 * and gates forced off in every frame) until `clearFault`; motors keep running. A failed read
 * also returns false, so the supervisor gets no sample and turns its pads off by itself.
 * `link(supervisor)` joins the port to the supervisor: a port fault latches its "firmware error"
 * (stored, reported and cleared like every heat fault), every frame opens the hardware cut (/OE
 * high as well: every output off, motors included) while the supervisor's master cut is open,
 * and closes it (clearing the port's fault) once the user has cleared the faults. The watchdog:
 * with no frame for WATCHDOG_MS (the frame loop hung) /OE goes high and heater power off until
 * the next frame.
 */
export class Esp32Port implements HardwarePort {
    /** Thermistors read by readTemperatures: raw[0..7] control, raw[8..15] protection. */
    readonly sensorCount = SENSORS
    /** The port's fault (PortFault), None when heat may flow. */
    fault = PortFault.None
    /** The message of the error behind `fault`. */
    faultMessage = ""
    /** True while the hardware cut holds /OE high (a latched fault, see `link`). */
    isCut = false
    /** True while the watchdog holds the outputs off (no frame for WATCHDOG_MS). */
    starved = false
    private heaterOn = false
    // -1 until the first frame: the watchdog starts with the frame loop
    private lastFrameMs = -1
    private readonly handlers: ((fault: number, message: string) => void)[] = []
    private safety: SafetyLink = null

    constructor(readonly parts: Esp32PortParts) {}

    /** Calls `h(fault, message)` whenever the port stops heat for a new fault. */
    onFault(h: (fault: number, message: string) => void) {
        this.handlers.push(h)
    }

    /**
     * Joins the port to the safety supervisor (see the class comment). Call once, before the
     * frame loop runs.
     */
    link(safety: SafetyLink) {
        this.safety = safety
    }

    /** Lets heat flow again after a fault (when the user clears faults; `link` does it itself). */
    clearFault() {
        this.fault = PortFault.None
        this.faultMessage = ""
    }

    async submit(f: Frame) {
        this.lastFrameMs = ds.millis()
        const oe = this.parts.outputEnable
        // the frame reaches the port after every guard and the supervisor: its master cut is current
        if (this.safety) {
            if (this.safety.masterCutOpen()) {
                if (!this.isCut) {
                    // the cut: /OE high (every PCA9685 output off at once) and heater power off,
                    // GPIO writes only, held while the master cut is open
                    this.setHeaterPower(false)
                    oe.write(1)
                    this.isCut = true
                }
            } else if (this.isCut) {
                this.isCut = false
                if (!this.starved) oe.write(0)
                this.clearFault()
            }
        }
        let heatOk = false
        if (f.heaterPower) if (this.fault === PortFault.None) heatOk = !this.isCut
        // heat going off: the GPIO cut first, before any bus traffic
        if (!heatOk) this.setHeaterPower(false)
        const pwm = this.parts.pwm
        for (let c = 0; c < PADS; c++) {
            const level = f.levels[c]
            pwm.set(c, level <= 0 ? WORD_OFF : pwmWord(dutyOf(level), c * MOTOR_STAGGER))
            pwm.set(PADS + c, heatOk && (f.heaters >> c) & 1 ? WORD_ON : WORD_OFF)
        }
        try {
            await pwm.update()
        } catch (e: any) {
            await this.raise(PortFault.PwmWrite, e)
            return
        }
        if (this.starved) {
            this.starved = false
            if (!this.isCut) oe.write(0)
        }
        if (heatOk) this.setHeaterPower(true)
    }

    async allOff() {
        this.setHeaterPower(false)
        try {
            await this.parts.pwm.writeAllOff()
        } catch (e: any) {
            await this.raise(PortFault.PwmWrite, e)
        }
    }

    async readTemperatures(raw: number[]): Promise<boolean> {
        const adcs = this.parts.adcs
        try {
            // the four chips convert the same input at once: 4 rounds of ~1.2 ms per sample
            for (let n = 0; n < ADS1115_INPUTS; n++) {
                for (let chip = 0; chip < adcs.length; chip++) await adcs[chip].start(n)
                await ds.sleep(CONVERSION_WAIT_MS)
                for (let chip = 0; chip < adcs.length; chip++)
                    raw[slotOf(chip, n)] = thermistorRawOf(await adcs[chip].finish(n))
            }
        } catch (e: any) {
            await this.raise(PortFault.SensorRead, e)
            return false
        }
        return true
    }

    /**
     * The watchdog: with no frame for WATCHDOG_MS (the frame loop hung while other fibers run)
     * /OE goes high and heater power off, GPIO writes only, until the next frame. startEsp32Port
     * calls it every 250 ms.
     */
    watch(nowMs: number) {
        if (this.starved) return
        if (this.lastFrameMs < 0) return
        if (nowMs - this.lastFrameMs <= WATCHDOG_MS) return
        this.starved = true
        this.setHeaterPower(false)
        this.parts.outputEnable.write(1)
    }

    private setHeaterPower(on: boolean) {
        if (on === this.heaterOn) return
        this.heaterOn = on
        this.parts.heaterEnable.write(on ? 1 : 0)
    }

    private async raise(fault: number, e: any) {
        this.setHeaterPower(false)
        const isNew = this.fault === PortFault.None
        if (isNew) {
            this.fault = fault
            let m = "" + e
            if (e) if (e.message) m = e.message
            this.faultMessage = m
        }
        // heater gates off where the bus still answers (heater power is already cut)
        const pwm = this.parts.pwm
        for (let c = 0; c < PADS; c++) pwm.set(PADS + c, WORD_OFF)
        try {
            await pwm.update()
        } catch (e2: any) {
            // the bus is down: the GPIO cut above is what holds heat off
        }
        if (!isNew) return
        if (this.safety) this.safety.firmwareError(ds.millis())
        for (let i = 0; i < this.handlers.length; i++) this.handlers[i](fault, this.faultMessage)
    }
}

/** Options of `startEsp32Port`. */
export interface Esp32PortOptions {
    /** The PCA9685's /OE pin (board pin PWM_OE). */
    outputEnable: OutputLine
    /** The master heater cut pin (board pin HEAT_EN). */
    heaterEnable: OutputLine
    /** The I2C client (default the board's bus; tests pass a register-level fake). */
    client?: I2C
    /** Run the 1 s watchdog (default true). */
    watchdog?: boolean
}

/**
 * Starts the board's power stage and sensors: heater power off and /OE high first (the state the
 * pull-ups hold at reset), the PCA9685 set up with every channel off, the four ADS1115 checked,
 * then /OE low. The pins must already be outputs (selectPort sets their modes).
 * @throws DriverError a chip is missing or reads back wrong: every output stays off
 */
export async function startEsp32Port(options: Esp32PortOptions): Promise<Esp32Port> {
    options.heaterEnable.write(0)
    options.outputEnable.write(1)
    const client = options.client
    const pwm = await startPCA9685({ client })
    const adcs: ADS1115Driver[] = []
    for (let i = 0; i < ADC_ADDRESSES.length; i++)
        adcs.push(await startADS1115({ address: ADC_ADDRESSES[i], client }))
    const port = new Esp32Port({
        pwm,
        adcs,
        outputEnable: options.outputEnable,
        heaterEnable: options.heaterEnable,
    })
    // every channel is off: /OE low (heater power stays off until a frame heats)
    options.outputEnable.write(0)
    if (options.watchdog !== false)
        setInterval(() => {
            port.watch(ds.millis())
        }, 250)
    return port
}
