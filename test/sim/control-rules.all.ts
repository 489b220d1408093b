// The control service's pattern list, handler order, lock and fault refusals in the VM (apart from
// control-commands.all: together with the firmware's control path they pass the VM's 64 KB code limit).
import "./control/commands-more.test"
