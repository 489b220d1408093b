import { describe, test, expect } from "@devicescript/test"
import { thrownBy } from "./rejects"
import { settings } from "@devicescript/settings"
import { CHUNK_BYTES, deleteBlob, readBlob, writeBlob } from "../../../src/storage/blob-store"
import { fletcher16, fletcher16Update } from "../../../src/storage/checksum"
import { MAX_VALUE_BYTES, readBytes, readJson, writeBytes, writeJson } from "../../../src/storage/kv"

function bytesOf(n: number, seed: number): Buffer {
    const b = Buffer.alloc(n)
    for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff
    return b
}

function same(a: Buffer, b: Buffer): boolean {
    if (!a || !b || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
}

describe("bounded settings", () => {
    test("an oversized value is never written; the old value stays", async () => {
        await writeBytes("kvTest", Buffer.from("old"))
        expect(
            (await thrownBy(async () => {
                await writeBytes("kvTest", Buffer.alloc(MAX_VALUE_BYTES + 1))
            })) !== null
        ).toBe(true)
        expect(
            (await thrownBy(async () => {
                await writeJson("kvTest", {
                    text: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                })
            })) !== null
        ).toBe(true)
        expect(
            (await thrownBy(async () => {
                await writeBytes("kvTest", Buffer.alloc(0))
            })) !== null
        ).toBe(true)
        expect(
            (await thrownBy(async () => {
                await writeBytes("muchTooLongKey", Buffer.from("x"))
            })) !== null
        ).toBe(true)
        expect((await readBytes("kvTest")).toString()).toBe("old")
        await writeBytes("kvTest", Buffer.alloc(MAX_VALUE_BYTES))
        expect((await readBytes("kvTest")).length).toBe(MAX_VALUE_BYTES)
    })
    test("missing, not JSON and JSON read back apart", async () => {
        await settings.delete("kvTest")
        expect(await readJson("kvTest")).toBe(undefined)
        await settings.set("kvTest", Buffer.from("{torn"))
        expect(await readJson("kvTest")).toBe(null)
        await writeJson("kvTest", [1, 2])
        expect((await readJson("kvTest"))[1]).toBe(2)
        await settings.delete("kvTest")
    })
    test("fletcher-16 matches its known value and continues chunk by chunk", () => {
        // "abcde" -> 0xC8F0 (the textbook check value)
        expect(fletcher16(Buffer.from("abcde"), 0, 5)).toBe(0xc8f0)
        const b = bytesOf(500, 3)
        const whole = fletcher16(b, 0, 500)
        const parts = fletcher16Update(fletcher16Update(fletcher16(b, 0, 123), b, 123, 400), b, 400, 500)
        expect(parts).toBe(whole)
    })
})

describe("blobs across keys", () => {
    test("round trips at every chunk boundary, and a shorter blob replaces a longer one", async () => {
        const sizes = [1, CHUNK_BYTES, CHUNK_BYTES + 1, 1024, 1600]
        for (let i = 0; i < sizes.length; i++) {
            const b = bytesOf(sizes[i], i)
            await writeBlob("tb", b)
            expect(same(await readBlob("tb"), b)).toBe(true)
        }
        const short = bytesOf(10, 9)
        await writeBlob("tb", short)
        expect(same(await readBlob("tb"), short)).toBe(true)
        // the stale chunks of the longer blob are gone
        expect(await readBytes("tb1")).toBe(undefined)
        await deleteBlob("tb")
        expect(await readBlob("tb")).toBe(undefined)
    })
    test("an oversized blob is refused and nothing is written", async () => {
        await writeBlob("tb", bytesOf(300, 1))
        expect(
            (await thrownBy(async () => {
                await writeBlob("tb", bytesOf(1601, 2))
            })) !== null
        ).toBe(true)
        expect(same(await readBlob("tb"), bytesOf(300, 1))).toBe(true)
    })
    test("torn and corrupt blobs read as lost, and never as other data", async () => {
        const b = bytesOf(400, 5)
        await writeBlob("tb", b)
        // a write torn before its header: new chunks under the old header
        await settings.set("tb1", bytesOf(CHUNK_BYTES, 77))
        expect(await readBlob("tb")).toBe(null)
        await writeBlob("tb", b)
        // a chunk lost
        await settings.delete("tb2")
        expect(await readBlob("tb")).toBe(null)
        await writeBlob("tb", b)
        // a short chunk
        await settings.set("tb2", Buffer.from("xy"))
        expect(await readBlob("tb")).toBe(null)
        // a corrupt header
        await writeBlob("tb", b)
        await settings.set("tbh", Buffer.from("garbage!"))
        expect(await readBlob("tb")).toBe(null)
        const h = Buffer.alloc(6)
        h[0] = 0xb1
        h.setAt(1, "u16", 60000)
        h[5] = 200
        await settings.set("tbh", h)
        expect(await readBlob("tb")).toBe(null)
        await deleteBlob("tb")
    })
})
