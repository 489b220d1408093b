/*
 * Heat in normal use raises no fault and stays comfortable: the sweep of scripts/heat-sweep.ts
 * (rooms 10-35 C, noisy thermistors, every level, feet on, off, placed and removed, 15 min each).
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import { sweep } from "../../scripts/heat-sweep"

test(
    "no false fault in 540 sessions of normal use and 180 with glitches, targets held within 1 K, no pad over 44 C, feet found on and off",
    { timeout: 300000 },
    () => {
        const r = sweep()
        assert.equal(r.runs, 720)
        assert.equal(r.glitchRuns, 180)
        assert.deepEqual(r.offTarget, [])
        assert.deepEqual(r.faulty, [])
        assert.ok(r.maxC < 44, `a pad reached ${r.maxC} C`)
        // foot presence at medium and high heat: never a foot judged bare, every bare pad found
        // and held near the bare target, every foot put back found again
        const f = r.foot
        assert.deepEqual(f.falseBare, [])
        assert.equal(f.bareRuns, 240)
        assert.deepEqual(f.bareMissed, [])
        assert.ok(
            f.slowestBareAfterRemovalS <= 120,
            `a removed foot found after ${f.slowestBareAfterRemovalS} s`
        )
        assert.ok(f.maxBareHeldC <= 42, `a bare pad held at ${f.maxBareHeldC} C`)
        assert.equal(f.placedRuns, 120)
        assert.deepEqual(f.placedMissed, [])
        assert.ok(f.slowestFootBackS <= 180, `a foot put back found after ${f.slowestFootBackS} s`)
    }
)
