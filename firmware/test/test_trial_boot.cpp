#include "agent_harness.h"
#include "check.h"

using namespace fleet;

namespace
{
const char* newMd5 = "e46546b0e447d2bb6846b3d5f0c2217a";

CheckinReply offerReply(uint32_t id = 9)
{
	auto reply = AgentHarness::quiet(1);
	reply.hasFirmware = true;
	reply.firmware = FirmwareOffer{id, "1.1.0", "/api/v1/devices/aa:bb:cc:00:00:01/firmware/9", 300000, newMd5};
	return reply;
}

/* Takes offer 9 into slot 1 and restarts: returns with the flash as the restart leaves it. */
void takeUpdate(AgentHarness& h)
{
	auto& agent = h.start();
	h.bringUp();
	agent.onCheckedIn(AgentHarness::ok(), offerReply());
	h.next();
	agent.onOtaFinished(true, "", 1);
	CHECK(h.next().kind == ActionKind::Reboot);
	CHECK(h.flash.trial.pending());
	CHECK_EQ(h.flash.trial.slot, 1u);
	CHECK_EQ(h.flash.trial.md5, newMd5);
}

/* The new image boots once from slot 1 (rBoot temporary boot). */
Agent& bootTrial(AgentHarness& h)
{
	h.identity.fwVersion = "1.1.0";
	h.identity.fwMd5 = newMd5;
	h.bootFacts = BootFacts{1, true, "soft_restart"};
	return h.start();
}

/* A reset brought back the old image in slot 0. */
Agent& bootOld(AgentHarness& h, const char* reason)
{
	h.identity.fwVersion = "1.0.0";
	h.identity.fwMd5 = "0123456789abcdef0123456789abcdef";
	h.bootFacts = BootFacts{0, false, reason};
	return h.start();
}
} // namespace

TEST("boot facts go out in register and check-in: count, reason, slot, trial, and the image md5")
{
	AgentHarness h;
	h.identity.fwMd5 = "0123456789abcdef0123456789abcdef";
	h.bootFacts = BootFacts{0, false, "power_on"};
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	auto reg = h.next();
	CHECK_EQ(reg.registerRequest.boot.count, 1u);
	CHECK_EQ(reg.registerRequest.boot.reason, "power_on");
	CHECK(!reg.registerRequest.boot.trial);
	agent.onRegistered(AgentHarness::ok(201), AgentHarness::registered("tok-1"));
	auto checkin = h.next();
	CHECK_EQ(checkin.checkinRequest.fwMd5, "0123456789abcdef0123456789abcdef");
	CHECK_EQ(checkin.checkinRequest.boot.slot, 0u);
	h.bootFacts = BootFacts{0, false, "exception"};
	h.start();
	auto after = h.next();
	CHECK_EQ(after.checkinRequest.boot.count, 2u);
	CHECK_EQ(after.checkinRequest.boot.reason, "exception");
}

TEST("the new image runs on trial and becomes permanent only on a confirmation of its own md5")
{
	AgentHarness h;
	takeUpdate(h);
	auto& agent = bootTrial(h);
	auto first = h.next();
	CHECK(first.checkinRequest.boot.trial);
	CHECK_EQ(first.checkinRequest.boot.slot, 1u);
	CHECK_EQ(first.waitSeconds, 0u); // the confirmation is wanted now
	auto wrong = AgentHarness::quiet(1);
	wrong.confirmMd5 = "ffffffffffffffffffffffffffffffff";
	agent.onCheckedIn(AgentHarness::ok(), wrong);
	CHECK(h.confirmedSlots.empty());
	CHECK(agent.bootReport().trial);
	auto confirm = AgentHarness::quiet(1);
	confirm.confirmMd5 = "E46546B0E447D2BB6846B3D5F0C2217A";
	h.next();
	agent.onCheckedIn(AgentHarness::ok(), confirm);
	CHECK_EQ(h.confirmedSlots.size(), 1u);
	CHECK_EQ(h.confirmedSlots[0], 1u);
	CHECK(!h.flash.trial.pending());
	CHECK_EQ(agent.msUntilDue(), 0u);
	CHECK(!h.next().checkinRequest.boot.trial); // reported at once
	// Well past the deadline nothing happens any more.
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	h.advance(h.settings.trialDeadlineMs * 2);
	CHECK(h.next().kind == ActionKind::Checkin);
}

TEST("a crash of the trial image brings back the old slot, which reports the rollback once")
{
	AgentHarness h;
	takeUpdate(h);
	bootTrial(h); // crashes before its first check-in
	auto& old = bootOld(h, "exception");
	CHECK(!h.flash.trial.pending());
	auto report = h.next();
	CHECK(report.kind == ActionKind::Checkin);
	CHECK(report.checkinRequest.hasOta);
	CHECK_EQ(report.checkinRequest.ota.id, 9u);
	CHECK(!report.checkinRequest.ota.ok);
	CHECK(report.checkinRequest.ota.rolledBack);
	CHECK_EQ(report.checkinRequest.ota.message, "rolled back: exception");
	CHECK(!report.checkinRequest.boot.trial);
	CHECK_EQ(report.checkinRequest.boot.slot, 0u);
	CHECK_EQ(report.checkinRequest.fwVersion, "1.0.0");
	// The server still offers it: not taken again at once.
	old.onCheckedIn(AgentHarness::ok(), offerReply());
	CHECK(old.phase() == Phase::CheckingIn);
	CHECK(!h.next().checkinRequest.hasOta);
}

TEST("a watchdog reset of the trial image is reported as such")
{
	AgentHarness h;
	takeUpdate(h);
	bootTrial(h);
	bootOld(h, "hardware_wdt");
	CHECK_EQ(h.next().checkinRequest.ota.message, "rolled back: hardware_wdt");
}

TEST("no confirmation within the deadline: the trial image restarts into the old slot")
{
	AgentHarness h;
	takeUpdate(h);
	auto& agent = bootTrial(h);
	h.next(); // check-in in flight, never answered
	h.advance(h.settings.trialDeadlineMs - 1);
	CHECK(agent.poll().kind == ActionKind::None);
	h.advance(1);
	CHECK(agent.poll().kind == ActionKind::Reboot);
	CHECK(h.confirmedSlots.empty());
	CHECK_EQ(h.flash.trial.endNote, "no confirmation within 300 s");
	bootOld(h, "soft_restart");
	auto report = h.next();
	CHECK(report.checkinRequest.ota.rolledBack);
	CHECK_EQ(report.checkinRequest.ota.message, "rolled back: no confirmation within 300 s");
}

TEST("three check-ins answered without confirmation end the trial too")
{
	AgentHarness h;
	takeUpdate(h);
	auto& agent = bootTrial(h);
	for(uint32_t i = 0; i < h.settings.trialMaxUnconfirmed; ++i) {
		auto checkin = h.next();
		CHECK(checkin.kind == ActionKind::Checkin);
		CHECK(checkin.checkinRequest.boot.trial);
		agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	}
	CHECK(agent.phase() == Phase::Restarting);
	CHECK_EQ(h.flash.trial.endNote, "3 check-ins answered without confirmation");
}

TEST("on trial no other offer is taken: the old slot must stay intact")
{
	AgentHarness h;
	takeUpdate(h);
	auto& agent = bootTrial(h);
	h.next();
	auto reply = offerReply(10);
	reply.firmware.version = "1.2.0";
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK(agent.phase() == Phase::CheckingIn);
}

TEST("a trial slot already made permanent is not taken for a rollback after a power cut")
{
	AgentHarness h;
	takeUpdate(h);
	h.identity.fwVersion = "1.1.0";
	h.bootFacts = BootFacts{1, false, "power_on"};
	h.start();
	CHECK(!h.flash.trial.pending());
	auto checkin = h.next();
	CHECK(!checkin.checkinRequest.hasOta);
	CHECK(!checkin.checkinRequest.boot.trial);
}

TEST("a confirmation that cannot be written keeps the trial, which then ends by itself")
{
	AgentHarness h;
	h.confirmWorks = false;
	takeUpdate(h);
	auto& agent = bootTrial(h);
	auto confirm = AgentHarness::quiet(1);
	confirm.confirmMd5 = newMd5;
	h.next();
	agent.onCheckedIn(AgentHarness::ok(), confirm);
	CHECK(agent.bootReport().trial);
	CHECK(h.logged("could not be made permanent"));
}
