/*
 * The simulator's control endpoint on the hub (the hub has already checked Host, peer and Origin):
 *
 *     GET  /sim/status                      the board, the panel, the bus and the VM (JSON)
 *     GET  /sim/frames?since=MS&last=N      the frames the board played after MS (simulator
 *                                           time; default all kept, the last 60 s), at most N
 *     POST /sim/press        {button, ms?}  press a button (answered at once with the simulator
 *                                           time of the press, `at`; released after ms)
 *     POST /sim/fault        {pad, fault}   inject a pad fault (sim/board.ts PAD_FAULTS; "none" repairs)
 *     POST /sim/clear-faults {}             repair every pad
 *     POST /sim/room         {ambientC}     room temperature, C
 *     POST /sim/hot-room     {on}           the room at 40 C, or back at 22 C
 *     POST /sim/bus-drop     {ms}           the bus carries nothing for ms
 *     POST /sim/brownout     {ms}           the power stage dark for ms, the VM restarted
 *     POST /sim/restart      {}             restart the VM
 *     POST /sim/control      {command, args?}  a command to the control service (sent without
 *                                           waiting for its answer; `at`: when it was sent)
 *
 * POST bodies are JSON (Content-Type application/json, at most 2 KB); a bad one gets 400 and a
 * reason, and changes nothing.
 */
import { IncomingMessage, ServerResponse } from "node:http"
import { PAD_FAULTS, PadFault } from "../board"
import { BUTTONS, isButtonName } from "../panel"
import type { StackActions } from "../stack"
import { ControlHandler, reply } from "./hub"

/** The longest POST body, bytes. */
const MAX_BODY = 2048

/** A request the endpoint cannot act on: 400 with its message. */
class BadRequest extends Error {}

type Body = Record<string, unknown>
type Route = (a: StackActions, body: Body) => Promise<unknown> | unknown

function num(body: Body, key: string): number {
    const v = body[key]
    if (typeof v !== "number" || !Number.isFinite(v)) throw new BadRequest(`${key} must be a number`)
    return v
}

const ROUTES: Record<string, Route> = {
    press: (a, b) => {
        const button = String(b.button)
        if (!isButtonName(button)) throw new BadRequest(`button must be one of ${BUTTONS.join(", ")}`)
        const ms = b.ms === undefined ? undefined : num(b, "ms")
        if (ms !== undefined && (ms < 0 || ms > 60000)) throw new BadRequest("ms must be 0..60000")
        const at = a.simNow()
        a.press(button, ms).catch((): void => undefined)
        return { pressed: button, at }
    },
    fault: (a, b) => {
        const fault = String(b.fault) as PadFault
        if (!PAD_FAULTS.includes(fault)) throw new BadRequest(`fault must be one of ${PAD_FAULTS.join(", ")}`)
        a.setFault(num(b, "pad"), fault)
        return { faults: a.status().faults }
    },
    "clear-faults": a => {
        a.clearFaults()
        return { faults: a.status().faults }
    },
    room: (a, b) => {
        a.setRoom(num(b, "ambientC"))
        return { ambientC: a.status().ambientC }
    },
    "hot-room": (a, b) => {
        if (typeof b.on !== "boolean") throw new BadRequest("on must be true or false")
        a.hotRoom(b.on)
        return { ambientC: a.status().ambientC }
    },
    "bus-drop": (a, b) => {
        a.busDrop(num(b, "ms"))
        return { dropped: true }
    },
    brownout: async (a, b) => {
        await a.brownout(num(b, "ms"))
        return { brownout: true }
    },
    restart: async a => {
        await a.restartVm()
        return { restarted: true }
    },
    control: (a, b) => {
        if (typeof b.command !== "string" || !b.command) throw new BadRequest("command must be a name")
        const args = b.args === undefined ? [] : b.args
        if (!Array.isArray(args)) throw new BadRequest("args must be an array")
        const at = a.simNow()
        return a.control(b.command, args).then(r => ({ ...r, at }))
    },
}

function readBody(req: IncomingMessage): Promise<Body> {
    return new Promise((resolve, reject) => {
        const type = (req.headers["content-type"] || "").split(";")[0].trim()
        if (type !== "application/json")
            return reject(new BadRequest("Content-Type must be application/json"))
        let size = 0
        const chunks: Buffer[] = []
        req.on("data", (c: Buffer) => {
            size += c.length
            if (size > MAX_BODY) {
                reject(new BadRequest(`body over ${MAX_BODY} bytes`))
                req.destroy()
            } else chunks.push(c)
        })
        req.on("end", () => {
            try {
                const text = Buffer.concat(chunks).toString("utf8")
                const v = text.trim() ? JSON.parse(text) : {}
                if (typeof v !== "object" || v === null || Array.isArray(v))
                    return reject(new BadRequest("body must be a JSON object"))
                resolve(v)
            } catch {
                reject(new BadRequest("body is not JSON"))
            }
        })
        req.on("error", reject)
    })
}

/** The /sim/ handler over the stack that `actions()` returns (null while it starts). */
export function controlRoutes(actions: () => StackActions | null): ControlHandler {
    return async (req: IncomingMessage, res: ServerResponse) => {
        const a = actions()
        if (!a) return reply(res, 503, { error: "the simulator is starting" })
        const name = new URL(req.url || "/", "http://x").pathname.replace(/^\/sim\/?/, "")
        if (name === "status") {
            if (req.method !== "GET") return reply(res, 405, { error: "GET /sim/status" })
            return reply(res, 200, a.status())
        }
        if (name === "frames") {
            if (req.method !== "GET") return reply(res, 405, { error: "GET /sim/frames" })
            const q = new URL(req.url || "/", "http://x").searchParams
            const since = q.has("since") ? Number(q.get("since")) : -1
            const last = q.has("last") ? Number(q.get("last")) : undefined
            if (!Number.isFinite(since)) return reply(res, 400, { error: "since must be ms" })
            if (last !== undefined && !(Number.isInteger(last) && last >= 1))
                return reply(res, 400, { error: "last must be a count >= 1" })
            return reply(res, 200, a.frames(since, last))
        }
        const route = ROUTES[name]
        if (!route)
            return reply(res, 404, { error: `no /sim/${name}; try ${Object.keys(ROUTES).join(", ")}` })
        if (req.method !== "POST") return reply(res, 405, { error: `POST /sim/${name}` })
        try {
            const result = await route(a, await readBody(req))
            reply(res, 200, { ok: true, ...(result as object) })
        } catch (e) {
            const bad =
                e instanceof BadRequest || /is not|no pad|no fault|no button/.test((e as Error).message)
            reply(res, bad ? 400 : 500, { error: (e as Error).message })
        }
    }
}
