// Storage: the bounded key-value road, blobs across keys, custom patterns, settings, usage, faults.
import "./storage/kv-blob.test"
import "./storage/stores.test"
import "./storage/fault-store.test"
