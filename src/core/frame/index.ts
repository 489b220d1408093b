/** Frames: the frame record, the clock, guards, batches and their wire format. */
export * from "./batcher"
export * from "./clock"
export * from "./frame"
export * from "./guard"
export * from "./wire"
