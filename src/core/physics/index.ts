/** What heat control and the supervisor both rest on: the thermistor conversion, the median filter, the pad and sensor models. */
export * from "./pad-model"
export * from "./sensor-filter"
export * from "./sensor-map"
export * from "./sensor-model"
export * from "./thermistor"
