import * as ds from "@devicescript/core"
import { settings } from "@devicescript/settings"
import { isWholeIn } from "../core/util/numbers"

/*
 * The one road to flash. Every store writes through `writeBytes`, which refuses a value the
 * runtime could not read back: a value of about 226 bytes or more crashes the VM when it is read,
 * and again at every boot, so nothing over MAX_VALUE_BYTES ever reaches `settings.set`.
 */

/** Largest value written, bytes (the runtime crashes reading back ~226 or more). */
export const MAX_VALUE_BYTES = 180

/** Longest key the runtime takes. */
export const MAX_KEY_LENGTH = 13

function checkKey(key: string) {
    if (typeof key === "string") if (isWholeIn(key.length, 1, MAX_KEY_LENGTH)) return
    throw new RangeError(`setting key must be 1..${MAX_KEY_LENGTH} characters (got ${key})`)
}

/**
 * The stored bytes of `key`, or undefined when there is none (the runtime answers an empty value
 * for a missing key). Unlike `readSetting` it tells "missing" from "not JSON".
 */
export async function readBytes(key: string): Promise<Buffer> {
    checkKey(key)
    const pkt = await ds.actionReport(
        settings,
        "get",
        async () => await settings.get(key),
        p => p.decode()[0] === key
    )
    const bytes: Buffer = pkt.decode()[1]
    if (!bytes) return undefined
    return bytes.length ? bytes : undefined
}

/**
 * Writes `value` under `key`. Throws RangeError, writing nothing, when the key is not 1..13
 * characters or the value is empty or over MAX_VALUE_BYTES.
 */
export async function writeBytes(key: string, value: Buffer) {
    checkKey(key)
    let ok = false
    if (value) ok = isWholeIn(value.length, 1, MAX_VALUE_BYTES)
    if (!ok)
        throw new RangeError(
            `setting ${key}: a value must be 1..${MAX_VALUE_BYTES} bytes (got ${value ? value.length : 0})`
        )
    await settings.set(key, value)
}

/** Deletes `key` (nothing happens when it is missing). */
export async function deleteKey(key: string) {
    checkKey(key)
    await settings.delete(key)
}

/**
 * The stored JSON of `key`: undefined when missing, null when it is not JSON (torn or corrupt),
 * else the parsed value. Never throws on bad data.
 */
export async function readJson(key: string): Promise<any> {
    const bytes = await readBytes(key)
    if (bytes === undefined) return undefined
    try {
        return JSON.parse(bytes.toString())
    } catch (e) {
        return null
    }
}

/** Writes `value` as JSON under `key`; throws RangeError (writing nothing) when it is too large. */
export async function writeJson(key: string, value: any) {
    await writeBytes(key, Buffer.from(JSON.stringify(value)))
}
