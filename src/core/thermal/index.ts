/** Heat control: PI control per pad and the heat manager that feeds duties to the scheduler. */
export * from "./heat-control"
export * from "./heat-manager"
