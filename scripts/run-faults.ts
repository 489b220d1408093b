/**
 * `npm run faults`: the fault matrix. Plays every scenario of test/faults/scenarios.ts in the
 * DeviceScript simulator (test/faults/vm-matrix.ts: the firmware's heat path on the thermal
 * model of 8 pads at high heat), prints a table and a closing line
 * `faults: N scenarios, M safe, max pad T C`, and exits 1 unless every scenario is safe.
 */
import { runOnBus } from "./vm-bus"
import { faultMessage } from "../src/core/thermal/faults"

interface Row {
    name: string
    safe: boolean
    timeToSafeMs: number
    maxC: number
    fault: number
    note: string
}

async function main() {
    const out = await runOnBus("test/faults/vm-matrix.ts", /FAULTS END/, 900000)
    const count = /FAULTS COUNT (\d+)/.exec(out)
    if (!count) throw new Error("the VM did not say how many scenarios it plays")
    const expected = parseInt(count[1])
    const rows: Row[] = []
    for (const line of out.split("\n")) {
        const m = /FAULTS (\d+)\|([^|]*)\|([01])\|(-?\d+)\|(\d+)\|(\d+)\|(.*)$/.exec(line.trim())
        if (m) {
            if (parseInt(m[1]) !== rows.length)
                throw new Error(
                    `scenario ${m[1]} reported where ${rows.length} was due (a restart or a lost line?)`
                )
            rows.push({
                name: m[2],
                safe: m[3] === "1",
                timeToSafeMs: parseInt(m[4]),
                maxC: parseInt(m[5]) / 100,
                fault: parseInt(m[6]),
                note: m[7],
            })
        }
    }
    if (rows.length !== expected) throw new Error(`${rows.length} of ${expected} scenarios reported`)
    if (rows.length < 10) throw new Error(`only ${rows.length} scenarios: the matrix needs at least 10`)
    console.log(
        "fault matrix (DeviceScript VM; 8 pads on the thermal model, heat high = 43 C, fault on pad 0):"
    )
    console.log(
        `  ${"scenario".padEnd(44)} ${"result".padEnd(7)} ${"to safe".padStart(9)} ${"max pad".padStart(8)}  fault`
    )
    for (const r of rows) {
        const safeTime = r.timeToSafeMs < 0 ? "-" : (r.timeToSafeMs / 1000).toFixed(1) + " s"
        const fault = r.fault === 0 ? "none" : faultMessage(r.fault).replace(/\.$/, "")
        console.log(
            `  ${r.name.padEnd(44)} ${(r.safe ? "safe" : "UNSAFE").padEnd(7)} ${safeTime.padStart(9)} ${(r.maxC.toFixed(2) + " C").padStart(8)}  ${fault}${r.note ? "  [" + r.note + "]" : ""}`
        )
    }
    const safe = rows.filter(r => r.safe).length
    const max = Math.max(...rows.map(r => r.maxC))
    console.log(`faults: ${rows.length} scenarios, ${safe} safe, max pad ${max.toFixed(2)} C`)
    process.exit(safe === rows.length ? 0 : 1)
}

if (require.main === module)
    main().catch(e => {
        console.error("fault matrix failed: " + (e && e.message ? e.message : e))
        process.exit(1)
    })
