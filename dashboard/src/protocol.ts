/**
 * The control service's wire facts (services/massager-control.md) that the page needs: codes,
 * states, result names, and the decoding of the streamed telemetry. Pure: no bus, no DOM.
 */

/** Service class of Massager Control. */
export const SRV_MASSAGER_CONTROL = 0x1c0a7e15

/** Command codes. */
export const Cmd = {
    Start: 0x80,
    Stop: 0x81,
    Pause: 0x82,
    Resume: 0x83,
    Extend: 0x84,
    SetPattern: 0x85,
    SetIntensity: 0x86,
    SetHeat: 0x87,
    SetFocus: 0x88,
    SetLock: 0x89,
    ClearFault: 0x8a,
    ListPatterns: 0x8b,
    PatternReason: 0x8c,
    ReadUsage: 0x8d,
    SetClock: 0x8e,
    UploadBegin: 0x90,
    UploadChunk: 0x91,
    UploadCommit: 0x92,
    UploadAbort: 0x93,
    DeletePattern: 0x94,
} as const

/** Register codes. */
export const Reg = {
    Intensity: 0x80,
    HeatLevel: 0x81,
    Focus: 0x82,
    Lock: 0x83,
    SessionMinutes: 0x84,
    State: 0x180,
    Pattern: 0x181,
    Remaining: 0x182,
    Fault: 0x183,
    Telemetry: 0x184,
    WriteResult: 0x185,
    StorageStatus: 0x186,
} as const

/** Event codes. */
export const Evt = {
    SessionStarted: 0x80,
    SessionEnded: 0x81,
    FaultLatched: 0x82,
} as const

/** Session states (enum State). */
export enum SessionState {
    Off = 0,
    Idle = 1,
    Running = 2,
    Paused = 3,
    Finishing = 4,
    Fault = 5,
}

/** Plain names of the session states, as the page shows them. */
export const STATE_NAMES = ["Off", "Idle", "Running", "Paused", "Finishing", "Fault"]

/** Result codes (enum Result), by value. */
export const RESULT_NAMES = [
    "Ok",
    "OutOfRange",
    "UnknownPattern",
    "WrongState",
    "Malformed",
    "OutOfOrder",
    "InvalidPattern",
    "TooLarge",
    "StoreFull",
    "ChecksumMismatch",
    "NoUpload",
    "HeatFault",
    "StorageFailed",
    "BuiltIn",
    "Busy",
    "Locked",
]

/** Result code Ok. */
export const RESULT_OK = 0
/** Result code UnknownPattern (also the end of the pattern list). */
export const RESULT_UNKNOWN_PATTERN = 2

/** Why a session ended (enum EndReason). */
export const END_REASONS = ["stopped", "timer ended", "a fault", "powered off"]

/** No valid reading in a telemetry temperature. */
export const NO_READING = -32768

/** One telemetry sample (register `telemetry`). */
export interface Telemetry {
    /** Channels: 4 per foot. */
    channels: number
    state: SessionState
    remainingS: number
    /** Bit c: heater c on in the current frame. */
    heaters: number
    /** Vibration level 0..255 per channel (channel = foot * 4 + zone). */
    levels: number[]
    /** Pad temperature per channel in C, NaN without a valid reading. */
    tempsC: number[]
}

/**
 * Decodes a telemetry payload: u8 n, u8 state, u16 remaining, u16 heater bits, n levels, n i16
 * temperatures in 0.1 C. Returns null for a payload of the wrong length.
 */
export function decodeTelemetry(b: Uint8Array): Telemetry {
    if (!b || b.length < 6) return null
    const n = b[0]
    if ((n !== 4 && n !== 8) || b.length < 6 + 3 * n) return null
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
    const levels: number[] = []
    const tempsC: number[] = []
    for (let c = 0; c < n; c++) levels.push(b[6 + c])
    for (let c = 0; c < n; c++) {
        const raw = view.getInt16(6 + n + 2 * c, true)
        tempsC.push(raw === NO_READING ? NaN : raw / 10)
    }
    return {
        channels: n,
        state: b[1],
        remainingS: view.getUint16(2, true),
        heaters: view.getUint16(4, true),
        levels,
        tempsC,
    }
}

/** Fletcher-16 of the bytes (the upload checksum: sum2 << 8 | sum1, both mod 255). */
export function fletcher16(bytes: Uint8Array): number {
    let s1 = 0
    let s2 = 0
    for (let i = 0; i < bytes.length; i++) {
        s1 = (s1 + bytes[i]) % 255
        s2 = (s2 + s1) % 255
    }
    return (s2 << 8) | s1
}

/** Largest data of one upload chunk. */
export const MAX_CHUNK_BYTES = 232
/** Largest custom pattern upload. */
export const MAX_UPLOAD_BYTES = 1024
