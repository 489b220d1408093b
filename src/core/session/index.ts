/** The session: the only owner of intent (states, commands and their refusals, settings). */
export * from "./states"
export * from "./settings"
export * from "./session"
