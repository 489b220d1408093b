import { describe, test, expect } from "@devicescript/test"
import { thrownBy } from "./rejects"
import { settings } from "@devicescript/settings"
import { builtinPatternAt } from "../../../src/core/pattern/library"
import { SafetySupervisor } from "../../../src/core/safety/supervisor"
import { FaultCode } from "../../../src/core/safety/faults"
import { deleteBlob, writeBlob } from "../../../src/storage/blob-store"
import { FAULTS_SETTING } from "../../../src/storage/fault-store"
import { writeJson } from "../../../src/storage/kv"
import { MAX_CUSTOM_PATTERNS, PatternStore } from "../../../src/storage/pattern-store"
import { USAGE_KEY, UsageHistory, loadUsage, saveUsage, weekOf } from "../../../src/storage/usage-history"
import { SessionSettings } from "../../../src/core/session/settings"
import { USER_SETTINGS_KEY, loadUserSettings, saveUserSettings } from "../../../src/storage/user-settings"
import {
    STORE_FAULTS,
    STORE_LOST,
    STORE_PATTERNS,
    STORE_SETTINGS,
    STORE_USAGE,
    Storage,
    FaultStore,
} from "../../../src/storage/index"

function customSpec(id: string): any {
    const s: any = builtinPatternAt(0)
    s.id = id
    s.name = "Mine " + id
    return s
}

function jsonBytes(spec: any): Buffer {
    return Buffer.from(JSON.stringify(spec))
}

async function wipePatterns() {
    const p = new PatternStore(20)
    await p.load()
    const l = p.list()
    for (let i = 0; i < l.length; i++) await p.remove(l[i].id)
}

async function wipeAll() {
    const keys = [FAULTS_SETTING, USER_SETTINGS_KEY, USAGE_KEY]
    for (let i = 0; i < keys.length; i++) await settings.delete(keys[i])
    for (let i = 0; i < MAX_CUSTOM_PATTERNS; i++) await deleteBlob("cp" + i)
}

describe("custom patterns", () => {
    test("round trip across a reload, bounded count, replace by id, delete", async () => {
        await wipePatterns()
        const p = new PatternStore(20)
        for (let i = 0; i < MAX_CUSTOM_PATTERNS; i++)
            await p.save(customSpec("mine-" + i), jsonBytes(customSpec("mine-" + i)))
        expect(
            (await thrownBy(async () => {
                await p.save(customSpec("one-more"), jsonBytes(customSpec("one-more")))
            })) !== null
        ).toBe(true)
        // the same id replaces, it does not need a slot
        const changed = customSpec("mine-2")
        changed.name = "Changed"
        await p.save(changed, jsonBytes(changed))
        const q = new PatternStore(20)
        expect(await q.load()).toBe(0)
        expect(q.list().length).toBe(MAX_CUSTOM_PATTERNS)
        expect(q.slots[2].name).toBe("Changed")
        expect((await q.spec("mine-3")).name).toBe("Mine mine-3")
        expect(await q.remove("mine-1")).toBe(true)
        expect(await q.remove("mine-1")).toBe(false)
        const r = new PatternStore(20)
        await r.load()
        expect(r.find("mine-1")).toBe(-1)
        expect(r.list().length).toBe(MAX_CUSTOM_PATTERNS - 1)
        expect(
            (await thrownBy(async () => {
                await r.save(customSpec("big"), Buffer.alloc(1025))
            })) !== null
        ).toBe(true)
        await wipePatterns()
    })
    test("a torn, corrupt or invalid stored pattern is dropped and reported; the others load", async () => {
        await wipePatterns()
        const p = new PatternStore(20)
        await p.save(customSpec("keep-a"), jsonBytes(customSpec("keep-a")))
        await p.save(customSpec("torn"), jsonBytes(customSpec("torn")))
        await p.save(customSpec("keep-b"), jsonBytes(customSpec("keep-b")))
        // slot 1 torn: a chunk overwritten
        await settings.set("cp10", Buffer.from("{}"))
        // slot 3: well-formed JSON that the validator refuses
        const bad = customSpec("bad")
        bad.durationMs = -5
        await writeBlob("cp3", jsonBytes(bad))
        const q = new PatternStore(20)
        expect(await q.load()).toBe(2)
        expect(q.find("keep-a")).toBe(0)
        expect(q.find("keep-b")).toBe(2)
        expect(q.find("torn")).toBe(-1)
        expect(q.slots[3]).toBe(null)
        // dropped slots are deleted: the next boot is clean
        expect(await new PatternStore(20).load()).toBe(0)
        await wipePatterns()
    })
})

describe("settings and usage", () => {
    test("settings round trip; corrupt or out of range falls back to defaults", async () => {
        const s = new SessionSettings()
        s.pattern = "kneading"
        s.intensity = 3
        s.heat = 2
        s.focus = [100, 150, 0, 200]
        s.minutes = 25
        await saveUserSettings(s)
        const back = await loadUserSettings()
        expect(back[1]).toBe(true)
        expect(back[0].intensity).toBe(3)
        expect(back[0].focus[1]).toBe(150)
        expect(back[0].minutes).toBe(25)
        const bads = [
            { p: "x", i: 9, h: 0, f: [100, 100, 100, 100], m: 15 },
            { p: "x", i: 1, h: 0, f: [100, 100, 100, 300], m: 15 },
            { p: "x", i: 1, h: 0, f: [100, 100, 100, 100], m: 17 },
            { p: "x", i: 1, h: 4, f: [100, 100, 100], m: 15 },
            { p: 5, i: 1, h: 0, f: [100, 100, 100, 100], m: 15 },
            [1, 2, 3],
        ]
        for (let i = 0; i < bads.length; i++) {
            await writeJson(USER_SETTINGS_KEY, bads[i])
            const r = await loadUserSettings()
            expect(r[1]).toBe(false)
            expect(r[0].intensity).toBe(1)
            expect(r[0].heat).toBe(0)
        }
        await settings.set(USER_SETTINGS_KEY, Buffer.from('{"p":"kn'))
        expect((await loadUserSettings())[1]).toBe(false)
        await settings.delete(USER_SETTINGS_KEY)
        expect((await loadUserSettings())[1]).toBe(true)
    })
    test("usage counts sessions and minutes per week, newest first, 8 weeks at most", async () => {
        const h = new UsageHistory()
        const w = weekOf(1767225600) // 2026-01-01
        h.sessionStarted(w)
        h.addMinutes(w, 15)
        h.sessionStarted(w)
        h.addMinutes(w, 10)
        h.sessionStarted(0)
        for (let i = 1; i <= 9; i++) h.sessionStarted(w - i)
        h.sessionStarted(w + 1)
        expect(h.weeks.length).toBe(8)
        expect(h.weeks[0][0]).toBe(w + 1)
        expect(h.weeks[1][0]).toBe(w)
        expect(h.weeks[1][1]).toBe(2)
        expect(h.weeks[1][2]).toBe(25)
        await saveUsage(h)
        const back = await loadUsage()
        expect(back[1]).toBe(true)
        expect(back[0].weeks[1][2]).toBe(25)
        await writeJson(USAGE_KEY, [[1, 2]])
        expect((await loadUsage())[1]).toBe(false)
        await writeJson(USAGE_KEY, [[1, 2, -3]])
        expect((await loadUsage())[1]).toBe(false)
        await settings.delete(USAGE_KEY)
    })
    test("a corrupt store is reported per store and loses nothing else; a lost store keeps heat off", async () => {
        await wipePatterns()
        await FaultStore.provision()
        const good = new SessionSettings()
        good.intensity = 4
        await saveUserSettings(good)
        const p = new PatternStore(20)
        await p.save(customSpec("kept"), jsonBytes(customSpec("kept")))
        await settings.set(USAGE_KEY, Buffer.from("[[3,"))
        const st = new Storage(new SafetySupervisor(8), 20)
        await st.load()
        expect(st.status).toBe(STORE_USAGE)
        expect(st.settings.intensity).toBe(4)
        expect(st.patterns.find("kept")).toBe(0)
        // the runtime reformats a corrupt store: every key gone (settings.clear does not act in
        // the simulator, so every key the firmware uses is deleted)
        await wipeAll()
        const sup = new SafetySupervisor(8)
        const lost = new Storage(sup, 20)
        await lost.load()
        expect(lost.status).toBe(STORE_FAULTS | STORE_LOST)
        expect(sup.activeFault()).toBe(FaultCode.RecordsLost)
        expect(sup.masterCutOpen()).toBe(true)
        expect(lost.settings.heat).toBe(0)
        expect(lost.patterns.list().length).toBe(0)
        await settings.set(USER_SETTINGS_KEY, Buffer.from("x"))
        await writeBlob("cp0", Buffer.from("{not json"))
        await FaultStore.provision()
        const st2 = new Storage(new SafetySupervisor(8), 20)
        await st2.load()
        expect(st2.status).toBe(STORE_SETTINGS | STORE_PATTERNS)
        await settings.delete(USER_SETTINGS_KEY)
    })
})
