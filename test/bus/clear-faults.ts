// Stores an empty heat fault list in the simulator's flash (.devicescript/flash), so that a test
// that latched one leaves no fault behind for the next `npm start`: the factory step itself.
import "../../src/factory/provision"
