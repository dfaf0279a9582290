#include "check.h"
#include "fleet/ota_decision.h"

using namespace fleet;

static CheckinReply offer(uint32_t id, const char* version, uint32_t size = 300000,
						  const char* md5 = "e46546b0e447d2bb6846b3d5f0c2217a")
{
	CheckinReply reply;
	reply.state = DeviceState::Active;
	reply.hasFirmware = true;
	reply.firmware = FirmwareOffer{id, version, "/api/v1/devices/x/firmware/1", size, md5};
	return reply;
}

static OtaContext context()
{
	OtaContext c;
	c.runningVersion = "1.0.0";
	c.maxImageSize = 500000;
	c.nowMs = 1000;
	return c;
}

TEST("an offer of another version starts an update")
{
	std::string reason;
	CHECK(decideOta(offer(1, "1.1.0"), context(), reason) == OtaVerdict::Start);
}

TEST("no offer, the running version, or a non-active device: nothing to do")
{
	std::string reason;
	CheckinReply none;
	none.state = DeviceState::Active;
	CHECK(decideOta(none, context(), reason) == OtaVerdict::None);
	CHECK(decideOta(offer(1, "1.0.0"), context(), reason) == OtaVerdict::None);
	auto pending = offer(1, "1.1.0");
	pending.state = DeviceState::Pending;
	CHECK(decideOta(pending, context(), reason) == OtaVerdict::None);
}

TEST("unusable offers are refused before anything is written")
{
	std::string reason;
	CHECK(decideOta(offer(1, "1.1.0", 300000, "nope"), context(), reason) == OtaVerdict::Invalid);
	CHECK_EQ(reason, "offer has no valid md5");
	CHECK(decideOta(offer(1, "1.1.0", 0), context(), reason) == OtaVerdict::Invalid);
	CHECK(decideOta(offer(1, "1.1.0", 600000), context(), reason) == OtaVerdict::Invalid);
	CHECK(reason.find("does not fit") != std::string::npos);
	auto unknownSlot = context();
	unknownSlot.maxImageSize = 0;
	CHECK(decideOta(offer(1, "1.1.0", 600000), unknownSlot, reason) == OtaVerdict::Start);
}

TEST("pending acks are delivered before a restart into the new image")
{
	std::string reason;
	auto c = context();
	c.pendingAcks = 2;
	CHECK(decideOta(offer(1, "1.1.0"), c, reason) == OtaVerdict::DeferForAcks);
}

TEST("a failed offer waits for the retry delay; another offer does not")
{
	std::string reason;
	auto c = context();
	c.hasFailure = true;
	c.lastFailedId = 4;
	c.lastFailedAtMs = 1000;
	c.nowMs = 1000 + c.retryDelayMs - 1;
	CHECK(decideOta(offer(4, "1.1.0"), c, reason) == OtaVerdict::RecentlyFailed);
	CHECK(decideOta(offer(5, "1.2.0"), c, reason) == OtaVerdict::Start);
	c.nowMs = 1000 + c.retryDelayMs;
	CHECK(decideOta(offer(4, "1.1.0"), c, reason) == OtaVerdict::Start);
}

TEST("md5 must be 32 hex digits")
{
	CHECK(isMd5Hex("E46546B0E447D2BB6846B3D5F0C2217A"));
	CHECK(!isMd5Hex("e46546b0e447d2bb6846b3d5f0c2217"));
	CHECK(!isMd5Hex("g46546b0e447d2bb6846b3d5f0c2217a"));
}
