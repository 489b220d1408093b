import { describe, test, expect } from "@devicescript/test"
import { RESULT_NO_UPLOAD, RESULT_OK } from "../../../src/control/results"
import { UPLOAD_IDLE_MS, Upload } from "../../../src/control/upload"
import { decodeTelemetry, encodeTelemetry, telemetrySize } from "../../../src/control/telemetry"

describe("upload and telemetry codecs", () => {
    test("an idle upload is dropped", () => {
        const u = new Upload()
        expect(u.begin(10, 0, 0)).toBe(RESULT_OK)
        expect(u.chunk(0, Buffer.alloc(5), UPLOAD_IDLE_MS - 1)).toBe(RESULT_OK)
        expect(u.chunk(5, Buffer.alloc(5), 2 * UPLOAD_IDLE_MS + 1)).toBe(RESULT_NO_UPLOAD)
    })
    test("telemetry packs and unpacks", () => {
        const out = Buffer.alloc(telemetrySize(8))
        encodeTelemetry(
            out,
            2,
            612,
            0x81,
            [0, 10, 255, 3, 4, 5, 6, 7],
            [30.04, NaN, -5, 44.96, 20, 21, 22, 23]
        )
        const t = decodeTelemetry(out)
        expect(out.length).toBe(30)
        expect(t.state).toBe(2)
        expect(t.remainingS).toBe(612)
        expect(t.heaters).toBe(0x81)
        expect(t.levels[2]).toBe(255)
        expect(t.tempsC[0]).toBe(30)
        expect(t.tempsC[1] === t.tempsC[1]).toBe(false)
        expect(t.tempsC[2]).toBe(-5)
        expect(t.tempsC[3]).toBe(45)
        expect(decodeTelemetry(out.slice(0, 20))).toBe(null)
    })
})
