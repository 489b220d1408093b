// The control service's commands and refusals in the VM (see control.all.ts for why apart).
import "./control/commands.test"
