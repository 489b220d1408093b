/*
 * What the hub lets in, as pure checks: the Host header (against DNS rebinding), the Origin of a
 * WebSocket or control request (only the hub's own page), the peer address (loopback only), and
 * the frames on the bus (binary Jacdac frames of at most 252 bytes).
 */

/**
 * The largest Jacdac frame: a 12-byte frame header and at most 240 bytes of packets (a 4-byte
 * packet header and 236 bytes of payload). jacdac-ts refuses longer ones (`Packet.fromBinary`,
 * JD_SERIAL_MAX_PAYLOAD_SIZE + JD_SERIAL_HEADER_SIZE = 252).
 */
export const MAX_FRAME_BYTES = 252

/** A frame header (12 bytes) and one packet header (4 bytes). */
export const MIN_FRAME_BYTES = 16

/** True for a peer address on the loopback interface (IPv4 127/8, IPv6 ::1, v4-mapped). */
export function isLoopbackAddress(address: string | undefined): boolean {
    if (!address) return false
    const a = address.startsWith("::ffff:") ? address.slice(7) : address
    return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a)
}

/** The origins of the hub's own page on `port`. */
export function ownOrigins(port: number): string[] {
    return [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
}

/**
 * Why a Host header is refused, or null when it names the hub itself (127.0.0.1, localhost or
 * [::1] with the hub's port). Any other name could be a DNS-rebinding page's.
 */
export function hostRefusal(host: string | undefined, port: number): string | null {
    if (!host) return "no Host header"
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]
    return allowed.includes(host.toLowerCase()) ? null : `Host ${JSON.stringify(host)} is not the hub's`
}

/**
 * Why a request's Origin is refused, or null when it may go on: exactly the hub's own origin, or
 * no Origin at all from a loopback peer (node clients: the simulator, the VM, tests). Browsers
 * always send an Origin on WebSocket and cross-site POST requests.
 */
export function originRefusal(
    origin: string | undefined,
    peer: string | undefined,
    port: number
): string | null {
    if (!isLoopbackAddress(peer)) return `peer ${peer} is not on loopback`
    if (origin === undefined) return null
    return ownOrigins(port).includes(origin) ? null : `Origin ${JSON.stringify(origin)} is not the hub's`
}

/**
 * Why a bus message is refused, or null for a well-formed Jacdac frame: binary, 16 to 252 bytes,
 * and as long as its header says (12 + the size byte).
 */
export function frameRefusal(data: Uint8Array, isBinary: boolean): string | null {
    if (!isBinary) return "text frames are not Jacdac frames"
    if (data.length > MAX_FRAME_BYTES) return `frame of ${data.length} bytes, over ${MAX_FRAME_BYTES}`
    if (data.length < MIN_FRAME_BYTES) return `frame of ${data.length} bytes, under ${MIN_FRAME_BYTES}`
    if (data[2] + 12 !== data.length) return `frame header says ${data[2] + 12} bytes, got ${data.length}`
    return null
}
