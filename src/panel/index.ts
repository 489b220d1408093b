/*
 * The panel on the device: buttons -> gestures -> session commands, and the status LED
 * (`startBoardPanel` in board-panel.ts wires the board's).
 */
export * from "./buttons"
export * from "./builtin-menu"
export * from "./pattern-cycler"
export * from "./status-led"
