#include "agent_harness.h"
#include "check.h"

using namespace fleet;

static CheckinReply offerReply(uint32_t id = 1, const char* version = "1.1.0")
{
	auto reply = AgentHarness::quiet(1);
	reply.hasFirmware = true;
	reply.firmware =
		FirmwareOffer{id, version, "/api/v1/devices/aa:bb:cc:00:00:01/firmware/1", 300000, "e46546b0e447d2bb6846b3d5f0c2217a"};
	return reply;
}

TEST("an offer is downloaded from the server with the token, then the device restarts")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	agent.onCheckedIn(AgentHarness::ok(), offerReply());
	CHECK(agent.phase() == Phase::Updating);
	auto download = h.next();
	CHECK(download.kind == ActionKind::DownloadFirmware);
	CHECK_EQ(download.url, "http://10.77.0.1:3000/api/v1/devices/aa:bb:cc:00:00:01/firmware/1");
	CHECK_EQ(download.token, "tok-1");
	CHECK_EQ(download.offer.md5, "e46546b0e447d2bb6846b3d5f0c2217a");
	CHECK_EQ(download.offer.size, 300000u);
	CHECK(agent.poll().kind == ActionKind::None);
	agent.onOtaFinished(true, "");
	CHECK(h.next().kind == ActionKind::Reboot);
	CHECK(h.logged("OTA done: 1.1.0"));
}

TEST("a failed update is reported once, not retried at once, and the old image keeps running")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	agent.onCheckedIn(AgentHarness::ok(), offerReply(7));
	h.next();
	agent.onOtaFinished(false, "MD5 mismatch");
	CHECK(agent.phase() == Phase::CheckingIn);
	CHECK_EQ(h.flash.failedOtaId, 7u);
	auto report = h.next();
	CHECK(report.kind == ActionKind::Checkin);
	CHECK(report.checkinRequest.hasOta);
	CHECK_EQ(report.checkinRequest.ota.id, 7u);
	CHECK(!report.checkinRequest.ota.ok);
	CHECK_EQ(report.checkinRequest.ota.message, "MD5 mismatch");
	CHECK_EQ(report.checkinRequest.fwVersion, "1.0.0");
	// An old server might offer it again at once: no retry, and no hot loop of long-polls.
	agent.onCheckedIn(AgentHarness::ok(), offerReply(7));
	CHECK(agent.phase() == Phase::CheckingIn);
	CHECK_EQ(h.flash.failedOtaMessage, "");
	CHECK(agent.msUntilDue() >= 60000u);
	auto later = h.next();
	CHECK(!later.checkinRequest.hasOta);
	CHECK_EQ(later.waitSeconds, 0u);
	// After the retry delay the same offer is tried again.
	h.advance(h.settings.otaRetryDelayMs);
	agent.onCheckedIn(AgentHarness::ok(), offerReply(7));
	CHECK(agent.phase() == Phase::Updating);
}

TEST("acks of commands in the same reply go out before the update starts")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	auto reply = offerReply();
	reply.commands.push_back(Command{3, "identify", {}});
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK(agent.phase() == Phase::CheckingIn);
	auto withAck = h.next();
	CHECK_EQ(withAck.checkinRequest.acks.size(), 1u);
	agent.onCheckedIn(AgentHarness::ok(), offerReply());
	CHECK(agent.phase() == Phase::Updating);
}

TEST("an offer too big for the slot is reported as a failure without downloading")
{
	AgentHarness h;
	h.identity.maxImageSize = 1000;
	auto& agent = h.start();
	h.bringUp();
	agent.onCheckedIn(AgentHarness::ok(), offerReply(9));
	CHECK(agent.phase() == Phase::CheckingIn);
	auto report = h.next();
	CHECK(report.checkinRequest.hasOta);
	CHECK(report.checkinRequest.ota.message.find("does not fit") != std::string::npos);
	agent.onCheckedIn(AgentHarness::ok(), offerReply(9));
	CHECK(agent.msUntilDue() >= 60000u); // reported once; not again and not in a loop
	CHECK(!h.next().checkinRequest.hasOta);
}

TEST("after the restart into the new image, the new version is reported")
{
	AgentHarness h;
	h.flash.token = "tok-1";
	h.flash.serverId = "srv-1";
	h.flash.appliedCfgsn = 1;
	h.identity.fwVersion = "1.1.0";
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	auto checkin = h.next();
	CHECK_EQ(checkin.checkinRequest.fwVersion, "1.1.0");
	agent.onCheckedIn(AgentHarness::ok(), offerReply(1, "1.1.0")); // a stale offer of what runs
	CHECK(agent.phase() == Phase::CheckingIn);
}
