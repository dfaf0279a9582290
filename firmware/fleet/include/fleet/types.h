/*
 * Protocol data as plain structs (docs/protocol.md, v1). No Sming, no JSON: the platform layer
 * parses replies into these and serialises requests from them, so the state machine that uses
 * them can be unit-tested on the host with g++.
 */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fleet
{
enum class DeviceState { Unknown, Pending, Active, Blocked };

DeviceState parseDeviceState(const std::string& text);
const char* toString(DeviceState state);

/* A FleetDesk server as found by mDNS (_fleetdesk._tcp) or configured by hand. */
struct ServerEndpoint {
	std::string id; ///< TXT `id`; empty for a configured URL
	std::string host;
	uint16_t port{3000};
	std::string apiPath{"/api/v1"}; ///< TXT `api`

	bool valid() const
	{
		return !host.empty() && port != 0;
	}
	std::string baseUrl() const; ///< http://host:port
};

/* What the device says about itself in `register`. */
struct DeviceIdentity {
	std::string mac; ///< aa:bb:cc:dd:ee:ff
	std::string fwName;
	std::string fwVersion;
	std::string fwMd5; ///< md5 of the running image, may be empty
	uint32_t chipId{0};
	uint32_t flashSize{0};
	uint32_t maxImageSize{0}; ///< size of the other ROM slot; 0 = unknown
};

/* Telemetry sampled just before each request. */
struct Telemetry {
	std::string ip;
	std::string ssid;
	int rssi{0};
	uint32_t heap{0};
	uint32_t uptime{0}; ///< seconds
};

/* Command args are flattened to text: numbers and booleans as JSON literals, strings as-is,
 * nested values as compact JSON. Enough for built-ins and most custom commands. */
using CommandArgs = std::map<std::string, std::string>;

struct Command {
	uint32_t id{0};
	std::string name;
	CommandArgs args;
};

struct CommandAck {
	uint32_t id{0};
	bool ok{false};
	std::string result; ///< short text; empty = omitted
};

struct FirmwareOffer {
	uint32_t id{0};
	std::string version;
	std::string url; ///< a path on the server's base URL (or an absolute http:// URL)
	uint32_t size{0};
	std::string md5; ///< 32 hex
};

/* `ota: {id, ok, message, rolledBack}` in a check-in: outcome of a failed update. */
struct OtaReport {
	uint32_t id{0};
	bool ok{false};
	std::string message;
	bool rolledBack{false}; ///< the image was booted on trial and the device came back on its old slot
};

/* `boot: {count, reason, slot, trial}` in register and check-in. */
struct BootReport {
	uint32_t count{0};			 ///< boots since the flash was formatted
	std::string reason{"unknown"}; ///< power_on, hardware_wdt, exception, software_wdt, soft_restart, ...
	uint8_t slot{0};			 ///< ROM slot running now
	bool trial{false};			 ///< running an image the server has not confirmed yet
};

struct RegisterRequest {
	DeviceIdentity identity;
	BootReport boot;
	Telemetry telemetry;
	std::string enrollmentKey;
};

struct RegisterReply {
	DeviceState state{DeviceState::Unknown};
	std::string token; ///< only on 201
	uint32_t cfgsn{0};
	bool hasConfig{false};
	std::string configJson; ///< the effective config object, verbatim
	uint32_t interval{60};
};

struct CheckinRequest {
	uint32_t cfgsn{0};
	Telemetry telemetry;
	std::string fwName;
	std::string fwVersion;
	std::string fwMd5; ///< of the running image; empty = unknown
	BootReport boot;
	std::vector<CommandAck> acks;
	bool hasOta{false};
	OtaReport ota;
};

struct CheckinReply {
	DeviceState state{DeviceState::Unknown};
	uint32_t cfgsn{0};
	bool hasConfig{false};
	std::string configJson;
	std::vector<Command> commands;
	bool hasFirmware{false};
	FirmwareOffer firmware;
	uint32_t interval{60};
	std::string confirmMd5; ///< `confirm.md5`: the server accepts the image on trial; empty = none
};

/* Result of one HTTP exchange as the state machine needs it. status 0 = transport failure
 * (no connection, timeout); `parsed` false = 2xx with a body that did not parse. */
struct HttpOutcome {
	int status{0};
	bool parsed{false};
	int retryAfterSeconds{0}; ///< from a 429 Retry-After header
};

/* An image written to the other slot and booted once on trial; kept until it is confirmed or the
 * device came back on its old slot. */
struct TrialRecord {
	uint32_t offerId{0}; ///< 0 = no trial pending
	std::string version;
	std::string md5;
	uint32_t size{0};
	uint8_t slot{0};	  ///< slot holding the trial image
	std::string endNote; ///< why the trial image gave up by itself (deadline), for the rollback report

	bool pending() const
	{
		return offerId != 0;
	}
};

/* What survives a reboot (kept on flash by the platform layer). */
struct PersistedState {
	std::string serverId; ///< id of the server the token belongs to
	std::string token;
	uint32_t appliedCfgsn{0};
	std::vector<CommandAck> pendingAcks; ///< e.g. the ack of `reboot`, sent after the restart
	std::vector<uint32_t> recentCommandIds; ///< executed lately: a repeat is acked, not re-run
	uint32_t failedOtaId{0};
	std::string failedOtaMessage; ///< reported once after the restart, then cleared
	bool failedOtaRolledBack{false};
	/* Where the registered server answered last: tried first at boot and between discovery rounds. */
	std::string lastHost;
	uint16_t lastPort{0};
	std::string lastApiPath;
	uint32_t bootCount{0};
	TrialRecord trial;
};

} // namespace fleet
