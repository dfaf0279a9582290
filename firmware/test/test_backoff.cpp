#include "check.h"
#include "fleet/backoff.h"

using fleet::Backoff;

TEST("backoff doubles its ceiling up to the cap")
{
	Backoff backoff(1000, 8000, [] { return 0u; });
	CHECK_EQ(backoff.ceiling(), 1000u);
	CHECK_EQ(backoff.next(), 500u); // jitter 0 -> lower half
	CHECK_EQ(backoff.ceiling(), 2000u);
	backoff.next();
	backoff.next();
	CHECK_EQ(backoff.ceiling(), 8000u);
	backoff.next();
	backoff.next();
	CHECK_EQ(backoff.ceiling(), 8000u);
	CHECK_EQ(backoff.failures(), 5u);
}

TEST("backoff jitter stays within [ceiling/2, ceiling]")
{
	uint32_t seed = 12345;
	Backoff backoff(2000, 300000, [&] {
		seed = seed * 1103515245u + 12345u;
		return seed >> 8;
	});
	for(int i = 0; i < 40; ++i) {
		uint32_t ceiling = backoff.ceiling();
		uint32_t delay = backoff.next();
		CHECK(delay >= ceiling / 2);
		CHECK(delay <= ceiling);
	}
}

TEST("backoff uses the random source for jitter and resets")
{
	Backoff high(1000, 60000, [] { return 0xFFFFFFFFu; });
	uint32_t delay = high.next();
	CHECK(delay >= 500u && delay <= 1000u);
	CHECK(delay != 500u); // a large random number moves it off the floor
	high.next();
	high.reset();
	CHECK_EQ(high.failures(), 0u);
	CHECK_EQ(high.ceiling(), 1000u);
}
