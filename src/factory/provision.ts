/*
 * The factory step of a new device: stores an empty heat fault list, so that the first boot
 * does not read as a lost store (a missing list latches "records lost": docs/storage.md).
 * `npm start` runs it once for a simulated device whose flash does not exist yet
 * (.devicescript/flash); tests run it to leave no fault behind (test/bus/clear-faults.ts).
 * Prints `FAULTS CLEARED` when the list reads back empty, else `FAULTS LEFT ...`.
 */
import * as ds from "@devicescript/core"
import { readSetting } from "@devicescript/settings"
import { FAULTS_SETTING, FaultStore } from "../storage/fault-store"

await FaultStore.provision()
// the simulator writes its flash file a moment later: wait, and check
await ds.sleep(1500)
const left = await readSetting(FAULTS_SETTING, null)
const clean = Array.isArray(left) && left.length === 0
console.log(clean ? "FAULTS CLEARED" : "FAULTS LEFT " + JSON.stringify(left))
