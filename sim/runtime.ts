/*
 * The Jacdac bus of the simulator: a websocket to the DeviceScript devtools server on loopback
 * (`devs devtools` listens on ws://127.0.0.1:8081), knowing the project's custom services.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { WebSocket } from "ws"
import { JDBus, createWebSocketBus, loadServiceSpecifications } from "jacdac-ts"

/** The devtools bus: loopback only. */
export const DEVTOOLS_URL = "ws://127.0.0.1:8081/"

/** Loads the custom service specs that `devs build` writes to .devicescript/services.json. */
export function loadProjectServices(root: string) {
    const file = join(root, ".devicescript", "services.json")
    let specs: jdspec.ServiceSpec[]
    try {
        specs = JSON.parse(readFileSync(file, "utf8"))
    } catch (e) {
        throw new Error(`cannot read ${file} (run \`npx devicescript build\` first): ${e}`)
    }
    const { errors } = loadServiceSpecifications(specs)
    if (errors.length)
        throw new Error(`bad service specs in ${file}: ${errors.map(e => e.message).join("; ")}`)
}

/**
 * A bus connected to the devtools server (node has no WebSocket of its own before v22). Load
 * the project's services first.
 */
export function createDevtoolsBus(): JDBus {
    if (typeof (globalThis as any).WebSocket === "undefined") (globalThis as any).WebSocket = WebSocket
    return createWebSocketBus({ url: DEVTOOLS_URL })
}
