// The VM side of test/node/panel.test.ts: binds five button roles and a status light the way the
// firmware does (named roles, bound by type in alphabetical order to the simulator's buttons),
// prints each press and paints the light a colour of that button's own.
import * as ds from "@devicescript/core"

const led = new ds.Led("statusLight")
const buttons = [
    new ds.Button("buttonDown"),
    new ds.Button("buttonHeat"),
    new ds.Button("buttonMode"),
    new ds.Button("buttonPower"),
    new ds.Button("buttonUp"),
]
const names = ["buttonDown", "buttonHeat", "buttonMode", "buttonPower", "buttonUp"]
const colors = [0x0000ff, 0xff0000, 0x00ff00, 0xffffff, 0xffff00]

function watch(i: number) {
    buttons[i].down.subscribe(async () => {
        console.log(`PANEL down ${names[i]}`)
        const px = Buffer.alloc(3)
        px[0] = (colors[i] >> 16) & 255
        px[1] = (colors[i] >> 8) & 255
        px[2] = colors[i] & 255
        await led.pixels.write(px)
    })
}
for (let i = 0; i < 5; i++) watch(i)

const t0 = ds.millis()
let bound = 0
while (ds.millis() - t0 < 20000) {
    bound = 0
    for (let i = 0; i < 5; i++) if (buttons[i].isBound) bound++
    if (bound === 5 && led.isBound) break
    await ds.sleep(100)
}
console.log(`PANEL bound ${bound} led ${led.isBound}`)
