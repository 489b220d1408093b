/*
 * Register-level fakes of the board's chips behind one I2C client, injected as the drivers'
 * `client`. Every transfer is recorded (address, bytes written) so tests can count bus bytes.
 */
import * as ds from "@devicescript/core"
import { I2C, I2CError } from "@devicescript/i2c"

/** One chip on the fake bus. */
export interface FakeChip {
    /** NAK every transfer (the chip is gone or its address line broke). */
    nak: boolean
    /** Answer reads with 0xFF bytes (a stuck or foreign chip). */
    garbage: boolean
    write(w: Buffer): void
    read(n: number): Buffer
}

/** A recorded transfer. */
export interface Transfer {
    addr: number
    /** The bytes written, register pointer first. */
    written: Buffer
    numRead: number
}

export class FakeBus extends I2C {
    readonly chips: FakeChip[] = []
    readonly addrs: number[] = []
    log: Transfer[] = []
    /** Record transfers in `log` (long runs turn it off: the VM heap is 64 KB). */
    recording = true

    attach(addr: number, chip: FakeChip) {
        this.addrs.push(addr)
        this.chips.push(chip)
    }

    chipAt(addr: number): FakeChip {
        const i = this.addrs.indexOf(addr)
        return i < 0 ? null : this.chips[i]
    }

    override async xfer(devAddr: number, writeBuf: Buffer, numRead?: number): Promise<Buffer> {
        const n = numRead ? numRead : 0
        const chip = this.chipAt(devAddr)
        if (!chip || chip.nak) throw new I2CError(`I2C error 1 dev=${devAddr}`, ds.I2CStatus.NAckAddr)
        if (this.recording) {
            const copy = Buffer.alloc(writeBuf.length)
            copy.blitAt(0, writeBuf, 0, writeBuf.length)
            this.log.push({ addr: devAddr, written: copy, numRead: n })
        }
        if (writeBuf.length > 0) chip.write(writeBuf)
        if (n === 0) return hex``
        if (chip.garbage) {
            const b = Buffer.alloc(n)
            for (let i = 0; i < n; i++) b[i] = 0xff
            return b
        }
        return chip.read(n)
    }

    /** Transfers to one address since the log was cleared. */
    transfersTo(addr: number): Transfer[] {
        return this.log.filter(t => t.addr === addr)
    }

    /** Bytes on the wire of write transfers to addr (the address byte included). */
    bytesWrittenTo(addr: number): number {
        let s = 0
        for (const t of this.log) if (t.addr === addr && t.numRead === 0) s += 1 + t.written.length
        return s
    }
}

/** A PCA9685's registers, with auto-increment, the ALL_LED registers and sleep. */
export class FakePCA9685 implements FakeChip {
    nak = false
    garbage = false
    readonly regs = Buffer.alloc(256)
    ptr = 0
    /** Was RESTART ever written as 1. */
    restartWritten = false

    constructor() {
        this.powerOn()
    }

    /** The power-up state (datasheet 7.6): MODE1 0x11, MODE2 0x04, every channel full off. */
    powerOn() {
        for (let i = 0; i < 256; i++) this.regs[i] = 0
        this.regs[0x00] = 0x11
        this.regs[0x01] = 0x04
        for (let c = 0; c < 16; c++) this.regs[0x09 + 4 * c] = 0x10
        this.regs[0xfe] = 0x1e
    }

    write(w: Buffer) {
        this.ptr = w[0]
        for (let i = 1; i < w.length; i++) {
            this.store(this.ptr, w[i])
            if (this.regs[0] & 0x20) this.ptr = this.ptr === 0xff ? 0 : this.ptr + 1
        }
    }

    private store(r: number, v: number) {
        if (r === 0xfe && !(this.regs[0] & 0x10)) return // PRE_SCALE only while asleep
        if (r === 0x00) {
            if (v & 0x80) this.restartWritten = true
            this.regs[0] = v & 0x7f
            return
        }
        if (r >= 0xfa && r <= 0xfd) {
            for (let c = 0; c < 16; c++) this.regs[0x06 + 4 * c + (r - 0xfa)] = v
        }
        this.regs[r] = v
    }

    read(n: number): Buffer {
        const b = Buffer.alloc(n)
        for (let i = 0; i < n; i++) {
            b[i] = this.regs[this.ptr]
            if (this.regs[0] & 0x20) this.ptr = this.ptr === 0xff ? 0 : this.ptr + 1
        }
        return b
    }

    /** Channel c's register word as the driver writes it (ON_L lowest). */
    word(c: number): number {
        const o = 0x06 + 4 * c
        return this.regs[o] | (this.regs[o + 1] << 8) | (this.regs[o + 2] << 16) | (this.regs[o + 3] << 24)
    }

    /** Channel c's duty 0..4096 at the pin, with /OE low (0 while asleep). */
    duty(c: number): number {
        if (this.regs[0] & 0x10) return 0
        const o = 0x06 + 4 * c
        if (this.regs[o + 3] & 0x10) return 0
        if (this.regs[o + 1] & 0x10) return 4096
        const on = this.regs[o] | ((this.regs[o + 1] & 0xf) << 8)
        const off = this.regs[o + 2] | ((this.regs[o + 3] & 0xf) << 8)
        return (off - on + 4096) & 0xfff
    }
}

/** An ADS1115: config and conversion registers, single shot, a voltage per input. */
export class FakeADS1115 implements FakeChip {
    nak = false
    garbage = false
    /** Never finish a conversion. */
    stuck = false
    /** The result each input converts to (signed 16-bit code). */
    readonly codes = [0, 0, 0, 0]
    config = 0x8583
    conversion = 0
    ptr = 0
    /** Conversions started, and the inputs in the order started. */
    started: number[] = []
    private doneAt = 0

    write(w: Buffer) {
        this.ptr = w[0] & 3
        if (w.length < 3) return
        const v = (w[1] << 8) | w[2]
        if (this.ptr !== 1) return
        if (v & 0x8000) {
            const input = ((v >> 12) & 7) - 4
            this.started.push(input)
            this.conversion = input >= 0 ? this.codes[input] & 0xffff : 0
            this.config = v & 0x7fff
            this.doneAt = ds.millis() + 1.2
        } else this.config = v
    }

    read(n: number): Buffer {
        const b = Buffer.alloc(n)
        let v = 0
        if (this.ptr === 0) v = this.conversion
        else if (this.ptr === 1) {
            if (!this.stuck && !(this.config & 0x8000) && ds.millis() >= this.doneAt) this.config |= 0x8000
            v = this.config
        }
        b[0] = (v >> 8) & 0xff
        if (n > 1) b[1] = v & 0xff
        return b
    }
}

/** A GPIO output line that remembers its writes. */
export class FakeLine {
    value = -1
    writes: number[] = []
    /** Called on every write (tests snapshot other state at that moment). */
    onWrite: (v: number) => void = null
    write(v: number) {
        this.value = v
        this.writes.push(v)
        if (this.onWrite) this.onWrite(v)
    }
}

/** The whole board: the bus with the PCA9685 at 0x40 and ADS1115 at 0x48..0x4B, and the two lines. */
export class FakeBoard {
    readonly bus = new FakeBus()
    readonly pca = new FakePCA9685()
    readonly adcs: FakeADS1115[] = []
    readonly oe = new FakeLine()
    readonly heat = new FakeLine()
    constructor() {
        this.bus.attach(0x40, this.pca)
        for (let i = 0; i < 4; i++) {
            const a = new FakeADS1115()
            this.adcs.push(a)
            this.bus.attach(0x48 + i, a)
        }
    }
}
