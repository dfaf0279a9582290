#include <StatusLed.h>
#include <Digital.h>
#include <debug_progmem.h>

StatusLed statusLed;

void StatusLed::begin(uint8_t pin, bool activeLow)
{
	this->pin = pin;
	this->activeLow = activeLow;
	pinMode(pin, OUTPUT);
	digitalWrite(pin, activeLow);
}

void StatusLed::blinkFor(unsigned seconds)
{
	debug_i("[identify] blinking the LED for %u s", seconds);
	togglesLeft = seconds * 8; // 4 Hz
	blinkTimer.initializeMs(125, TimerDelegate(&StatusLed::toggle, this)).start();
}

void StatusLed::toggle()
{
	if(togglesLeft == 0) {
		blinkTimer.stop();
		lit = false;
		digitalWrite(pin, activeLow);
		debug_i("[identify] done");
		return;
	}
	--togglesLeft;
	lit = !lit;
	digitalWrite(pin, lit != activeLow);
}
