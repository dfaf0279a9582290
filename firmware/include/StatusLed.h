/* The `identify` command: blink the status LED so the operator can find the device. */
#pragma once

#include <Timer.h>

class StatusLed
{
public:
	/* GPIO2 is the blue LED of ESP-12 modules, lit when the pin is low. */
	void begin(uint8_t pin = 2, bool activeLow = true);
	void blinkFor(unsigned seconds);

private:
	void toggle();

	Timer blinkTimer;
	uint8_t pin{2};
	bool activeLow{true};
	bool lit{false};
	unsigned togglesLeft{0};
};

extern StatusLed statusLed;
