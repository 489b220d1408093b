/** The safety supervisor, its fault codes and their flash codec. */
export * from "./codec"
export * from "./faults"
export * from "./limits"
export * from "./supervisor"
export * from "./history"
