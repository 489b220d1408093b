import { describe, test, expect, beforeEach } from "@devicescript/test"
import { FrameBatcher } from "../../../src/core/frame/batcher"
import { Frame } from "../../../src/core/frame/frame"
import {
    batchSize,
    decodeCount,
    decodeFirstIndex,
    decodeRecord,
    encodeHeader,
    encodeRecord,
} from "../../../src/core/frame/wire"
import { breathe } from "../helpers"

function frame(index: number, level: number, heaters: number): Frame {
    const f = new Frame(8)
    for (let c = 0; c < 8; c++) f.levels[c] = (level + c) & 255
    f.heaters = heaters
    f.heaterPower = heaters !== 0
    f.index = index
    return f
}

describe("frames on the wire", () => {
    beforeEach(breathe)
    test("a batch encodes and decodes every field", () => {
        const a = frame(70000, 200, 0x81)
        const b = frame(70001, 3, 0)
        const bytes = Buffer.alloc(batchSize(8, 2))
        encodeHeader(bytes, 2, a.index)
        encodeRecord(bytes, 0, a)
        encodeRecord(bytes, 1, b)
        expect(bytes.length).toBe(25)
        expect(decodeCount(bytes, 8)).toBe(2)
        expect(decodeFirstIndex(bytes)).toBe(70000 & 65535)
        const out = new Frame(8)
        decodeRecord(bytes, 0, out)
        expect(out.sameOutputs(a)).toBe(true)
        expect(out.index).toBe(70000 & 65535)
        decodeRecord(bytes, 1, out)
        expect(out.sameOutputs(b)).toBe(true)
        expect(out.heaterPower).toBe(false)
    })
    test("malformed batches are recognised, not misread", () => {
        expect(decodeCount(Buffer.alloc(2), 8)).toBe(-1)
        const bytes = Buffer.alloc(batchSize(8, 2))
        encodeHeader(bytes, 3, 0)
        expect(decodeCount(bytes, 8)).toBe(-1)
        encodeHeader(bytes, 0, 0)
        expect(decodeCount(bytes, 8)).toBe(-1)
        encodeHeader(bytes, 2, 0)
        expect(decodeCount(bytes, 4)).toBe(-1)
        expect(decodeCount(bytes, 8)).toBe(2)
    })
})

describe("frame batcher", () => {
    beforeEach(breathe)
    test("writes a batch only when a frame changed, and keeps the board alive", () => {
        const b = new FrameBatcher(8, 2, 10)
        let writes = 0
        let ends = ""
        for (let k = 0; k < 40; k++) {
            // frames 0..5 change, then the output holds still
            const f = frame(k, k < 6 ? k : 6, 0)
            if (b.add(f)) {
                writes++
                expect(b.count).toBe(2)
                expect(b.frames[1].index).toBe(b.frames[0].index + 1)
                ends += " " + b.frames[1].index
                b.sent()
            }
        }
        // 4 batches of changes (frame 6 still differs from frame 5), sent at frames 1, 3, 5, 7;
        // then keep-alives 10 frames after the last write: batches ending at 17, 27, 37 (the 26
        // frames between are left out)
        expect(writes).toBe(7)
        expect(ends).toBe(" 1 3 5 7 17 27 37")
    })
    test("a frame that differs only in its heaters is a change", () => {
        const b = new FrameBatcher(8, 1, 100)
        expect(b.add(frame(0, 5, 0))).toBe(true)
        b.sent()
        expect(b.add(frame(1, 5, 0))).toBe(false)
        expect(b.add(frame(2, 5, 4))).toBe(true)
    })
    test("a skipped frame restarts the batch, so batches hold consecutive frames", () => {
        const b = new FrameBatcher(8, 2, 100)
        expect(b.add(frame(0, 1, 0))).toBe(false)
        expect(b.add(frame(5, 2, 0))).toBe(false)
        expect(b.count).toBe(1)
        expect(b.add(frame(6, 3, 0))).toBe(true)
        expect(b.frames[0].index).toBe(5)
    })
})
