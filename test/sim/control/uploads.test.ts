import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import {
    RESULT_BUILT_IN,
    RESULT_CHECKSUM_MISMATCH,
    RESULT_INVALID_PATTERN,
    RESULT_MALFORMED,
    RESULT_NO_UPLOAD,
    RESULT_OK,
    RESULT_OUT_OF_ORDER,
    RESULT_STORE_FULL,
    RESULT_TOO_LARGE,
} from "../../../src/control/results"
import { UPLOAD_IDLE_MS, Upload } from "../../../src/control/upload"
import { decodeTelemetry, encodeTelemetry, telemetrySize } from "../../../src/control/telemetry"
import { builtinPatternAt } from "../../../src/core/pattern/library"
import { fletcher16Update } from "../../../src/storage/checksum"
import { PatternStore } from "../../../src/storage/pattern-store"
import { MassagerControlServer } from "../../../src/control/server"
import { codeOf, restingRig } from "./rig"

let seqNo = 1000

/** A fresh seq. */
function next(): number {
    seqNo++
    return seqNo
}

/** Fletcher-16 of b, a piece per VM slice (test mode runs slowly). */
async function checksum(b: Buffer): Promise<number> {
    let sum = 0
    for (let off = 0; off < b.length; off += 100) {
        sum = fletcher16Update(sum, b, off, Math.min(b.length, off + 100))
        await ds.sleep(0)
    }
    return sum
}

/** Uploads `text` in chunks of `size`; returns the commit's answer. */
async function upload(s: MassagerControlServer, text: string, size: number): Promise<any[]> {
    const b = Buffer.from(text)
    const begin = await s.uploadBegin([next(), b.length, await checksum(b)])
    if (codeOf(begin) !== RESULT_OK) return begin
    for (let off = 0; off < b.length; off += size) {
        const a = await s.uploadChunk([next(), off, b.slice(off, Math.min(b.length, off + size))])
        if (codeOf(a) !== RESULT_OK) return a
        expect(a[2]).toBe(Math.min(b.length, off + size))
    }
    return await s.uploadCommit([next()])
}

function mine(id: string): any {
    const p: any = builtinPatternAt(1)
    p.id = id
    p.name = "Mine"
    p.reason = "mine"
    return p
}

describe("custom pattern uploads", () => {
    test("a valid upload is stored, listed, played and deleted", async () => {
        const r = await restingRig()
        const s = r.server
        const n = (await s.listPatterns([next(), 0]))[3]
        const a = await upload(s, JSON.stringify(mine("my-waves")), 100)
        expect(codeOf(a)).toBe(RESULT_OK)
        const count = (await s.listPatterns([next(), 0]))[3]
        expect(count).toBe(n + 1)
        const last = await s.listPatterns([next(), count - 1])
        expect(last[4]).toBe(1)
        expect(last[5]).toBe("my-waves")
        // it reloads from flash as it was
        const again = new PatternStore(20)
        await again.load()
        expect(again.find("my-waves") >= 0).toBe(true)
        expect(codeOf(await s.setPattern([next(), "my-waves"]))).toBe(RESULT_OK)
        expect(r.session.patternId).toBe("my-waves")
        expect(codeOf(await s.deletePattern([next(), "my-waves"]))).toBe(RESULT_OK)
        // the selected pattern went: the default took its place
        expect(r.session.patternId).toBe("gentle-start")
        expect((await s.listPatterns([next(), 0]))[3]).toBe(count - 1)
    })
    test("an invalid pattern is refused with the validator's message and nothing is stored", async () => {
        const r = await restingRig()
        const s = r.server
        const before = r.storage.patterns.list().length
        const bad = mine("bad-one")
        bad.durationMs = 50
        const a = await upload(s, JSON.stringify(bad), 232)
        expect(codeOf(a)).toBe(RESULT_INVALID_PATTERN)
        expect((a[2] as string).indexOf("pattern.durationMs") >= 0).toBe(true)
        const b = await upload(s, "{not json", 232)
        expect(codeOf(b)).toBe(RESULT_INVALID_PATTERN)
        const c = await upload(s, JSON.stringify(mine("kneading")), 232)
        expect(codeOf(c)).toBe(RESULT_BUILT_IN)
        expect(r.storage.patterns.list().length).toBe(before)
    })
    test("chunks out of order, resent, past the size, a bad checksum, no upload", async () => {
        const r = await restingRig()
        const s = r.server
        const text = JSON.stringify(mine("chunky"))
        const b = Buffer.from(text)
        expect(codeOf(await s.uploadChunk([next(), 0, b.slice(0, 10)]))).toBe(RESULT_NO_UPLOAD)
        expect(codeOf(await s.uploadCommit([next()]))).toBe(RESULT_NO_UPLOAD)
        expect(codeOf(await s.uploadBegin([next(), 2000, 0]))).toBe(RESULT_TOO_LARGE)
        expect(codeOf(await s.uploadBegin([next()]))).toBe(RESULT_MALFORMED)
        expect(codeOf(await s.uploadBegin([next(), b.length, await checksum(b)]))).toBe(RESULT_OK)
        expect(codeOf(await s.uploadChunk([next(), 0, b.slice(0, 100)]))).toBe(RESULT_OK)
        // a resend of the same chunk is harmless
        const re = await s.uploadChunk([next(), 0, b.slice(0, 100)])
        expect(codeOf(re)).toBe(RESULT_OK)
        expect(re[2]).toBe(100)
        // a gap is refused with the expected offset
        const gap = await s.uploadChunk([next(), 150, b.slice(150, 200)])
        expect(codeOf(gap)).toBe(RESULT_OUT_OF_ORDER)
        expect(gap[2]).toBe(100)
        expect(codeOf(await s.uploadChunk([next(), 100]))).toBe(RESULT_MALFORMED)
        expect(codeOf(await s.uploadChunk([next(), 100, Buffer.alloc(233)]))).toBe(RESULT_MALFORMED)
        // truncated: commit before the last byte
        expect(codeOf(await s.uploadCommit([next()]))).toBe(RESULT_MALFORMED)
        // a wrong checksum
        await s.uploadBegin([next(), b.length, 1234])
        for (let off = 0; off < b.length; off += 200)
            await s.uploadChunk([next(), off, b.slice(off, Math.min(b.length, off + 200))])
        expect(codeOf(await s.uploadCommit([next()]))).toBe(RESULT_CHECKSUM_MISMATCH)
        // too long for its begin
        await s.uploadBegin([next(), 10, 0])
        expect(codeOf(await s.uploadChunk([next(), 0, b.slice(0, 20)]))).toBe(RESULT_TOO_LARGE)
        expect(r.storage.patterns.find("chunky")).toBe(-1)
    })
    test("the store keeps at most 4 custom patterns", async () => {
        const r = await restingRig()
        const s = r.server
        for (let i = 0; i < 4; i++)
            expect(codeOf(await upload(s, JSON.stringify(mine("fill-" + i)), 232))).toBe(RESULT_OK)
        expect(codeOf(await upload(s, JSON.stringify(mine("fill-9")), 232))).toBe(RESULT_STORE_FULL)
        // replacing one by id still works
        expect(codeOf(await upload(s, JSON.stringify(mine("fill-2")), 232))).toBe(RESULT_OK)
        for (let i = 0; i < 4; i++)
            expect(codeOf(await s.deletePattern([next(), "fill-" + i]))).toBe(RESULT_OK)
    })
})
