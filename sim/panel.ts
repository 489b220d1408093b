/*
 * The massager's front panel, simulated: five push buttons and the status light, served with
 * jacdac-ts so the firmware's button roles and its LED client bind to them over the bus.
 */
import { ButtonServer, LedServer, REFRESH } from "jacdac-ts"

/**
 * The board's buttons, in the order the simulator serves them. DeviceScript binds roles by service
 * type in alphabetical order of role name to the free services, so this order (alphabetical)
 * gives each firmware role the button of the same name.
 */
export const BUTTONS = ["buttonDown", "buttonHeat", "buttonMode", "buttonPower", "buttonUp"] as const

/** A button's name. */
export type ButtonName = (typeof BUTTONS)[number]

/** A short press, ms: long enough for any debounce, shorter than the 500 ms hold event. */
export const SHORT_PRESS_MS = 120

/** A long press, ms: past the firmware's long-press threshold and a few hold events. */
export const LONG_PRESS_MS = 2000

/** True when `name` is one of BUTTONS. */
export function isButtonName(name: string): name is ButtonName {
    return (BUTTONS as readonly string[]).includes(name)
}

/** The panel's servers and what tests and the console do with them. */
export class SimPanel {
    /** One button server per name, in BUTTONS order. */
    readonly buttons: ButtonServer[] = BUTTONS.map(name => new ButtonServer(name))
    /** The status light: one RGB pixel, driven by the firmware as a `ds.Led` client. */
    readonly led = new LedServer({ numPixels: 1, ledsPerPixel: 1 })
    /** Presses sent, for status lines. */
    presses = 0
    private readonly releaseAt: number[] = BUTTONS.map(() => 0)

    /** Every server, to serve from one simulated device. */
    servers() {
        return [...this.buttons, this.led]
    }

    private button(name: string): ButtonServer {
        if (!isButtonName(name)) throw new Error(`no button ${name}; buttons: ${BUTTONS.join(", ")}`)
        return this.buttons[BUTTONS.indexOf(name)]
    }

    /**
     * Presses `name` for `ms` and resolves once it is released. A press of a button already down
     * extends the press to whichever release is later.
     */
    async press(name: string, ms = SHORT_PRESS_MS): Promise<void> {
        if (!Number.isFinite(ms) || ms < 0 || ms > 60000)
            throw new Error(`press time ${ms} ms is not 0..60000`)
        const button = this.button(name)
        const i = BUTTONS.indexOf(name as ButtonName)
        const until = Date.now() + ms
        this.presses++
        if (this.releaseAt[i] === 0) await edge(button, true)
        this.releaseAt[i] = Math.max(this.releaseAt[i], until)
        while (Date.now() < this.releaseAt[i]) await sleep(this.releaseAt[i] - Date.now())
        if (this.releaseAt[i] !== 0) {
            this.releaseAt[i] = 0
            await edge(button, false)
        }
    }

    /** Holds `name` down for `ms` (a long press by default). */
    hold(name: string, ms = LONG_PRESS_MS): Promise<void> {
        return this.press(name, ms)
    }

    /** Names of the buttons down now. */
    down(): string[] {
        return BUTTONS.filter((_, i) => this.releaseAt[i] !== 0)
    }

    /** The light's colour as 0xRRGGBB (what the firmware wrote, before brightness). */
    ledColor(): number {
        const px = this.led.pixels.data
        if (!px || px.length < 3) return 0
        return (px[0] << 16) | (px[1] << 8) | px[2]
    }

    /** The light's brightness, 0..1. */
    ledBrightness(): number {
        const [b] = this.led.brightness.values()
        return b === undefined ? 0 : b
    }
}

/**
 * Moves a button down or up and sends its event at once, as a button module does on the edge:
 * jacdac-ts's ButtonServer only changes its reading and sends the event at the bus's next
 * refresh (every 50 ms), which would add 0-50 ms to every press.
 */
async function edge(button: ButtonServer, down: boolean) {
    if (down) await button.down()
    else await button.up()
    button.emit(REFRESH)
}

function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms))
}
