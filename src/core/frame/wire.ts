import { Frame } from "./frame"

/**
 * The frame batch on the wire, as the Foot IO service's `frame` register carries it
 * (services/foot-io.md). Portable: works on any indexable bytes (a DeviceScript Buffer, a node
 * Buffer, a Uint8Array or a number array).
 *
 *     u8  count          frames in this write (1..MAX_BATCH)
 *     u16 firstIndex     frame index of the first frame, little endian, modulo 65536
 *     count times:
 *       u8[channels]     vibration levels
 *       u16              heater bitmask, little endian
 *       u8               flags: bit 0 = master heater power
 *
 * The VM sends at most 50 packets a second in total (a token bucket in the runtime: 20 ms a
 * packet, bursts of 5), so at 20 ms frames two frames travel per write: half the packet
 * budget stays free for telemetry and the LED. The board plays a batch's frames one period
 * apart and ignores indices it already played (the VM may deliver a packet twice).
 */

/** Bytes that index like a byte array. */
export interface Bytes {
    length: number
    [index: number]: number
}

/** Bytes before the first frame record. */
export const BATCH_HEADER = 3

/** Most frames per write. */
export const MAX_BATCH = 8

/** Bytes of one frame record for a number of channels. */
export function recordSize(channels: number): number {
    return channels + 3
}

/** Bytes of a batch of `count` frames. */
export function batchSize(channels: number, count: number): number {
    return BATCH_HEADER + count * recordSize(channels)
}

/** Writes the batch header. */
export function encodeHeader(out: Bytes, count: number, firstIndex: number) {
    out[0] = count
    out[1] = firstIndex & 255
    out[2] = (firstIndex >> 8) & 255
}

/** Writes frame f as record `slot` of a batch. */
export function encodeRecord(out: Bytes, slot: number, f: Frame) {
    const n = f.channels
    let o = BATCH_HEADER + slot * recordSize(n)
    const levels = f.levels
    for (let c = 0; c < n; c++) out[o + c] = levels[c]
    o += n
    out[o] = f.heaters & 255
    out[o + 1] = (f.heaters >> 8) & 255
    out[o + 2] = f.heaterPower ? 1 : 0
}

/** Frames in a batch, or -1 when the bytes are not a well-formed batch for `channels`. */
export function decodeCount(bytes: Bytes, channels: number): number {
    if (bytes.length < BATCH_HEADER) return -1
    const count = bytes[0]
    if (count < 1 || count > MAX_BATCH || bytes.length !== batchSize(channels, count)) return -1
    return count
}

/** Frame index (modulo 65536) of the batch's first frame. */
export function decodeFirstIndex(bytes: Bytes): number {
    return bytes[1] | (bytes[2] << 8)
}

/** Reads record `slot` of a well-formed batch into f (f.index is set from the header, modulo 65536). */
export function decodeRecord(bytes: Bytes, slot: number, f: Frame) {
    const n = f.channels
    let o = BATCH_HEADER + slot * recordSize(n)
    for (let c = 0; c < n; c++) f.levels[c] = bytes[o + c]
    o += n
    f.heaters = bytes[o] | (bytes[o + 1] << 8)
    f.heaterPower = (bytes[o + 2] & 1) === 1
    f.index = (decodeFirstIndex(bytes) + slot) & 65535
}
