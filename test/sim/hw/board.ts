import * as ds from "@devicescript/core"
import { startServer } from "@devicescript/server"
import { FootIoServer } from "../../doubles/foot-io-server"

let board: FootIoServer = null
let role: ds.FootIo = null

/**
 * The in-VM Foot IO board and a role bound to it, shared by the hw tests: the role manager binds
 * roles by service type, so a second board in the same VM would not reliably get the new role.
 */
export async function sharedBoard(): Promise<FootIoServer> {
    if (!board) {
        board = new FootIoServer(8)
        role = new ds.FootIo(startServer(board))
    }
    const t0 = ds.millis()
    while (!role.isBound && ds.millis() - t0 < 5000) await ds.sleep(20)
    return board
}

/** The role bound to the shared board (after sharedBoard). */
export function sharedRole(): ds.FootIo {
    return role
}
