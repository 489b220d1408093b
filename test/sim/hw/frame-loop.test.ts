import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { makeConfig } from "../../../src/core/scheduler/config"
import { Frame } from "../../../src/core/frame/frame"
import { FrameGuard } from "../../../src/core/frame/guard"
import { Scheduler } from "../../../src/core/scheduler/scheduler"
import { decodeCount } from "../../../src/core/frame/wire"
import { FrameLoop } from "../../../src/frame-loop"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { FaultCode } from "../../../src/core/safety/faults"
import { FootIoPort } from "../../../src/hw/foot-io-port"
import { sharedBoard, sharedRole } from "./board"
import { MemoryPort } from "../../doubles/memory-port"
import { load } from "../helpers"
import { builtinPattern } from "../../../src/core/pattern/library"

/** A guard that throws on the frames it is told to (an injected firmware error). */
class ThrowingGuard implements FrameGuard {
    throwFrom = -1
    throwUntil = -1
    inspect(f: Frame, tMs: number) {
        if (f.index >= this.throwFrom && f.index < this.throwUntil) throw new Error("injected")
    }
}

/** A scheduler whose every frame throws (an injected scheduler bug). */
class ThrowingScheduler extends Scheduler {
    override frame(k: number): Frame {
        throw new Error("scheduler bug")
    }
}

/** A port that throws on every submit (an injected port bug); allOff still works. */
class ThrowingPort extends MemoryPort {
    override async submit(f: Frame) {
        throw new Error("port bug")
    }
}

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
        const loop = new FrameLoop(s, port, new SafetySupervisor(s.channels))
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

describe("frame loop, one road to the safe state", () => {
    test("no frame loop without the supervisor", async () => {
        const s = await running()
        let refused = false
        try {
            new FrameLoop(s, new MemoryPort(s.channels), null)
        } catch (e) {
            refused = true
        }
        expect(refused).toBe(true)
    })
    test("a throw during a frame sends all off at once, latches a firmware error, and the loop runs on", async () => {
        const s = await running()
        const port = new MemoryPort(s.channels)
        const sup = new SafetySupervisor(s.channels)
        const loop = new FrameLoop(s, port, sup)
        const thrower = new ThrowingGuard()
        loop.addGuard(thrower)
        // frames 0..9 normal, 10..12 throw, later frames normal again
        thrower.throwFrom = 10
        thrower.throwUntil = 13
        for (let k = 0; k < 10; k++) await loop.step(k, k * 20)
        expect(port.allOffCalls).toBe(0)
        expect(sup.activeFault()).toBe(FaultCode.None)
        await loop.step(10, 200)
        // at once: the failing frame itself went out as all off
        expect(port.allOffCalls).toBe(1)
        expect(port.last.heaters).toBe(0)
        expect(port.last.heaterPower).toBe(false)
        expect(port.last.levels[0]).toBe(0)
        expect(sup.activeFault()).toBe(FaultCode.FirmwareError)
        expect(sup.masterCutOpen()).toBe(true)
        await loop.step(11, 220)
        await loop.step(12, 240)
        expect(loop.errors).toBe(3)
        // the loop keeps running: later frames are computed and submitted, with heat cut
        const before = port.submitted
        for (let k = 13; k < 20; k++) await loop.step(k, k * 20)
        expect(port.submitted).toBe(before + 7)
        expect(port.last.heaterPower).toBe(false)
        expect(port.last.heaters).toBe(0)
        // the fault stays latched until the user clears it
        expect(sup.activeFault()).toBe(FaultCode.FirmwareError)
    })
    test("a throw in the scheduler (a bad intent) or in the port is caught the same way", async () => {
        // one scheduler and one supervisor alive at a time (the test VM's heap is small)
        const port = new MemoryPort(8)
        let sup = new SafetySupervisor(8)
        await new FrameLoop(new ThrowingScheduler(makeConfig({ framePeriodMs: 20 })), port, sup).step(0, 0)
        expect(port.allOffCalls).toBe(1)
        expect(sup.activeFault()).toBe(FaultCode.FirmwareError)
        const s = await running()
        const bad = new ThrowingPort(s.channels)
        sup = new SafetySupervisor(s.channels)
        await new FrameLoop(s, bad, sup).step(1, 20)
        expect(bad.allOffCalls).toBe(1)
        expect(sup.activeFault()).toBe(FaultCode.FirmwareError)
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
