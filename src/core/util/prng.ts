/**
 * A small seeded PRNG (xorshift32): deterministic noise for the thermal model, identical in the
 * VM and in node (integer operations only). Not for anything that must be unpredictable.
 */
export class Prng {
    private s: number

    constructor(seed: number) {
        this.s = seed | 0
        if (this.s === 0) this.s = 0x2545f491
    }

    /** Next integer in [0, 2^32). */
    nextU32(): number {
        let x = this.s
        x ^= x << 13
        x ^= x >>> 17
        x ^= x << 5
        this.s = x
        return x >>> 0
    }

    /** Uniform in [0, 1). */
    next(): number {
        return this.nextU32() / 4294967296
    }

    /** Integer in [0, n). */
    int(n: number): number {
        return Math.floor(this.next() * n)
    }

    /** Roughly normal, mean 0, deviation 1 (sum of four uniforms, scaled). */
    gauss(): number {
        return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508
    }
}
