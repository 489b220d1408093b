// The ESP32 board: the PCA9685 and ADS1115 drivers and the board's port, on register-level fakes.
import "./esp32/pca9685.test"
import "./esp32/ads1115.test"
import "./esp32/port.test"
import "./esp32/heat-path.test"
