/** The scheduler: intent plus frame index to one frame (layers, intensity, heater slicing, config). */
export * from "./config"
export * from "./heaters"
export * from "./intensity"
export * from "./layer"
export * from "./preview"
export * from "./scheduler"
