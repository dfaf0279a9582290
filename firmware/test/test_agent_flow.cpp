#include "agent_harness.h"
#include "check.h"

using namespace fleet;

TEST("discover, register, persist the token, then check in with telemetry")
{
	AgentHarness h;
	auto& agent = h.start();
	auto discover = h.next();
	CHECK(discover.kind == ActionKind::Discover);
	CHECK(agent.poll().kind == ActionKind::None); // in flight
	agent.onDiscovered({AgentHarness::server("other", "10.77.0.9"), AgentHarness::server("srv-1")});
	auto reg = h.next();
	CHECK(reg.kind == ActionKind::Register);
	CHECK_EQ(reg.url, "http://10.77.0.9:3000/api/v1/devices/aa:bb:cc:00:00:01/register");
	CHECK_EQ(reg.token, "");
	CHECK_EQ(reg.registerRequest.identity.fwVersion, "1.0.0");
	CHECK_EQ(reg.registerRequest.telemetry.ssid, "lab");
	agent.onRegistered(AgentHarness::ok(201), AgentHarness::registered("tok-1", DeviceState::Active, 1, "{}"));
	CHECK_EQ(h.flash.token, "tok-1");
	CHECK_EQ(h.flash.serverId, "other");
	CHECK_EQ(h.flash.appliedCfgsn, 1u);
	CHECK_EQ(h.appliedConfigs.count(1), 1u);
	auto checkin = h.next();
	CHECK(checkin.kind == ActionKind::Checkin);
	CHECK_EQ(checkin.token, "tok-1");
	CHECK_EQ(checkin.waitSeconds, 0u); // the first one reports at once
	CHECK_EQ(checkin.checkinRequest.cfgsn, 1u);
	CHECK_EQ(checkin.checkinRequest.telemetry.rssi, -60);
	CHECK_EQ(checkin.checkinRequest.fwVersion, "1.0.0");
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	auto longPoll = h.next();
	CHECK(longPoll.kind == ActionKind::Checkin);
	CHECK_EQ(longPoll.waitSeconds, 60u);
	CHECK_EQ(longPoll.url, "http://10.77.0.9:3000/api/v1/devices/aa:bb:cc:00:00:01/checkin?wait=60");
}

TEST("without long-poll the check-in interval comes from the server")
{
	AgentHarness h;
	h.settings.longPoll = false;
	auto& agent = h.start();
	h.bringUp();
	auto reply = AgentHarness::quiet(1);
	reply.interval = 15;
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(agent.msUntilDue(), 15000u);
	auto checkin = h.next();
	CHECK_EQ(checkin.waitSeconds, 0u);
	CHECK_EQ(checkin.url.find('?'), std::string::npos);
	reply.interval = 1; // below the floor
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(agent.intervalSeconds(), h.settings.minIntervalSeconds);
}

TEST("a config change is applied, persisted, and its cfgsn reported at once")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	auto reply = AgentHarness::quiet(2);
	reply.hasConfig = true;
	reply.configJson = R"({"led":true,"period":30})";
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(h.appliedConfigs[2], R"({"led":true,"period":30})");
	CHECK_EQ(h.flash.appliedCfgsn, 2u);
	CHECK(h.logged("config applied: cfgsn 1 -> 2"));
	auto report = h.next();
	CHECK_EQ(agent.msUntilDue(), 0u);
	CHECK_EQ(report.checkinRequest.cfgsn, 2u);
	CHECK_EQ(report.waitSeconds, 0u);
}

TEST("a config the application rejects keeps the old cfgsn")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	h.acceptConfig = false;
	auto reply = AgentHarness::quiet(3);
	reply.hasConfig = true;
	reply.configJson = "{}";
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(agent.stored().appliedCfgsn, 1u);
	CHECK(h.logged("config 3 rejected"));
}

TEST("a config for the same cfgsn is not applied twice")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	h.appliedConfigs.clear();
	auto reply = AgentHarness::quiet(1);
	reply.hasConfig = true;
	reply.configJson = "{}";
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK(h.appliedConfigs.empty());
}

TEST("commands run and their acks go out in the next check-in, then are dropped")
{
	AgentHarness h;
	auto& agent = h.start();
	unsigned blinked = 0;
	agent.commands().setIdentifyHook([&](unsigned s) { blinked = s; });
	h.bringUp();
	auto reply = AgentHarness::quiet(1);
	reply.commands.push_back(Command{5, "identify", {{"seconds", "3"}}});
	reply.commands.push_back(Command{6, "nope", {}});
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(blinked, 3u);
	CHECK_EQ(h.flash.pendingAcks.size(), 2u);
	auto withAcks = h.next();
	CHECK_EQ(agent.msUntilDue(), 0u);
	CHECK_EQ(withAcks.checkinRequest.acks.size(), 2u);
	if(withAcks.checkinRequest.acks.size() == 2) {
		CHECK(withAcks.checkinRequest.acks[0].ok);
		CHECK_EQ(withAcks.checkinRequest.acks[0].result, "blinked 3 s");
		CHECK(!withAcks.checkinRequest.acks[1].ok);
	}
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK(h.flash.pendingAcks.empty());
	CHECK_EQ(h.next().checkinRequest.acks.size(), 0u);
}

TEST("acks survive a failed check-in")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	auto reply = AgentHarness::quiet(1);
	reply.commands.push_back(Command{5, "identify", {}});
	agent.onCheckedIn(AgentHarness::ok(), reply);
	h.next();
	agent.onCheckedIn(AgentHarness::status(503), {});
	CHECK_EQ(h.next().checkinRequest.acks.size(), 1u);
	agent.onCheckedIn(AgentHarness::status(0), {}); // gone: found again, the ack still goes out
	CHECK(h.next().kind == ActionKind::Discover);
	agent.onDiscovered({AgentHarness::server("srv-1")});
	CHECK_EQ(h.next().checkinRequest.acks.size(), 1u);
}

TEST("reboot: the ack is on flash before the restart and goes out after it, without a second reboot")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	auto reply = AgentHarness::quiet(1);
	reply.commands.push_back(Command{2, "reboot", {}});
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK(agent.phase() == Phase::Restarting);
	CHECK_EQ(h.flash.pendingAcks.size(), 1u);
	CHECK(h.next().kind == ActionKind::Reboot);

	// After the restart: same flash, a new agent, straight to the server's last address.
	auto& rebooted = h.start();
	auto checkin = h.next();
	CHECK(checkin.kind == ActionKind::Checkin);
	CHECK_EQ(checkin.url.rfind("http://10.77.0.1:3000/", 0), 0u);
	CHECK_EQ(checkin.checkinRequest.acks.size(), 1u);
	rebooted.onCheckedIn(AgentHarness::ok(), reply); // the ack was lost once: command repeated
	CHECK(rebooted.phase() == Phase::CheckingIn);
	CHECK(h.logged("command 2 reboot (repeat)"));
	CHECK_EQ(h.next().checkinRequest.acks.size(), 1u);
}

TEST("pending devices keep checking in and get nothing applied")
{
	AgentHarness h;
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	h.next();
	agent.onRegistered(AgentHarness::ok(201), AgentHarness::registered("tok-p", DeviceState::Pending));
	CHECK_EQ(h.flash.token, "tok-p");
	CHECK_EQ(h.flash.appliedCfgsn, 0u);
	auto checkin = h.next();
	CHECK(checkin.kind == ActionKind::Checkin);
	auto reply = AgentHarness::quiet(1, DeviceState::Pending);
	reply.commands.push_back(Command{1, "reboot", {}});
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK(agent.deviceState() == DeviceState::Pending);
	CHECK(agent.phase() == Phase::CheckingIn);
	CHECK(h.next().kind == ActionKind::Checkin);
}

TEST("many acks go out in batches small enough for the server's body limit")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	auto reply = AgentHarness::quiet(1);
	for(uint32_t id = 1; id <= 20; ++id) {
		reply.commands.push_back(Command{id, "echo-unknown", {}});
	}
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(h.flash.pendingAcks.size(), 20u);
	auto first = h.next();
	CHECK_EQ(first.checkinRequest.acks.size(), 16u);
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	auto second = h.next();
	CHECK_EQ(agent.msUntilDue(), 0u);
	CHECK_EQ(second.checkinRequest.acks.size(), 4u);
	if(second.checkinRequest.acks.size() == 4) {
		CHECK_EQ(second.checkinRequest.acks[0].id, 17u);
	}
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK(h.flash.pendingAcks.empty());
}
