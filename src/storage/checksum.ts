/**
 * Fletcher-16 of bytes[start..end) (any indexable bytes: a DeviceScript Buffer, a node Buffer,
 * a Uint8Array): (sum2 << 8) | sum1, both sums modulo 255, starting from 0. Pure.
 * Used for stored blobs and for custom pattern uploads (docs/control.md).
 */
export function fletcher16(bytes: any, start: number, end: number): number {
    let a = 0
    let b = 0
    for (let i = start; i < end; i++) {
        a = (a + bytes[i]) % 255
        b = (b + a) % 255
    }
    return (b << 8) | a
}

/** Continues a Fletcher-16 `sum` over bytes[start..end): uploads check chunk by chunk. */
export function fletcher16Update(sum: number, bytes: any, start: number, end: number): number {
    let a = sum & 0xff
    let b = (sum >> 8) & 0xff
    for (let i = start; i < end; i++) {
        a = (a + bytes[i]) % 255
        b = (b + a) % 255
    }
    return (b << 8) | a
}
