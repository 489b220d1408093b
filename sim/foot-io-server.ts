/*
 * The Foot IO service (services/foot-io.md) served from node with jacdac-ts, on top of SimBoard.
 */
import { JDRegisterServer, JDServiceServer, REPORT_RECEIVE } from "jacdac-ts"
import { SimBoard } from "./board"

/** Service class of Foot IO (services/foot-io.md). */
export const SRV_FOOT_IO = 0x1f7a51c3
/** Register codes of Foot IO. */
export const REG_FRAME = 0x80
export const REG_TEMPERATURES = 0x181
export const REG_CHANNELS = 0x182

/**
 * Serves a SimBoard as Foot IO: `frame` writes go to the board at the time `now()` says,
 * `temperatures` is refreshed from the board by `refresh`, `channels` is constant.
 */
export class FootIoSimServer extends JDServiceServer {
    readonly frame: JDRegisterServer<[Uint8Array]>
    readonly temperatures: JDRegisterServer<[Uint8Array]>
    readonly channels: JDRegisterServer<[number]>
    /** Reports of `temperatures` sent (streamed, or answering a read). */
    temperatureReports = 0

    constructor(
        readonly board: SimBoard,
        now: () => number
    ) {
        super(SRV_FOOT_IO)
        this.frame = this.addRegister<[Uint8Array]>(REG_FRAME, [new Uint8Array(0)])
        this.temperatures = this.addRegister<[Uint8Array]>(REG_TEMPERATURES, [board.temperatureBytes()])
        this.channels = this.addRegister<[number]>(REG_CHANNELS, [board.channels])
        if (!this.frame || !this.temperatures || !this.channels)
            throw new Error(
                "the Foot IO spec is not loaded (run `devs build` to make .devicescript/services.json)"
            )
        // a batch is a bytes register: take the raw payload, whatever jacdac-ts thinks of it
        this.frame.skipBoundaryCheck = true
        this.frame.on(REPORT_RECEIVE, () => board.receive(this.frame.data, now()))
        const report = this.temperatures.sendGetAsync.bind(this.temperatures)
        this.temperatures.sendGetAsync = () => {
            this.temperatureReports++
            return report()
        }
    }

    /** Copies the board's current thermistor readings into the `temperatures` register. */
    refresh() {
        this.temperatures.data = this.board.temperatureBytes()
    }

    /**
     * Sends the readings unprompted, as a streaming sensor does: the VM answers a register read
     * from its cache while the cached value is under 500 ms old, so without reports pushed at the
     * sampling rate the firmware would see a fresh reading only about twice a second.
     */
    stream() {
        this.refresh()
        this.temperatures.sendGetAsync()
    }
}
