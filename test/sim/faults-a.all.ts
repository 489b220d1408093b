// The fault matrix as tests, first half (the other half runs alongside: test/sim/faults-b.all.ts).
import { registerScenarios } from "./faults/register"
registerScenarios(0, 9)
