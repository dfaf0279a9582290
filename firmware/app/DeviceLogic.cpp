/*
 * Example device logic: a "heartbeat" LED pattern driven by config, and two custom commands.
 * Replace it with yours; nothing else in the firmware depends on what is in here.
 */
#include <DeviceLogic.h>
#include <DeviceConfig.h>
#include <StringConv.h>
#include <Timer.h>
#include <Digital.h>
#include <Platform/System.h>

namespace
{
Timer heartbeatTimer;
constexpr uint8_t relayPin = 5; // GPIO5 (D1 on a NodeMCU)

/* Config properties: "heartbeat" (bool, default off) and "period" (seconds, default 30). */
void applyConfig(const DeviceConfig& config)
{
	bool enabled = config.getBool("heartbeat", false);
	long period = config.getInt("period", 30);
	if(period < 1) {
		period = 1;
	}
	heartbeatTimer.stop();
	if(enabled) {
		heartbeatTimer
			.initializeMs(uint32_t(period) * 1000,
						  TimerDelegate([] { debug_i("[app] heartbeat, label '%s'", deviceConfig.getString("label").c_str()); }))
			.start();
	}
	debug_i("[app] config cfgsn %u: heartbeat %s every %ld s, label '%s'", config.cfgsn(), enabled ? "on" : "off", period,
			config.getString("label", "").c_str());
}

} // namespace

void setupDeviceLogic(fleet::CommandDispatcher& commands)
{
	pinMode(relayPin, OUTPUT);
	deviceConfig.onChange(applyConfig);
	applyConfig(deviceConfig);

	// {"name":"relay","args":{"on":true}} -> switch GPIO5; acked with the new state.
	commands.on("relay", [](const fleet::Command& command) {
		auto on = command.args.find("on");
		if(on == command.args.end() || (on->second != "true" && on->second != "false")) {
			return fleet::CommandResult::failure("args.on must be true or false");
		}
		digitalWrite(relayPin, on->second == "true");
		return fleet::CommandResult::success(on->second == "true" ? "relay on" : "relay off");
	});

	// {"name":"echo","args":{...}} -> acks with the args it got, handy to test the round trip.
	commands.on("echo", [](const fleet::Command& command) {
		std::string text;
		for(auto& arg : command.args) {
			text += (text.empty() ? "" : ",") + arg.first + "=" + arg.second;
		}
		return fleet::CommandResult::success(text);
	});
}
