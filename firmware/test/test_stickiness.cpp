#include "agent_harness.h"
#include "check.h"

using namespace fleet;

TEST("a registered device that hears only a stranger does not register there")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp("srv-1", "tok-1");
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	// Its own server stops answering (paused, restarting) while a second FleetDesk is on the LAN.
	for(int round = 0; round < 6; ++round) {
		auto action = h.next();
		if(action.kind == ActionKind::Discover) {
			agent.onDiscovered({AgentHarness::server("stranger", "10.77.0.8")});
		} else {
			CHECK(action.kind == ActionKind::Checkin);
			CHECK_EQ(action.url.rfind("http://10.77.0.1:3000/", 0), 0u);
			agent.onCheckedIn(AgentHarness::status(0), {});
		}
		CHECK(agent.phase() != Phase::Registering);
		CHECK(agent.server().id != "stranger");
	}
	CHECK_EQ(h.flash.token, "tok-1");
	CHECK_EQ(h.flash.serverId, "srv-1");
}

TEST("after a reboot the registered server is looked for; a stranger answering alone is not taken")
{
	AgentHarness h;
	h.flash.serverId = "srv-1";
	h.flash.token = "tok-1";
	h.flash.appliedCfgsn = 8;
	auto& agent = h.start();
	auto first = h.next();
	CHECK(first.kind == ActionKind::Discover);
	agent.onDiscovered({AgentHarness::server("stranger", "10.77.0.8")});
	auto second = h.next();
	CHECK(second.kind != ActionKind::Register);
	CHECK_EQ(h.flash.appliedCfgsn, 8u);
	CHECK_EQ(h.flash.token, "tok-1");
}

TEST("a connection failure is not waited out: the device looks for its server at once")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp("srv-1", "tok-1");
	agent.onCheckedIn(AgentHarness::status(0), {});
	CHECK(agent.phase() == Phase::Discovering);
	CHECK_EQ(agent.msUntilDue(), 0u);
}
