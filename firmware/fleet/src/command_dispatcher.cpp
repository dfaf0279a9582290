#include "fleet/command_dispatcher.h"
#include <algorithm>
#include <cstdlib>

namespace fleet
{
long argAsInt(const CommandArgs& args, const std::string& name, long fallback)
{
	auto it = args.find(name);
	if(it == args.end() || it->second.empty()) {
		return fallback;
	}
	char* end = nullptr;
	double value = std::strtod(it->second.c_str(), &end);
	if(end == it->second.c_str() || *end != '\0') {
		return fallback;
	}
	return long(value);
}

bool CommandDispatcher::wasExecuted(uint32_t id) const
{
	return std::find(recentIds.begin(), recentIds.end(), id) != recentIds.end();
}

void CommandDispatcher::remember(uint32_t id)
{
	recentIds.push_back(id);
	if(recentIds.size() > recentIdLimit) {
		recentIds.erase(recentIds.begin());
	}
}

CommandResult CommandDispatcher::runBuiltin(const Command& command, bool& rebootRequested, bool& known)
{
	known = true;
	if(command.name == "reboot") {
		rebootRequested = true;
		return CommandResult::success();
	}
	if(command.name == "identify") {
		long seconds = argAsInt(command.args, "seconds", defaultIdentifySeconds);
		seconds = std::max(1L, std::min(long(maxIdentifySeconds), seconds));
		if(identifyHook) {
			identifyHook(unsigned(seconds));
		}
		return CommandResult::success("blinked " + std::to_string(seconds) + " s");
	}
	known = false;
	return CommandResult::failure("unknown command: " + command.name);
}

CommandDispatcher::Outcome CommandDispatcher::dispatch(const Command& command)
{
	Outcome outcome;
	outcome.ack.id = command.id;
	if(wasExecuted(command.id)) {
		// The server did not get our ack (lost reply, reboot): say so again, do not run twice.
		outcome.ack.ok = true;
		outcome.ack.result = "already done";
		return outcome;
	}
	CommandResult result;
	auto handler = handlers.find(command.name);
	if(handler != handlers.end()) {
		result = handler->second(command);
		outcome.rebootRequested = false;
	} else {
		bool known = false;
		result = runBuiltin(command, outcome.rebootRequested, known);
	}
	outcome.executed = true;
	outcome.ack.ok = result.ok;
	outcome.ack.result = result.result.substr(0, maxResultLength);
	remember(command.id);
	return outcome;
}

} // namespace fleet
