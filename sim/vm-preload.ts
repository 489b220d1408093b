/*
 * Loaded with `node --require` into the DeviceScript CLI's `devs run` so that the VM joins the
 * hub's bus instead of the devtools one. `devs run` opens its Jacdac transport with the global
 * WebSocket when there is one (it only polyfills it when missing) and a fixed URL,
 * ws://127.0.0.1:8081; this global WebSocket sends that one URL to the hub's /bus (the
 * FOOT_HUB_BUS environment variable) and leaves every other URL alone. The VM then is a loopback
 * client without an Origin, as the simulator is, and no devtools port is opened. It also ends
 * the VM when the launcher that started it is gone.
 */
import { WebSocket as NodeWebSocket } from "ws"

/** The bus URL `devs run` hard-codes (the devtools bus). */
const DEVTOOLS_BUS = /^ws:\/\/127\.0\.0\.1:8081\/?$/

const hubBus = process.env.FOOT_HUB_BUS
if (!hubBus || !/^ws:\/\/127\.0\.0\.1:\d+\/bus$/.test(hubBus)) {
    console.error("vm-preload: FOOT_HUB_BUS must be the hub's bus, ws://127.0.0.1:PORT/bus")
    process.exit(2)
}

class HubWebSocket extends NodeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
        super(DEVTOOLS_BUS.test(String(url)) ? hubBus : url, protocols)
    }
}

;(globalThis as any).WebSocket = HubWebSocket

// The VM belongs to the launcher that started it: when the launcher is gone (killed with
// SIGKILL, which leaves it no time to stop its children), the VM ends too instead of running on
// as an orphan. process.ppid changes when the parent dies (the child is re-parented).
const launcher = process.ppid
setInterval(() => {
    if (process.ppid !== launcher) process.exit(3)
}, 500).unref()
