// The control service soak in the VM: 100,000 random commands, uploads and sessions.
import "./control/soak.test"
