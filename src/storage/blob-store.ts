import { isWholeIn } from "../core/util/numbers"
import { fletcher16Update } from "./checksum"
import { deleteKey, readBytes, writeBytes } from "./kv"

/*
 * A blob larger than one setting, split across keys: `<prefix>0`, `<prefix>1`, ... hold at
 * most CHUNK_BYTES each, and `<prefix>h`, written last, holds the header: a magic byte, the
 * length (u16), the Fletcher-16 of the whole blob (u16) and the chunk count. A write torn before
 * its header leaves the old header over new chunks, which the checksum refuses: a torn or
 * corrupt blob reads as null (lost), never as other data, and never harms another blob.
 */

/** Bytes per chunk key (well under the runtime's value limit, see kv.ts). */
export const CHUNK_BYTES = 160

const MAGIC = 0xb1
const HEADER_BYTES = 6

/** Most chunks a blob may take (keys `<prefix>0`..`<prefix>9`). */
export const MAX_CHUNKS = 10

// the header's key is prefix + "h", chunk i's prefix + i

/**
 * The blob stored under `prefix`: undefined when there is none (no header), null when it is
 * torn or corrupt (a bad header, a missing or short chunk, a checksum mismatch), else its bytes.
 */
export async function readBlob(prefix: string): Promise<Buffer> {
    const h = await readBytes(prefix + "h")
    if (h === undefined) return undefined
    if (h.length !== HEADER_BYTES) return null
    if (h[0] !== MAGIC) return null
    const length = h.getAt(1, "u16")
    const sum = h.getAt(3, "u16")
    const chunks = h[5]
    // a length of 0 has 0 chunks, more than MAX_CHUNKS are refused
    if (!isWholeIn(chunks, 1, MAX_CHUNKS)) return null
    if (chunks !== Math.ceil(length / CHUNK_BYTES)) return null
    const out = Buffer.alloc(length)
    // the checksum runs a chunk at a time, between reads: the whole blob at once can outlast a
    // VM slice on a slow chip
    let check = 0
    for (let i = 0; i < chunks; i++) {
        const c = await readBytes(prefix + i)
        const want = i < chunks - 1 ? CHUNK_BYTES : length - i * CHUNK_BYTES
        if (c === undefined) return null
        if (c.length !== want) return null
        out.blitAt(i * CHUNK_BYTES, c, 0, want)
        check = fletcher16Update(check, c, 0, want)
    }
    if (check !== sum) return null
    return out
}

/**
 * Stores `bytes` (1..MAX_CHUNKS * CHUNK_BYTES) under `prefix`: chunks first, then the header,
 * then stale chunks of a longer previous blob are deleted. Throws RangeError, writing nothing,
 * when it does not fit.
 */
export async function writeBlob(prefix: string, bytes: Buffer) {
    let ok = false
    if (bytes) ok = isWholeIn(bytes.length, 1, MAX_CHUNKS * CHUNK_BYTES)
    if (!ok)
        throw new RangeError(
            `blob ${prefix}: 1..${MAX_CHUNKS * CHUNK_BYTES} bytes (got ${bytes ? bytes.length : 0})`
        )
    const chunks = Math.ceil(bytes.length / CHUNK_BYTES)
    let sum = 0
    for (let i = 0; i < chunks; i++) {
        const end = Math.min(bytes.length, (i + 1) * CHUNK_BYTES)
        sum = fletcher16Update(sum, bytes, i * CHUNK_BYTES, end)
        await writeBytes(prefix + i, bytes.slice(i * CHUNK_BYTES, end))
    }
    const h = Buffer.alloc(HEADER_BYTES)
    h[0] = MAGIC
    h.setAt(1, "u16", bytes.length)
    h.setAt(3, "u16", sum)
    h[5] = chunks
    await writeBytes(prefix + "h", h)
    for (let i = chunks; i < MAX_CHUNKS; i++) await deleteKey(prefix + i)
}

/** Deletes the blob under `prefix`: the header first, so a torn delete reads as no blob. */
export async function deleteBlob(prefix: string) {
    await deleteKey(prefix + "h")
    for (let i = 0; i < MAX_CHUNKS; i++) await deleteKey(prefix + i)
}
