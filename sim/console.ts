/*
 * The terminal of `npm start`: single keys press the device's buttons and inject faults, and one
 * line at the bottom shows the board (levels, heaters, pad temperatures), refreshed in place.
 * Without a terminal (a pipe, a test) the keys still work, one character each, and the status
 * is printed as a line every few seconds instead.
 */
import { PAD_FAULTS } from "./board"
import { LONG_PRESS_MS, SHORT_PRESS_MS } from "./panel"
import { formatStatus } from "./sim-node"
import type { StackActions, StackStatus } from "./stack"

/** Key -> what it does, for --help and `?`. */
export const KEYS: [string, string][] = [
    ["p / P", "power button: short / long press"],
    ["m / M", "mode button: short / long press"],
    ["u / U", "up button: short / long press"],
    ["d / D", "down button: short / long press"],
    ["h / H", "heat button: short / long press"],
    ["0-7", "select the pad that f / F act on"],
    ["f / F", `next / previous fault on the selected pad (${PAD_FAULTS.join(", ")})`],
    ["c", "repair every pad"],
    ["t", "hot room (40 C) on / off"],
    ["b", "bus drop: the bus carries nothing for 2 s"],
    ["B", "brownout: the power stage dark for 0.5 s, the VM reset"],
    ["r", "restart the VM"],
    ["?", "these keys"],
    ["q / Ctrl-C", "stop everything"],
]

/** The help text of the keys. */
export function keysHelp(): string {
    return KEYS.map(([k, what]) => `  ${k.padEnd(12)}${what}`).join("\n")
}

const PRESS_KEYS: Record<string, [string, number]> = {
    p: ["buttonPower", SHORT_PRESS_MS],
    P: ["buttonPower", LONG_PRESS_MS],
    m: ["buttonMode", SHORT_PRESS_MS],
    M: ["buttonMode", LONG_PRESS_MS],
    u: ["buttonUp", SHORT_PRESS_MS],
    U: ["buttonUp", LONG_PRESS_MS],
    d: ["buttonDown", SHORT_PRESS_MS],
    D: ["buttonDown", LONG_PRESS_MS],
    h: ["buttonHeat", SHORT_PRESS_MS],
    H: ["buttonHeat", LONG_PRESS_MS],
}

/** The console over a running stack. */
export class SimConsole {
    private pad = 0
    private hot = false
    private statusShown = false
    private timer: NodeJS.Timeout = null
    private readonly tty: boolean

    /**
     * @param actions the stack
     * @param onQuit called on q or Ctrl-C
     * @param statusMs how often the status is refreshed (on a terminal) or printed (otherwise); 0: never
     */
    constructor(
        private readonly actions: StackActions,
        private readonly onQuit: () => void,
        private readonly statusMs: number
    ) {
        this.tty = !!process.stdout.isTTY && !!process.stdin.isTTY
    }

    /** Prints a log line above the status line. */
    log(line: string) {
        if (this.tty && this.statusShown) process.stdout.write("\r\u001b[2K")
        process.stdout.write(line + "\n")
        if (this.tty && this.statusShown) this.drawStatus()
    }

    /** Starts reading keys and showing the status. */
    start() {
        if (process.stdin.isTTY) process.stdin.setRawMode(true)
        process.stdin.setEncoding("utf8")
        process.stdin.on("data", (text: string) => {
            for (const key of text) this.key(key)
        })
        process.stdin.resume()
        if (this.statusMs > 0)
            this.timer = setInterval(() => {
                if (this.tty) {
                    this.statusShown = true
                    this.drawStatus()
                } else process.stdout.write(`status: ${this.statusText(this.actions.status())}\n`)
            }, this.statusMs)
    }

    /** Stops reading keys; leaves the terminal as it was. */
    stop() {
        clearInterval(this.timer)
        if (this.tty && this.statusShown) process.stdout.write("\n")
        this.statusShown = false
        if (process.stdin.isTTY) process.stdin.setRawMode(false)
        process.stdin.pause()
    }

    private statusText(s: StackStatus): string {
        return (
            formatStatus(s) +
            ` pad=${this.pad}` +
            (s.busDropped ? " BUS-DROPPED" : "") +
            (s.vmRunning ? "" : " VM-DOWN")
        )
    }

    private drawStatus() {
        const width = process.stdout.columns || 160
        const text = this.statusText(this.actions.status())
        process.stdout.write("\r\u001b[2K" + (text.length > width - 1 ? text.slice(0, width - 1) : text))
    }

    /** Does what `key` says (see KEYS). */
    key(key: string) {
        const a = this.actions
        const safely = (p: Promise<unknown> | void) => {
            if (p) p.catch(e => this.log(`console: ${(e as Error).message}`))
        }
        try {
            if (key === "\u0003" || key === "q") return this.onQuit()
            const press = PRESS_KEYS[key]
            if (press) {
                this.log(`console: ${press[0]} ${press[1] >= LONG_PRESS_MS ? "long" : "short"} press`)
                return safely(a.press(press[0], press[1]))
            }
            if (key >= "0" && key <= "7") {
                const pad = Number(key)
                if (pad >= a.status().channels) return this.log(`console: no pad ${pad}`)
                this.pad = pad
                return this.log(`console: pad ${pad} selected (f / F set its fault)`)
            }
            if (key === "f" || key === "F") {
                const now = a.status().faults[this.pad]
                const i = PAD_FAULTS.indexOf(now)
                const next = PAD_FAULTS[(i + (key === "f" ? 1 : PAD_FAULTS.length - 1)) % PAD_FAULTS.length]
                return a.setFault(this.pad, next)
            }
            if (key === "c") return a.clearFaults()
            if (key === "t") {
                this.hot = !this.hot
                return a.hotRoom(this.hot)
            }
            if (key === "b") return a.busDrop(2000)
            if (key === "B") return safely(a.brownout(500))
            if (key === "r") return safely(a.restartVm())
            if (key === "?") return this.log("keys:\n" + keysHelp())
        } catch (e) {
            this.log(`console: ${(e as Error).message}`)
        }
    }
}
