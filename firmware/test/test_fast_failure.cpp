#include "agent_harness.h"
#include "check.h"

using namespace fleet;

TEST("requests carry connect and reply deadlines of seconds, plus the long-poll wait")
{
	AgentHarness h;
	auto& agent = h.start();
	auto first = h.bringUp();
	CHECK_EQ(first.waitSeconds, 0u);
	CHECK_EQ(first.connectTimeoutMs, 3000u);
	CHECK_EQ(first.deadlineMs, 8000u);
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	auto poll = h.next();
	CHECK_EQ(poll.waitSeconds, 60u);
	CHECK_EQ(poll.deadlineMs, 68000u);
	CHECK_EQ(poll.connectTimeoutMs, 3000u);
}

TEST("after a reboot the last known address is tried before any discovery")
{
	AgentHarness h;
	h.flash.serverId = "srv-1";
	h.flash.token = "tok-1";
	h.flash.lastHost = "10.77.0.9";
	h.flash.lastPort = 3100;
	h.start();
	auto first = h.next();
	CHECK(first.kind == ActionKind::Checkin);
	CHECK_EQ(first.url, "http://10.77.0.9:3100/api/v1/devices/aa:bb:cc:00:00:01/checkin");
	CHECK_EQ(first.token, "tok-1");
}

TEST("the address the server answered at is kept, and follows it when it moves")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp("srv-1", "tok-1");
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK_EQ(h.flash.lastHost, "10.77.0.1");
	h.next();
	agent.onCheckedIn(AgentHarness::status(0), {}); // the held long-poll's connection closed
	auto discover = h.next();
	CHECK(discover.kind == ActionKind::Discover);
	CHECK_EQ(discover.stopOnId, "srv-1");
	agent.onDiscovered({AgentHarness::server("srv-1", "10.77.0.44", 3000)});
	auto checkin = h.next();
	CHECK_EQ(checkin.url.rfind("http://10.77.0.44:3000/", 0), 0u);
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK_EQ(h.flash.lastHost, "10.77.0.44");
}

TEST("a dead server: discovery and the last address alternate, never slower than the interval")
{
	AgentHarness h;
	h.randomValue = 0xFFFFFFFF; // the longest jitter
	auto& agent = h.start();
	h.bringUp("srv-1", "tok-1");
	auto reply = AgentHarness::quiet(1);
	reply.interval = 30;
	agent.onCheckedIn(AgentHarness::ok(), reply);
	h.next();
	agent.onCheckedIn(AgentHarness::status(0), {});
	uint32_t longest = 0;
	for(int i = 0; i < 12; ++i) {
		uint32_t before = h.clock;
		auto action = h.next();
		longest = std::max(longest, h.clock - before);
		if(action.kind == ActionKind::Discover) {
			agent.onDiscovered({});
		} else {
			CHECK(action.kind == ActionKind::Checkin);
			CHECK_EQ(action.url.rfind("http://10.77.0.1:3000/", 0), 0u);
			agent.onCheckedIn(AgentHarness::status(0), {});
		}
	}
	CHECK(longest <= 30000u);
	CHECK(longest > 8000u); // it did back off
	// The server is back: at the next attempt the device is home again.
	auto action = h.next();
	if(action.kind == ActionKind::Discover) {
		agent.onDiscovered({AgentHarness::server("srv-1")});
		action = h.next();
	}
	CHECK(action.kind == ActionKind::Checkin);
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(agent.consecutiveFailures(), 0u);
	CHECK_EQ(h.flash.token, "tok-1");
}

TEST("an unregistered device does not stop discovery early")
{
	AgentHarness h;
	h.start();
	CHECK_EQ(h.next().stopOnId, "");
}

TEST("the registered server announcing a new address is followed at once, the held request dropped")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp("srv-1", "tok-1");
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK(h.next().waitSeconds > 0); // a long-poll held at 10.77.0.1
	CHECK(!agent.onAnnounced(AgentHarness::server("stranger", "10.77.0.8")));
	CHECK(!agent.onAnnounced(AgentHarness::server("srv-1", "10.77.0.1")));
	CHECK(agent.poll().kind == ActionKind::None); // still held
	CHECK(agent.onAnnounced(AgentHarness::server("srv-1", "10.77.0.5")));
	auto checkin = agent.poll();
	CHECK(checkin.kind == ActionKind::Checkin);
	CHECK_EQ(checkin.url.rfind("http://10.77.0.5:3000/", 0), 0u);
	CHECK_EQ(checkin.token, "tok-1");
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK_EQ(h.flash.lastHost, "10.77.0.5");
}
