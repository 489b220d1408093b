import * as ds from "@devicescript/core"
import { board } from "@dsboard/foot_massager_v1"
import { GestureRecognizer } from "../core/panel/gestures"
import { PanelActions } from "../core/panel/actions"
import { Session } from "../core/session/session"
import { BUTTON_TICK_MS, PanelButtons } from "./buttons"
import { MenuCycler, PatternMenu } from "./pattern-cycler"
import { StatusLed } from "./status-led"

/**
 * Starts the board's five buttons (board JSON `$services`: power, mode, up, down, heat) and the
 * status light on `session`, and their fibers: buttons -> gestures -> session commands; the mode
 * button steps through `menu`. (Its own function: the firmware's top level grew past what the
 * compiler's verifier takes in one function.)
 */
export function startBoardPanel(session: Session, menu: PatternMenu) {
    const buttons = new PanelButtons(
        [
            board.startButtonPower(),
            board.startButtonMode(),
            board.startButtonUp(),
            board.startButtonDown(),
            board.startButtonHeat(),
        ],
        new GestureRecognizer(new PanelActions(session, new MenuCycler(session, menu)))
    )
    const led = new StatusLed(session, new ds.Led())
    // one fiber for both: the gestures' ticks and the light
    const ticking = async () => {
        while (true) {
            const now = ds.millis()
            buttons.gestures.tick(now)
            await led.update(now)
            await ds.sleep(BUTTON_TICK_MS)
        }
    }
    ticking.start()
}
