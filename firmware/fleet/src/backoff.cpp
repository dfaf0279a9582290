#include "fleet/backoff.h"

namespace fleet
{
uint32_t Backoff::ceiling() const
{
	uint64_t delay = baseMs;
	for(uint32_t i = 0; i < attempts && delay < capMs; ++i) {
		delay *= 2;
	}
	return delay > capMs ? capMs : uint32_t(delay);
}

uint32_t Backoff::next()
{
	uint32_t ceil = ceiling();
	++attempts;
	uint32_t half = ceil / 2;
	uint32_t jitter = random ? random() % (ceil - half + 1) : 0;
	return half + jitter;
}

} // namespace fleet
