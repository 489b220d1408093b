// The control service in the VM: custom pattern uploads (see control.all.ts for why apart).
import "./control/uploads.test"
