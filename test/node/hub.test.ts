/*
 * The hub alone (sim/hub/hub.ts on a test port, no VM): it serves its own page, and refuses a
 * foreign Origin, a Host that is not its own (DNS rebinding), text frames, oversize and
 * malformed frames; it carries good frames between bus clients. Run under
 * `flock /tmp/foot-bus.lock` like every test that opens loopback ports.
 */
import { test, before, after } from "node:test"
import assert from "node:assert/strict"
import { WebSocket } from "ws"
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Hub, PortTakenError } from "../../sim/hub/hub"
import { controlRoutes } from "../../sim/hub/control-routes"
import { frameRefusal, hostRefusal, isLoopbackAddress, originRefusal } from "../../sim/hub/guard"
import type { StackActions } from "../../sim/stack"
import { ROOT, http } from "./harness/stack"

const PORT = 18181
const OWN = `http://127.0.0.1:${PORT}`
let hub: Hub
const faultsSet: string[] = []

/** A stand-in for the stack behind /sim/: records what it is asked. */
const framesAsked: [number, number][] = []
const fakeStack = {
    setFault: (pad: number, fault: string) => faultsSet.push(`${pad}:${fault}`),
    status: () => ({ faults: faultsSet }),
    simNow: () => 1234.5,
    press: async (): Promise<void> => undefined,
    frames: (since: number, limit?: number) => {
        framesAsked.push([since, limit])
        return {
            now: 1234.5,
            total: 1,
            frames: [{ i: 7, t: 1200, levels: [1], heaters: 0, heaterPower: false }],
        }
    },
} as unknown as StackActions

before(
    async () => {
        hub = await Hub.start({ port: PORT, root: ROOT, control: controlRoutes(() => fakeStack) })
    },
    { timeout: 30000 }
)
after(
    async () => {
        if (hub) await hub.close()
    },
    { timeout: 30000 }
)

/** Opens a bus WebSocket with these headers; resolves "open" or the HTTP status it was refused with. */
function openBus(headers: Record<string, string>, path = "/bus"): Promise<{ ws: WebSocket; result: string }> {
    return new Promise(resolve => {
        const ws = new WebSocket(`ws://127.0.0.1:${PORT}${path}`, { headers })
        ws.on("open", () => resolve({ ws, result: "open" }))
        ws.on("unexpected-response", (_req, res) => resolve({ ws, result: `refused ${res.statusCode}` }))
        ws.on("error", e => resolve({ ws, result: `error ${e.message}` }))
    })
}

/** The close code the hub sends after `data`. */
function closeCodeAfter(ws: WebSocket, data: Buffer | string): Promise<number> {
    return new Promise(resolve => {
        ws.on("close", code => resolve(code))
        ws.on("error", () => undefined)
        ws.send(data)
    })
}

/** A well-formed frame: 12-byte header, one 4-byte packet header, `payload` bytes. */
function frame(payload: number): Buffer {
    const f = Buffer.alloc(16 + payload)
    f[2] = 4 + payload
    f[12] = payload
    return f
}

test(
    "the hub serves the built dashboard, or the placeholder that says so when there is none",
    { timeout: 30000 },
    async () => {
        const a = await http(PORT, "GET", "/")
        assert.equal(a.status, 200)
        const built = existsSync(join(ROOT, "dashboard", "dist", "index.html"))
        assert.match(a.body, built ? /<div id="app"><\/div>/ : /The dashboard is coming/)
        // a project without a built page (its sim/ only): the placeholder
        const bare = mkdtempSync(join(tmpdir(), "hub-"))
        symlinkSync(join(ROOT, "sim"), join(bare, "sim"))
        const other = await Hub.start({ port: PORT + 5, root: bare, control: controlRoutes(() => fakeStack) })
        try {
            const b = await http(PORT + 5, "GET", "/")
            assert.equal(b.status, 200)
            assert.match(b.body, /The dashboard is coming/)
        } finally {
            await other.close()
            rmSync(bare, { recursive: true, force: true })
        }
    }
)

test(
    "a WebSocket from the hub's own page is accepted (127.0.0.1 and localhost)",
    { timeout: 30000 },
    async () => {
        for (const origin of [OWN, `http://localhost:${PORT}`]) {
            const { ws, result } = await openBus({ Origin: origin })
            assert.equal(result, "open", origin)
            ws.close()
        }
    }
)

test("a WebSocket whose Origin is another site's is refused", { timeout: 30000 }, async () => {
    for (const origin of [
        "http://evil.example.com",
        `http://127.0.0.1:${PORT + 1}`,
        "null",
        `https://127.0.0.1:${PORT}`,
    ]) {
        const { result } = await openBus({ Origin: origin })
        assert.equal(result, "refused 403", origin)
    }
})

test(
    "a Host that is not the hub's (DNS rebinding) is refused, for the page and the bus",
    { timeout: 30000 },
    async () => {
        const page = await http(PORT, "GET", "/", undefined, { Host: `evil.example.com:${PORT}` })
        assert.equal(page.status, 421)
        const bus = await openBus({
            Host: `rebind.example.com:${PORT}`,
            Origin: `http://rebind.example.com:${PORT}`,
        })
        assert.equal(bus.result, "refused 403")
        const wrongPort = await openBus({ Host: `127.0.0.1:${PORT + 1}` })
        assert.equal(wrongPort.result, "refused 403")
    }
)

test("only /bus is a WebSocket", { timeout: 30000 }, async () => {
    const { result } = await openBus({}, "/other")
    assert.equal(result, "refused 403")
})

test(
    "a node client without an Origin on loopback joins, and frames pass between clients",
    { timeout: 30000 },
    async () => {
        const a = await openBus({})
        const b = await openBus({ Origin: OWN })
        assert.equal(a.result, "open")
        assert.equal(b.result, "open")
        const got = new Promise<Buffer>(resolve => b.ws.once("message", (d: Buffer) => resolve(d)))
        const sent = frame(236)
        a.ws.send(sent)
        assert.deepEqual(await got, sent)
        a.ws.close()
        b.ws.close()
    }
)

test(
    "a text frame is refused: the client is closed (1003) and nothing is passed on",
    { timeout: 30000 },
    async () => {
        const listener = await openBus({})
        let passed = 0
        listener.ws.on("message", () => passed++)
        const { ws } = await openBus({})
        assert.equal(await closeCodeAfter(ws, "hello"), 1003)
        await new Promise(r => setTimeout(r, 100))
        assert.equal(passed, 0)
        listener.ws.close()
    }
)

test("a frame over the Jacdac size (252 bytes) is refused (1009)", { timeout: 30000 }, async () => {
    const { ws } = await openBus({})
    assert.equal(await closeCodeAfter(ws, frame(237)), 1009) // 253 bytes
})

test("a frame whose length disagrees with its header is refused (1008)", { timeout: 30000 }, async () => {
    const { ws } = await openBus({})
    const f = frame(20)
    f[2] = 4
    assert.equal(await closeCodeAfter(ws, f), 1008)
})

test(
    "the control endpoint refuses a foreign Origin and a foreign Host, and takes its own page's",
    { timeout: 30000 },
    async () => {
        const body = { pad: 1, fault: "stuck-on" }
        const foreign = await http(PORT, "POST", "/sim/fault", body, { Origin: "http://evil.example.com" })
        assert.equal(foreign.status, 403)
        const rebound = await http(PORT, "POST", "/sim/fault", body, { Host: `evil.example.com:${PORT}` })
        assert.equal(rebound.status, 421)
        assert.deepEqual(faultsSet, [])
        const own = await http(PORT, "POST", "/sim/fault", body, { Origin: OWN })
        assert.equal(own.status, 200)
        assert.deepEqual(faultsSet, ["1:stuck-on"])
        const notJson = await http(PORT, "POST", "/sim/fault", undefined, { "Content-Type": "text/plain" })
        assert.equal(notJson.status, 400)
        const badFault = await http(PORT, "POST", "/sim/fault", { pad: 1, fault: "melt" })
        assert.equal(badFault.status, 400)
        assert.deepEqual(faultsSet, ["1:stuck-on"])
    }
)

test(
    "the frames endpoint: the board's recent frames for loopback and the hub's own page, since a time",
    { timeout: 30000 },
    async () => {
        const all = await http(PORT, "GET", "/sim/frames")
        assert.equal(all.status, 200)
        assert.deepEqual(all.body.frames[0], { i: 7, t: 1200, levels: [1], heaters: 0, heaterPower: false })
        const some = await http(PORT, "GET", "/sim/frames?since=1000.5&last=3", undefined, { Origin: OWN })
        assert.equal(some.status, 200)
        assert.deepEqual(framesAsked, [
            [-1, undefined],
            [1000.5, 3],
        ])
        const foreign = await http(PORT, "GET", "/sim/frames", undefined, {
            Origin: "http://evil.example.com",
        })
        assert.equal(foreign.status, 403)
        assert.equal((await http(PORT, "GET", "/sim/frames?since=soon")).status, 400)
        assert.equal((await http(PORT, "GET", "/sim/frames?last=0")).status, 400)
        assert.equal((await http(PORT, "POST", "/sim/frames", {})).status, 405)
        assert.equal(framesAsked.length, 2)
        const press = await http(PORT, "POST", "/sim/press", { button: "buttonUp" })
        assert.deepEqual(press.body, { ok: true, pressed: "buttonUp", at: 1234.5 })
    }
)

test("a second hub on the same port reports the port taken", { timeout: 30000 }, async () => {
    await assert.rejects(Hub.start({ port: PORT, root: ROOT }), (e: Error) => {
        assert.ok(e instanceof PortTakenError)
        assert.match(e.message, /port 18181 on 127\.0\.0\.1 is taken/)
        return true
    })
})

test("guard rules: loopback peers only, exact origins, exact hosts, frame sizes", { timeout: 30000 }, () => {
    assert.ok(
        isLoopbackAddress("127.0.0.1") && isLoopbackAddress("::1") && isLoopbackAddress("::ffff:127.0.0.1")
    )
    assert.ok(
        !isLoopbackAddress("192.168.1.2") &&
            !isLoopbackAddress("::ffff:10.0.0.1") &&
            !isLoopbackAddress(undefined)
    )
    assert.match(originRefusal(undefined, "192.168.1.2", 8080), /not on loopback/)
    assert.match(originRefusal(OWN, "10.0.0.1", PORT), /not on loopback/)
    assert.equal(originRefusal(undefined, "127.0.0.1", 8080), null)
    assert.match(originRefusal("http://127.0.0.1:8080.evil.com", "127.0.0.1", 8080), /not the hub's/)
    assert.equal(hostRefusal("LOCALHOST:8080", 8080), null)
    assert.match(hostRefusal("127.0.0.1", 8080), /not the hub's/)
    assert.match(hostRefusal(undefined, 8080), /no Host/)
    assert.equal(frameRefusal(frame(236), true), null)
    assert.match(frameRefusal(frame(236), false), /text/)
    assert.match(frameRefusal(frame(237), true), /over 252/)
    assert.match(frameRefusal(new Uint8Array(12), true), /under 16/)
})
