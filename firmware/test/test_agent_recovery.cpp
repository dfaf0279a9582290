#include "agent_harness.h"
#include "check.h"
#include "fleet/server_choice.h"

using namespace fleet;

TEST("nothing happens while the network is down")
{
	AgentHarness h;
	auto& agent = h.start();
	agent.setNetworkUp(false);
	h.advance(100000);
	CHECK(agent.poll().kind == ActionKind::None);
	agent.setNetworkUp(true);
	CHECK(agent.poll().kind == ActionKind::Discover);
}

TEST("no server found: discovery is retried with growing, jittered delays")
{
	AgentHarness h;
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({});
	uint32_t first = agent.msUntilDue();
	CHECK(first >= h.settings.backoffBaseMs / 2 && first <= h.settings.backoffBaseMs);
	CHECK(h.next().kind == ActionKind::Discover);
	agent.onDiscovered({});
	uint32_t second = agent.msUntilDue();
	CHECK(second >= h.settings.backoffBaseMs && second <= 2 * h.settings.backoffBaseMs);
	CHECK(h.logged("no FleetDesk server found"));
}

TEST("the configured URL is used when mDNS finds nothing")
{
	AgentHarness h;
	h.settings.configuredUrl = "http://10.77.0.5:4000";
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({});
	auto reg = h.next();
	CHECK(reg.kind == ActionKind::Register);
	CHECK_EQ(reg.url, "http://10.77.0.5:4000/api/v1/devices/aa:bb:cc:00:00:01/register");
}

TEST("check-in failures back off exponentially and rediscover after N, preferring the registered id")
{
	AgentHarness h;
	h.randomValue = 0xFFFFFFFF;
	auto& agent = h.start();
	h.bringUp("srv-1", "tok-1");
	uint32_t previous = 0;
	for(uint32_t i = 1; i < h.settings.failuresBeforeRediscovery; ++i) {
		agent.onCheckedIn(AgentHarness::status(i == 1 ? 502 : 503), {});
		CHECK(agent.phase() == Phase::CheckingIn);
		CHECK(agent.msUntilDue() > previous);
		previous = agent.msUntilDue();
		CHECK(h.next().kind == ActionKind::Checkin);
	}
	agent.onCheckedIn(AgentHarness::status(500), {});
	CHECK(agent.phase() == Phase::Discovering);
	CHECK(h.logged("discovering again"));
	CHECK(h.next().kind == ActionKind::Discover);
	// The server moved: a stranger and ours (new address) answer; ours wins, no new registration.
	agent.onDiscovered({AgentHarness::server("stranger", "10.77.0.8"), AgentHarness::server("srv-1", "10.77.0.7", 3100)});
	auto checkin = h.next();
	CHECK(checkin.kind == ActionKind::Checkin);
	CHECK_EQ(checkin.url.rfind("http://10.77.0.7:3100/api/v1/devices/", 0), 0u);
	CHECK_EQ(checkin.token, "tok-1");
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK_EQ(agent.consecutiveFailures(), 0u);
}

TEST("a reply that does not parse counts as a failure")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	agent.onCheckedIn(AgentHarness::status(200), {});
	CHECK_EQ(agent.consecutiveFailures(), 1u);
	CHECK(agent.msUntilDue() > 0);
}

TEST("401 on check-in (credentials reset) forgets the token and registers again")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp("srv-1", "tok-old");
	agent.onCheckedIn(AgentHarness::status(401), {});
	CHECK_EQ(h.flash.token, "");
	CHECK(agent.phase() == Phase::Registering);
	auto reg = h.next();
	CHECK(reg.kind == ActionKind::Register);
	CHECK_EQ(reg.token, "");
	agent.onRegistered(AgentHarness::ok(201), AgentHarness::registered("tok-new"));
	CHECK_EQ(h.flash.token, "tok-new");
	CHECK_EQ(h.next().token, "tok-new");
}

TEST("409 on register waits minutes for the operator, without rediscovering")
{
	AgentHarness h;
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	for(int i = 0; i < 5; ++i) {
		CHECK(h.next().kind == ActionKind::Register);
		agent.onRegistered(AgentHarness::status(409), {});
		CHECK(agent.msUntilDue() >= h.settings.conflictRetryMs / 2);
		CHECK(agent.phase() == Phase::Registering);
	}
	CHECK(h.logged("409 conflict"));
}

TEST("401 on register (enrollment key) waits and keeps trying")
{
	AgentHarness h;
	h.settings.enrollmentKey = "garden-2024";
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	auto reg = h.next();
	CHECK_EQ(reg.registerRequest.enrollmentKey, "garden-2024");
	agent.onRegistered(AgentHarness::status(401), {});
	CHECK_EQ(agent.msUntilDue(), h.settings.conflictRetryMs);
	CHECK(h.next().kind == ActionKind::Register);
}

TEST("429 on register honours Retry-After")
{
	AgentHarness h;
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	h.next();
	agent.onRegistered(HttpOutcome{429, false, 30}, {});
	CHECK(agent.msUntilDue() >= 30000u);
}

TEST("a restart with a token checks in directly; another server takes a new enrollment")
{
	AgentHarness h;
	h.flash.token = "tok-1";
	h.flash.serverId = "srv-1";
	h.flash.appliedCfgsn = 4;
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	auto checkin = h.next();
	CHECK(checkin.kind == ActionKind::Checkin);
	CHECK_EQ(checkin.checkinRequest.cfgsn, 4u);

	AgentHarness other;
	other.flash = h.flash;
	other.flash.lastHost.clear(); // no address known: it must discover
	auto& stays = other.start();
	other.next();
	stays.onDiscovered({AgentHarness::server("srv-2")});
	CHECK(other.next().kind == ActionKind::Discover); // never a stranger
	startNewEnrollment(other.flash);				  // the operator enrolls it anew
	auto& moved = other.start();
	other.next();
	moved.onDiscovered({AgentHarness::server("srv-2")});
	auto reg = other.next();
	CHECK(reg.kind == ActionKind::Register);
	moved.onRegistered(AgentHarness::ok(201), AgentHarness::registered("tok-2", DeviceState::Active, 1));
	CHECK_EQ(other.flash.serverId, "srv-2");
	CHECK_EQ(other.flash.token, "tok-2");
	CHECK_EQ(other.flash.appliedCfgsn, 1u); // the new server's config replaced the old one
}

TEST("blocked devices keep checking in at the interval")
{
	AgentHarness h;
	h.settings.longPoll = false;
	auto& agent = h.start();
	h.bringUp();
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1, DeviceState::Blocked));
	CHECK(agent.deviceState() == DeviceState::Blocked);
	CHECK_EQ(agent.msUntilDue(), 60000u);
	CHECK(h.next().kind == ActionKind::Checkin);
}

TEST("after a restart the first check-in reports at once; long-polls use the server's interval")
{
	AgentHarness h;
	h.flash.token = "tok-1";
	h.flash.serverId = "srv-1";
	auto& agent = h.start();
	h.next();
	agent.onDiscovered({AgentHarness::server("srv-1")});
	auto first = h.next();
	CHECK_EQ(first.waitSeconds, 0u); // the default interval must not become a 60 s hold
	auto reply = AgentHarness::quiet(1);
	reply.interval = 30;
	agent.onCheckedIn(AgentHarness::ok(), reply);
	CHECK_EQ(h.next().waitSeconds, 30u);
}

TEST("after a failed check-in the retry does not long-poll; after a success it does again")
{
	AgentHarness h;
	auto& agent = h.start();
	h.bringUp();
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK(h.next().waitSeconds > 0);
	agent.onCheckedIn(AgentHarness::status(503), {});
	CHECK_EQ(h.next().waitSeconds, 0u);
	agent.onCheckedIn(AgentHarness::ok(), AgentHarness::quiet(1));
	CHECK(h.next().waitSeconds > 0);
}
