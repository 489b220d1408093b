/*
 * Sends a named command to the firmware's control service (`massagerControl`, built with the
 * session in src/) over the bus with jacdac-ts: scenario files and the console use it. When the
 * spec is not loaded (no services/massager-control.md built into .devicescript/services.json) or
 * no device on the bus serves it, the answer says the control service is not available.
 */
import { JDBus, Packet, jdpack, serviceSpecifications } from "jacdac-ts"

/** The control service's name in its spec (`camel:` of services/*.md). */
export const CONTROL_SERVICE = "massagerControl"

/** What became of a command. */
export interface ControlResult {
    ok: boolean
    message: string
}

/** "setPattern", "set-pattern" and "set_pattern" all name the spec's `set_pattern`. */
export function commandKey(name: string): string {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/-/g, "_")
        .toLowerCase()
}

/** The control service's spec, if loaded. */
export function controlSpec(): jdspec.ServiceSpec | undefined {
    return serviceSpecifications().find(s => s.camelName === CONTROL_SERVICE)
}

/**
 * Sends command `name` with `args` (the spec's fields in order) to the first device serving the
 * control service, without an ack (the runtime never acks script servers: see the notes).
 */
export async function sendControlCommand(bus: JDBus, name: string, args: unknown[]): Promise<ControlResult> {
    const spec = controlSpec()
    if (!spec) return { ok: false, message: `control service not available (no ${CONTROL_SERVICE} spec)` }
    const service = bus.services({ serviceClass: spec.classIdentifier })[0]
    if (!service) return { ok: false, message: "control service not available (no device serves it)" }
    const key = commandKey(name)
    const pkt = spec.packets.find(p => p.kind === "command" && commandKey(p.name) === key)
    if (!pkt) {
        const names = spec.packets.filter(p => p.kind === "command").map(p => p.name)
        return { ok: false, message: `control service has no command ${name}; it has ${names.join(", ")}` }
    }
    let data: Uint8Array
    try {
        data = pkt.packFormat ? jdpack(pkt.packFormat, args as any) : new Uint8Array(0)
    } catch (e) {
        return {
            ok: false,
            message: `${name}: arguments do not fit ${pkt.packFormat}: ${(e as Error).message}`,
        }
    }
    await service.sendPacketAsync(Packet.from(pkt.identifier, data), false)
    return { ok: true, message: `sent ${pkt.name}(${args.map(a => JSON.stringify(a)).join(", ")})` }
}
