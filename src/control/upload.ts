import { isWholeIn } from "../core/util/numbers"
import { fletcher16Update } from "../storage/checksum"
import { MAX_PATTERN_BYTES } from "../storage/pattern-store"
import {
    RESULT_CHECKSUM_MISMATCH,
    RESULT_MALFORMED,
    RESULT_NO_UPLOAD,
    RESULT_OK,
    RESULT_OUT_OF_ORDER,
    RESULT_TOO_LARGE,
} from "./results"

/** An upload with no chunk, commit or abort for this long is dropped, ms. */
export const UPLOAD_IDLE_MS = 10000

/** Most data bytes in one chunk (236-byte payload minus seq and offset). */
export const MAX_CHUNK_BYTES = 232

/**
 * One chunked upload of a custom pattern: begin(size, checksum), chunk(offset, data) answered
 * with the next expected offset, commit. A resent chunk (one that ends at or before the next
 * expected offset) is harmless; any other offset is refused with the expected one. Time is an
 * argument (`nowMs`). `code`/`message` hold the last answer.
 */
export class Upload {
    private bytes: Buffer = null
    private size = 0
    private checksum = 0
    private sum = 0
    private lastMs = 0
    /** The next offset expected. */
    received = 0
    message = ""

    /** True while an upload is open (and not idle past UPLOAD_IDLE_MS at nowMs). */
    open(nowMs: number): boolean {
        if (this.bytes !== null)
            if (nowMs - this.lastMs > UPLOAD_IDLE_MS) {
                console.log("control: an idle upload was dropped")
                this.abort()
            }
        return this.bytes !== null
    }

    /** Opens an upload (replacing one that is open). */
    begin(size: number, checksum: number, nowMs: number): number {
        let whole = false
        if (isWholeIn(size, 0, Infinity)) whole = isWholeIn(checksum, 0, 0xffff)
        if (!whole)
            return this.refuse(RESULT_MALFORMED, "upload_begin: size and checksum must be whole numbers")
        if (!isWholeIn(size, 1, MAX_PATTERN_BYTES))
            return this.refuse(
                RESULT_TOO_LARGE,
                `upload_begin: a custom pattern is 1..${MAX_PATTERN_BYTES} bytes (got ${size})`
            )
        this.bytes = Buffer.alloc(size)
        this.size = size
        this.checksum = checksum
        this.sum = 0
        this.received = 0
        this.lastMs = nowMs
        this.message = ""
        return RESULT_OK
    }

    /** Takes `data` at `offset`; the answer's next offset is `received`. */
    chunk(offset: number, data: Buffer, nowMs: number): number {
        if (!this.open(nowMs)) return this.refuse(RESULT_NO_UPLOAD, "upload_chunk: no upload is open")
        let ok = false
        if (isWholeIn(offset, 0, Infinity)) if (data) ok = data.length > 0
        if (!ok) return this.refuse(RESULT_MALFORMED, "upload_chunk: needs an offset and at least one byte")
        if (data.length > MAX_CHUNK_BYTES)
            return this.refuse(RESULT_MALFORMED, `upload_chunk: at most ${MAX_CHUNK_BYTES} bytes a chunk`)
        this.lastMs = nowMs
        if (offset < this.received)
            if (offset + data.length <= this.received) {
                // a resend of a chunk already taken: harmless
                this.message = ""
                return RESULT_OK
            }
        if (offset !== this.received)
            return this.refuse(
                RESULT_OUT_OF_ORDER,
                `upload_chunk: expected offset ${this.received} (got ${offset})`
            )
        if (offset + data.length > this.size)
            return this.refuse(
                RESULT_TOO_LARGE,
                `upload_chunk: ${offset + data.length} bytes is past the size given at begin (${this.size})`
            )
        this.bytes.blitAt(offset, data, 0, data.length)
        this.sum = fletcher16Update(this.sum, data, 0, data.length)
        this.received = offset + data.length
        this.message = ""
        return RESULT_OK
    }

    /**
     * Checks the upload is complete and matches its checksum: RESULT_OK with `take()` ready, or
     * a refusal. The caller closes it (take or abort) either way.
     */
    finish(nowMs: number): number {
        if (!this.open(nowMs)) return this.refuse(RESULT_NO_UPLOAD, "upload_commit: no upload is open")
        if (this.received !== this.size)
            return this.refuse(
                RESULT_MALFORMED,
                `upload_commit: only ${this.received} of ${this.size} bytes arrived`
            )
        if (this.sum !== this.checksum)
            return this.refuse(
                RESULT_CHECKSUM_MISMATCH,
                `upload_commit: checksum 0x${hex4(this.sum)} does not match 0x${hex4(this.checksum)}`
            )
        this.message = ""
        return RESULT_OK
    }

    /** The uploaded bytes (after finish), closing the upload. */
    take(): Buffer {
        const b = this.bytes
        this.abort()
        return b
    }

    /** Closes the upload, if any. */
    abort() {
        this.bytes = null
        this.size = 0
        this.received = 0
    }

    private refuse(code: number, message: string): number {
        this.message = message
        return code
    }
}

function hex4(v: number): string {
    const digits = "0123456789abcdef"
    let s = ""
    for (let i = 3; i >= 0; i--) s += digits[(v >> (i * 4)) & 15]
    return s
}
