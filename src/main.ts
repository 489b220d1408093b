import * as ds from "@devicescript/core"

setInterval(async () => {
    console.log(":)")
}, 1000)
