/** The panel: button gestures, what they do, and the status LED's pattern. */
export * from "./gestures"
export * from "./actions"
export * from "./led"
