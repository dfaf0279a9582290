/*
 * Exponential backoff with "equal jitter": the n-th retry waits between d/2 and d where
 * d = min(base * 2^n, cap). Jitter spreads a fleet that lost its server at the same moment.
 */
#pragma once

#include <cstdint>
#include <functional>

namespace fleet
{
using RandomSource = std::function<uint32_t()>;

class Backoff
{
public:
	Backoff(uint32_t baseMs, uint32_t capMs, RandomSource random)
		: baseMs(baseMs), capMs(capMs), random(std::move(random))
	{
	}

	/* Delay before the next attempt; each call doubles the ceiling up to the cap. */
	uint32_t next();
	void reset()
	{
		attempts = 0;
	}
	uint32_t failures() const
	{
		return attempts;
	}
	/* Ceiling the next call would use (without jitter). */
	uint32_t ceiling() const;

private:
	uint32_t baseMs;
	uint32_t capMs;
	RandomSource random;
	uint32_t attempts{0};
};

} // namespace fleet
