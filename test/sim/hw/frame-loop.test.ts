import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { makeConfig } from "../../../src/core/config"
import { Frame } from "../../../src/core/frame"
import { FrameGuard } from "../../../src/core/frame-guard"
import { Scheduler } from "../../../src/core/scheduler"
import { decodeCount } from "../../../src/core/wire"
import { FrameLoop } from "../../../src/frame-loop"
import { FootIoPort } from "../../../src/hw/foot-io-port"
import { sharedBoard, sharedRole } from "./board"
import { MemoryPort } from "../../../src/hw/memory-port"
import { load } from "../helpers"
import { builtinPattern } from "../../../src/core/library"

/** A guard that counts frames and vetoes every heater (as the supervisor may). */
class CountingGuard implements FrameGuard {
    seen = 0
    lastIndex = -1
    inspect(f: Frame, tMs: number) {
        this.seen++
        this.lastIndex = f.index
        f.heaters = 0
    }
}

async function running(): Promise<Scheduler> {
    const s = new Scheduler(makeConfig({ framePeriodMs: 20 }))
    s.setPattern(await load(builtinPattern("kneading"), 20), 0)
    s.setHeaterDuty(0, 1)
    s.start(0)
    return s
}

describe("frame loop", () => {
    test("computes a frame each period, lets every guard veto it, and turns outputs off on stop", async () => {
        const s = await running()
        const port = new MemoryPort(s.channels)
        const loop = new FrameLoop(s, port)
        const guard = new CountingGuard()
        loop.addGuard(guard)
        const go = async () => {
            await loop.run()
        }
        go.start()
        await ds.sleep(1000)
        loop.stop()
        await ds.sleep(100)
        // about 50 frames in a second (the test VM is slow: allow skips, never replays)
        expect(guard.seen > 25).toBe(true)
        expect(guard.seen <= 52).toBe(true)
        expect(port.submitted).toBe(guard.seen)
        expect(loop.frames).toBe(guard.seen)
        expect(guard.lastIndex >= guard.seen - 1).toBe(true)
        expect(port.allOffCalls).toBe(1)
        expect(port.last.heaters).toBe(0)
    })
})

describe("Foot IO board in the VM", () => {
    test("frames reach the board two per write, and duplicates and malformed writes are refused", async () => {
        const board = await sharedBoard()
        const io = sharedRole()
        expect(io.isBound).toBe(true)
        const s = await running()
        const port = new FootIoPort(io, 8, { batch: 2 })
        for (let k = 0; k < 40; k++) {
            await port.submit(s.frame(k))
            await ds.sleep(1)
        }
        await ds.sleep(200)
        expect(board.frames).toBe(40)
        expect(board.writes).toBe(20)
        expect(board.current.index).toBe(39)
        expect(board.current.sameOutputs(s.output)).toBe(true)
        // the same batch again (the VM may deliver a packet twice): dropped
        const again = Buffer.alloc(board.frame().length)
        again.blitAt(0, board.frame(), 0, again.length)
        await io.frame.write(again)
        await ds.sleep(200)
        expect(board.duplicates).toBe(2)
        expect(board.frames).toBe(40)
        // a write of the wrong size is refused, the board keeps its frame
        await io.frame.write(Buffer.alloc(7))
        await ds.sleep(200)
        expect(board.malformed).toBe(1)
        expect(decodeCount(board.frame(), 8)).toBe(2)
        expect(board.current.index).toBe(39)
    })
})
