/**
 * `npm run faults`: the fault matrix. Plays every scenario of test/faults/scenarios.ts in the
 * DeviceScript simulator (test/faults/vm-matrix.ts: the firmware's heat path on the thermal
 * model of 8 pads at high heat) and a sample of the generated family (one scenario per family,
 * the first SAMPLE_END_MS of its session, compared with node over the same slice and seed), then
 * the generated family of single faults
 * (test/faults/family.ts) in node on the same core code, prints a table, a summary per family
 * and a closing line `faults: N scenarios, M safe, max pad T C` (TRUE pad temperatures), and
 * exits 1 unless every scenario is safe and the VM sample agrees with node. `--family-only`
 * skips the VM part.
 */
import { runOnBus } from "./vm-bus"
import { faultMessage } from "../src/core"
import { SAMPLE_END_MS, familyScenarios, familySeed, runFamilyScenario } from "../test/faults/family"

/** Plays the generated family; prints one line per family; returns [count, safe, max C]. */
function runFamily(): number[] {
    const list = familyScenarios()
    const families: string[] = []
    const stats: {
        [f: string]: { n: number; safe: number; maxC: number; slowest: number; faults: Set<number> }
    } = {}
    const unsafe: string[] = []
    list.forEach((sc, i) => {
        const r = runFamilyScenario(sc, familySeed(i))
        if (!stats[sc.family]) {
            families.push(sc.family)
            stats[sc.family] = { n: 0, safe: 0, maxC: 0, slowest: -1, faults: new Set() }
        }
        const st = stats[sc.family]
        st.n++
        if (r.safe) st.safe++
        else unsafe.push(`  UNSAFE ${sc.name}: max ${r.maxC.toFixed(2)} C, backstop trips ${r.backstopTrips}`)
        st.maxC = Math.max(st.maxC, r.maxC)
        st.slowest = Math.max(st.slowest, r.timeToSafeMs)
        if (r.fault) st.faults.add(r.fault)
    })
    console.log(
        "generated single faults (node, same core code; fault on pad 0, 30-minute sessions, rooms 10/22/35 C, foot on/off):"
    )
    console.log(
        `  ${"family".padEnd(20)} ${"count".padStart(5)} ${"safe".padStart(5)} ${"max true pad".padStart(13)} ${"slowest to safe".padStart(16)}  faults latched`
    )
    let safe = 0
    let max = 0
    for (const f of families) {
        const st = stats[f]
        safe += st.safe
        max = Math.max(max, st.maxC)
        const slow = st.slowest < 0 ? "-" : (st.slowest / 1000).toFixed(1) + " s"
        const codes = Array.from(st.faults).sort((a, b) => a - b)
        console.log(
            `  ${f.padEnd(20)} ${String(st.n).padStart(5)} ${String(st.safe).padStart(5)} ${(st.maxC.toFixed(2) + " C").padStart(13)} ${slow.padStart(16)}  ${codes.join(",") || "none"}`
        )
    }
    for (const line of unsafe) console.log(line)
    return [list.length, safe, max]
}

interface Row {
    name: string
    safe: boolean
    timeToSafeMs: number
    maxC: number
    fault: number
    note: string
}

async function main() {
    if (process.argv.indexOf("--family-only") >= 0) {
        const [n, safe, max] = runFamily()
        console.log(`faults: ${n} scenarios, ${safe} safe, max pad ${max.toFixed(2)} C`)
        process.exit(safe === n ? 0 : 1)
    }
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
    // the sample of the family the VM played (the first SAMPLE_END_MS of each session): safe
    // there too, and as node plays the same slice with the same seed
    const sample = familyScenarios(true)
    let sampleOk = 0
    console.log(
        `a sample of the generated family in the VM (one per family, the first ${SAMPLE_END_MS / 1000} s of the session), beside node:`
    )
    console.log(
        `  ${"scenario".padEnd(44)} ${"VM".padEnd(7)} ${"max pad".padStart(8)} ${"node".padStart(8)} ${"to safe".padStart(9)} ${"node".padStart(9)}  fault VM/node`
    )
    for (const sc of sample) {
        const i = sc.index
        const m = new RegExp(`FAMILY ${i}\\|[^|]*\\|([01])\\|(-?\\d+)\\|(\\d+)\\|(\\d+)`).exec(out)
        const node = runFamilyScenario(sc, familySeed(i), SAMPLE_END_MS)
        const vmMax = m ? parseInt(m[3]) / 100 : NaN
        const vmSafeMs = m ? parseInt(m[2]) : NaN
        const vmFault = m ? parseInt(m[4]) : -1
        // the VM sends hundredths of a degree (rounded): the same run gives the same hundredths,
        // one apart at most where the two maths round a last bit differently next to a half
        const agree =
            !!m &&
            m[1] === "1" &&
            Math.abs(parseInt(m[3]) - Math.round(node.maxC * 100)) <= 1 &&
            vmFault === node.fault &&
            vmSafeMs === node.timeToSafeMs
        if (agree) sampleOk++
        const secs = (ms: number) => (ms < 0 ? "-" : (ms / 1000).toFixed(1) + " s")
        console.log(
            `  ${sc.name.padEnd(44)} ${(m ? (m[1] === "1" ? "safe" : "UNSAFE") : "missing").padEnd(7)} ${(vmMax.toFixed(2) + " C").padStart(8)} ${(node.maxC.toFixed(2) + " C").padStart(8)} ${secs(vmSafeMs).padStart(9)} ${secs(node.timeToSafeMs).padStart(9)}  ${vmFault}/${node.fault}${agree ? "" : "  DISAGREE"}`
        )
    }
    console.log(
        `VM sample: ${sampleOk} of ${sample.length} safe and agreeing with node (max pad to 0.01 C, same fault, same time to safe)`
    )
    const [n, familySafe, familyMax] = runFamily()
    const safe = rows.filter(r => r.safe).length + familySafe
    const total = rows.length + n
    const max = Math.max(familyMax, ...rows.map(r => r.maxC))
    console.log(`faults: ${total} scenarios, ${safe} safe, max pad ${max.toFixed(2)} C`)
    process.exit(safe === total && sampleOk === sample.length ? 0 : 1)
}

if (require.main === module)
    main().catch(e => {
        console.error("fault matrix failed: " + (e && e.message ? e.message : e))
        process.exit(1)
    })
