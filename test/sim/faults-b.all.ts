// The fault matrix as tests, second half.
import { registerScenarios } from "./faults/register"
import { SCENARIO_COUNT } from "../faults/scenarios"
registerScenarios(9, SCENARIO_COUNT)
