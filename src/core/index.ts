/**
 * The portable core's public API: node, the dashboard and the tests import only this module.
 * Everything here compiles with DeviceScript and with standard TypeScript alike.
 */
export * from "./util"
export * from "./frame"
export * from "./pattern"
export * from "./scheduler"
export * from "./physics"
export * from "./safety"
export * from "./thermal"
export * from "./session"
export * from "./panel"
