/*
 * Drives a fleet::Agent the way the Sming layer does, with a hand-moved clock, a fixed random
 * source and in-memory "flash".
 */
#pragma once

#include "fleet/agent.h"
#include <map>
#include <memory>

struct AgentHarness {
	uint32_t clock{1000000};
	uint32_t randomValue{0};
	fleet::PersistedState flash;
	int persistCount{0};
	std::vector<std::string> logs;
	std::map<uint32_t, std::string> appliedConfigs;
	bool acceptConfig{true};
	fleet::AgentSettings settings;
	fleet::DeviceIdentity identity;
	fleet::BootFacts bootFacts;
	std::vector<uint8_t> confirmedSlots;
	bool confirmWorks{true};
	std::unique_ptr<fleet::Agent> agent;

	AgentHarness()
	{
		identity.mac = "aa:bb:cc:00:00:01";
		identity.fwName = "fleetdesk-sming";
		identity.fwVersion = "1.0.0";
		identity.maxImageSize = 1000000;
	}

	fleet::Agent& start()
	{
		fleet::AgentHooks hooks;
		hooks.nowMs = [this] { return clock; };
		hooks.random = [this] { return randomValue; };
		hooks.telemetry = [] {
			fleet::Telemetry t;
			t.ip = "10.77.0.2";
			t.ssid = "lab";
			t.rssi = -60;
			t.heap = 30000;
			t.uptime = 12;
			return t;
		};
		hooks.applyConfig = [this](uint32_t cfgsn, const std::string& json) {
			if(acceptConfig) {
				appliedConfigs[cfgsn] = json;
			}
			return acceptConfig;
		};
		hooks.persist = [this](const fleet::PersistedState& state) {
			flash = state;
			++persistCount;
		};
		hooks.log = [this](const std::string& line) { logs.push_back(line); };
		hooks.confirmSlot = [this](uint8_t slot) {
			if(confirmWorks) {
				confirmedSlots.push_back(slot);
			}
			return confirmWorks;
		};
		agent.reset(new fleet::Agent(settings, identity, flash, hooks));
		agent->booted(bootFacts);
		agent->setNetworkUp(true);
		return *agent;
	}

	void advance(uint32_t ms)
	{
		clock += ms;
	}

	/* Moves the clock to the moment the agent acts, and returns what it does. */
	fleet::Action next()
	{
		clock += agent->msUntilDue();
		return agent->poll();
	}

	static fleet::ServerEndpoint server(const char* id, const char* host = "10.77.0.1", uint16_t port = 3000)
	{
		fleet::ServerEndpoint s;
		s.id = id;
		s.host = host;
		s.port = port;
		return s;
	}

	static fleet::HttpOutcome ok(int status = 200)
	{
		return fleet::HttpOutcome{status, true, 0};
	}
	static fleet::HttpOutcome status(int code)
	{
		return fleet::HttpOutcome{code, false, 0};
	}

	static fleet::RegisterReply registered(const char* token, fleet::DeviceState state = fleet::DeviceState::Active,
										   uint32_t cfgsn = 1, const char* config = "{}")
	{
		fleet::RegisterReply r;
		r.state = state;
		r.token = token;
		r.cfgsn = cfgsn;
		r.hasConfig = state == fleet::DeviceState::Active;
		r.configJson = config;
		r.interval = 60;
		return r;
	}

	static fleet::CheckinReply quiet(uint32_t cfgsn = 1, fleet::DeviceState state = fleet::DeviceState::Active)
	{
		fleet::CheckinReply r;
		r.state = state;
		r.cfgsn = cfgsn;
		r.interval = 60;
		return r;
	}

	/* discover -> register (201) -> first check-in is due; returns that check-in action. */
	fleet::Action bringUp(const char* serverId = "srv-1", const char* token = "tok-1")
	{
		auto discover = next();
		agent->onDiscovered({server(serverId)});
		auto reg = next();
		agent->onRegistered(ok(201), registered(token));
		(void)discover;
		(void)reg;
		return next();
	}

	bool logged(const std::string& fragment) const
	{
		for(auto& line : logs) {
			if(line.find(fragment) != std::string::npos) {
				return true;
			}
		}
		return false;
	}
};
