// The control service in the VM: codecs. The commands, the uploads and the soak run in their own
// images (control-commands.all.ts, control-uploads.all.ts, control-soak.all.ts): together they
// pass the VM verifier's 64 KB limit on function code (verification error -1051).
import "./control/codecs.test"
