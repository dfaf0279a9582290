/*
 * Runs commands from check-in replies: built-ins (`reboot`, `identify`) and handlers registered
 * by application code. Delivery is at least once, so ids executed lately are remembered and a
 * repeat is acked again without running twice.
 */
#pragma once

#include "types.h"
#include <functional>
#include <map>
#include <vector>

namespace fleet
{
struct CommandResult {
	bool ok{true};
	std::string result; ///< short text for the ack; empty = none

	static CommandResult success(const std::string& text = {})
	{
		return CommandResult{true, text};
	}
	static CommandResult failure(const std::string& text)
	{
		return CommandResult{false, text};
	}
};

using CommandHandler = std::function<CommandResult(const Command&)>;
using IdentifyHook = std::function<void(unsigned seconds)>;

/* Reads an integer argument; `fallback` when absent or not a number. */
long argAsInt(const CommandArgs& args, const std::string& name, long fallback);

class CommandDispatcher
{
public:
	static constexpr size_t recentIdLimit = 32;
	static constexpr unsigned defaultIdentifySeconds = 10;
	static constexpr unsigned maxIdentifySeconds = 300;
	/* Ack results are short by protocol; longer handler texts are cut. */
	static constexpr size_t maxResultLength = 120;

	void setIdentifyHook(IdentifyHook hook)
	{
		identifyHook = std::move(hook);
	}

	/* Application-defined command; a handler for `reboot`/`identify` replaces the built-in. */
	void on(const std::string& name, CommandHandler handler)
	{
		handlers[name] = std::move(handler);
	}

	/* Ids remembered across reboots (restored from flash). */
	void restoreRecentIds(const std::vector<uint32_t>& ids)
	{
		recentIds = ids;
	}
	const std::vector<uint32_t>& recent() const
	{
		return recentIds;
	}

	struct Outcome {
		CommandAck ack;
		bool executed{false};		///< false: a repeat, acked without running
		bool rebootRequested{false}; ///< restart once the ack is safe on flash
	};

	Outcome dispatch(const Command& command);

private:
	bool wasExecuted(uint32_t id) const;
	void remember(uint32_t id);
	CommandResult runBuiltin(const Command& command, bool& rebootRequested, bool& known);

	std::map<std::string, CommandHandler> handlers;
	IdentifyHook identifyHook;
	std::vector<uint32_t> recentIds;
};

} // namespace fleet
