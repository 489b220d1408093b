// Deletes the heat faults the firmware stored in the simulator's flash (.devicescript/flash), so
// that a test that latched one leaves no fault behind for the next `npm start`.
import * as ds from "@devicescript/core"
import { deleteSetting, readSetting } from "@devicescript/settings"
import { FAULTS_SETTING } from "../../src/fault-store"

await deleteSetting(FAULTS_SETTING)
// the simulator writes its flash file a moment later: wait, and check
await ds.sleep(1500)
const left = await readSetting(FAULTS_SETTING, null)
console.log(left === null ? "FAULTS CLEARED" : "FAULTS LEFT " + JSON.stringify(left))
