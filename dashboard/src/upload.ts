/**
 * Uploads a custom pattern over the control service: begin(size, checksum), chunks answered
 * with the next expected offset, commit. Reports progress; any refusal aborts with its message.
 */
import { ControlClient } from "./control-client"
import { Cmd, MAX_CHUNK_BYTES, MAX_UPLOAD_BYTES, RESULT_OK, fletcher16 } from "./protocol"

/** The outcome: ok, or the device's refusal (result name and message). */
export interface UploadResult {
    ok: boolean
    result: string
    message: string
}

/** Uploads `json` (a PatternSpec's JSON); `progress` hears 0..1. */
export async function uploadPattern(
    client: ControlClient,
    json: string,
    progress: (fraction: number) => void
): Promise<UploadResult> {
    const bytes = new TextEncoder().encode(json)
    if (bytes.length > MAX_UPLOAD_BYTES)
        return {
            ok: false,
            result: "TooLarge",
            message: `the pattern is ${bytes.length} bytes; at most ${MAX_UPLOAD_BYTES} fit`,
        }
    progress(0)
    const begin = await client.command(Cmd.UploadBegin, [bytes.length, fletcher16(bytes)])
    if (begin.code !== RESULT_OK) return { ok: false, result: begin.result, message: begin.message }
    let offset = 0
    let tries = 0
    while (offset < bytes.length) {
        const data = bytes.slice(offset, offset + MAX_CHUNK_BYTES)
        const a = await client.command(Cmd.UploadChunk, [offset, data])
        const next = a.fields[0]
        if (a.code !== RESULT_OK && !(a.result === "OutOfOrder" && typeof next === "number" && tries++ < 3)) {
            await client.command(Cmd.UploadAbort)
            return { ok: false, result: a.result, message: a.message }
        }
        offset = typeof next === "number" ? next : offset + data.length
        progress(offset / bytes.length)
    }
    const commit = await client.command(Cmd.UploadCommit)
    progress(1)
    return { ok: commit.code === RESULT_OK, result: commit.result, message: commit.message }
}
