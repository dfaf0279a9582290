#include "check.h"
#include "fleet/command_dispatcher.h"

using namespace fleet;

static Command command(uint32_t id, const char* name, CommandArgs args = {})
{
	return Command{id, name, std::move(args)};
}

TEST("identify blinks for the requested seconds, clamped, with a default")
{
	CommandDispatcher dispatcher;
	std::vector<unsigned> blinks;
	dispatcher.setIdentifyHook([&](unsigned seconds) { blinks.push_back(seconds); });
	auto outcome = dispatcher.dispatch(command(1, "identify", {{"seconds", "5"}}));
	CHECK(outcome.ack.ok);
	CHECK_EQ(outcome.ack.id, 1u);
	CHECK_EQ(outcome.ack.result, "blinked 5 s");
	dispatcher.dispatch(command(2, "identify"));
	dispatcher.dispatch(command(3, "identify", {{"seconds", "100000"}}));
	dispatcher.dispatch(command(4, "identify", {{"seconds", "-3"}}));
	dispatcher.dispatch(command(5, "identify", {{"seconds", "\"ten\""}}));
	CHECK_EQ(blinks.size(), 5u);
	if(blinks.size() == 5) {
		CHECK_EQ(blinks[0], 5u);
		CHECK_EQ(blinks[1], CommandDispatcher::defaultIdentifySeconds);
		CHECK_EQ(blinks[2], CommandDispatcher::maxIdentifySeconds);
		CHECK_EQ(blinks[3], 1u);
		CHECK_EQ(blinks[4], CommandDispatcher::defaultIdentifySeconds);
	}
}

TEST("reboot is acked ok and asks for a restart")
{
	CommandDispatcher dispatcher;
	auto outcome = dispatcher.dispatch(command(7, "reboot"));
	CHECK(outcome.ack.ok);
	CHECK(outcome.rebootRequested);
	CHECK(outcome.executed);
}

TEST("application commands run their handler and ack its result")
{
	CommandDispatcher dispatcher;
	std::string seen;
	dispatcher.on("relay", [&](const Command& c) {
		seen = c.args.at("state");
		return seen == "true" ? CommandResult::success("on") : CommandResult::failure("bad state");
	});
	auto on = dispatcher.dispatch(command(1, "relay", {{"state", "true"}}));
	CHECK(on.ack.ok);
	CHECK_EQ(on.ack.result, "on");
	CHECK(!on.rebootRequested);
	auto bad = dispatcher.dispatch(command(2, "relay", {{"state", "maybe"}}));
	CHECK(!bad.ack.ok);
	CHECK_EQ(bad.ack.result, "bad state");
	CHECK_EQ(seen, "maybe");
}

TEST("unknown commands are acked with ok=false")
{
	CommandDispatcher dispatcher;
	auto outcome = dispatcher.dispatch(command(9, "self-destruct"));
	CHECK(!outcome.ack.ok);
	CHECK_EQ(outcome.ack.result, "unknown command: self-destruct");
}

TEST("a repeated id is acked again without running twice, even after a restore")
{
	CommandDispatcher dispatcher;
	int runs = 0;
	dispatcher.on("count", [&](const Command&) {
		++runs;
		return CommandResult::success();
	});
	dispatcher.dispatch(command(3, "count"));
	auto repeat = dispatcher.dispatch(command(3, "count"));
	CHECK_EQ(runs, 1);
	CHECK(repeat.ack.ok);
	CHECK(!repeat.executed);

	CommandDispatcher afterReboot;
	afterReboot.on("count", [&](const Command&) {
		++runs;
		return CommandResult::success();
	});
	afterReboot.restoreRecentIds(dispatcher.recent());
	auto again = afterReboot.dispatch(command(3, "count"));
	CHECK(!again.executed);
	CHECK_EQ(runs, 1);
}

TEST("the memory of executed ids is bounded")
{
	CommandDispatcher dispatcher;
	for(uint32_t id = 1; id <= 100; ++id) {
		dispatcher.dispatch(command(id, "identify"));
	}
	CHECK_EQ(dispatcher.recent().size(), CommandDispatcher::recentIdLimit);
	CHECK_EQ(dispatcher.recent().back(), 100u);
	CHECK(dispatcher.dispatch(command(1, "identify")).executed); // long forgotten
}

TEST("argAsInt reads numbers and falls back otherwise")
{
	CommandArgs args{{"a", "12"}, {"b", "2.9"}, {"c", "x"}, {"d", ""}};
	CHECK_EQ(argAsInt(args, "a", -1), 12);
	CHECK_EQ(argAsInt(args, "b", -1), 2);
	CHECK_EQ(argAsInt(args, "c", -1), -1);
	CHECK_EQ(argAsInt(args, "d", -1), -1);
	CHECK_EQ(argAsInt(args, "missing", 7), 7);
}

TEST("long handler results are cut to the ack limit")
{
	CommandDispatcher dispatcher;
	dispatcher.on("chatty", [](const Command&) { return CommandResult::success(std::string(1000, 'x')); });
	auto outcome = dispatcher.dispatch(command(1, "chatty"));
	CHECK_EQ(outcome.ack.result.size(), CommandDispatcher::maxResultLength);
}
