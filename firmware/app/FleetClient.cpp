#include <FleetClient.h>
#include <BootControl.h>
#include <DeviceConfig.h>
#include <ProtocolJson.h>
#include <StatusLed.h>
#include <StringConv.h>
#include <Platform/Station.h>
#include <Platform/System.h>
#include <Data/Stream/LimitedMemoryStream.h>
#include <Storage/SpiFlash.h>
#include <esp_systemapi.h>

#ifndef FW_NAME
#define FW_NAME "fleetdesk-sming"
#endif
#ifndef FW_VERSION
#define FW_VERSION "0.0.0"
#endif

FleetClient fleetClient;

namespace
{
constexpr unsigned pollPeriodMs = 100;
constexpr unsigned replyLimitBytes = 8192;	// config objects are capped at a few KiB server-side
} // namespace

uint32_t FleetClient::nowMs()
{
	uint32_t current = millis();
	uptimeMs += uint32_t(current - lastMillis);
	lastMillis = current;
	return uint32_t(uptimeMs);
}

fleet::DeviceIdentity FleetClient::identity()
{
	fleet::DeviceIdentity id;
	String mac = WifiStation.getMacAddress().toString(':');
	mac.toLowerCase();
	id.mac = toStd(mac);
	id.fwName = FW_NAME;
	id.fwVersion = FW_VERSION;
	id.chipId = system_get_chip_id();
	id.flashSize = Storage::spiFlash->getSize();
	id.maxImageSize = firmwareUpdate.spareSlotSize();
	id.fwMd5 = toStd(runningMd5);
	return id;
}

fleet::Telemetry FleetClient::telemetry()
{
	fleet::Telemetry t;
	t.ip = toStd(WifiStation.getIP().toString());
	t.ssid = toStd(WifiStation.getSSID());
	t.rssi = WifiStation.getRssi();
	t.heap = system_get_free_heap_size();
	nowMs();
	t.uptime = uint32_t(uptimeMs / 1000);
	return t;
}

void FleetClient::begin(const SetupSettings& setup)
{
	lastMillis = millis();
	fleet::AgentSettings settings;
	settings.configuredUrl = toStd(setup.serverUrl);
	settings.enrollmentKey = toStd(setup.enrollmentKey);

	fleet::PersistedState stored = Settings::loadState();
	// config.json is written atomically with its cfgsn; if the two files disagree after a power
	// cut, the config on flash is the truth.
	stored.appliedCfgsn = deviceConfig.cfgsn();
	// Read before anything can change rBoot's configuration.
	fleet::BootFacts facts = BootControl::facts();
	runningMd5 = BootControl::runningImageMd5();

	fleet::AgentHooks hooks;
	hooks.nowMs = [this]() { return nowMs(); };
	hooks.random = []() { return os_random(); };
	hooks.telemetry = [this]() { return telemetry(); };
	hooks.applyConfig = [](uint32_t cfgsn, const std::string& json) { return deviceConfig.apply(cfgsn, toSming(json)); };
	hooks.persist = [](const fleet::PersistedState& state) { Settings::saveState(state); };
	hooks.log = [](const std::string& line) { debug_i("[fleet] %s", line.c_str()); };
	hooks.confirmSlot = [](uint8_t slot) { return BootControl::makePermanent(slot); };

	auto id = identity();
	agent = std::make_unique<fleet::Agent>(settings, id, stored, hooks);
	agent->commands().setIdentifyHook([](unsigned seconds) { statusLed.blinkFor(seconds); });
	agent->booted(facts);
	auto& boot = agent->bootReport();
	debug_i("[fleet] %s %s (md5 %s), device %s, token %s, cfgsn %u", FW_NAME, FW_VERSION,
			runningMd5.length() != 0 ? runningMd5.c_str() : "unknown", id.mac.c_str(), stored.token.empty() ? "none" : "stored",
			stored.appliedCfgsn);
	debug_i("[boot] #%u, reason %s, slot %u%s%s", boot.count, boot.reason.c_str(), boot.slot,
			facts.temporary ? " (temporary boot)" : "", boot.trial ? ", ON TRIAL" : "");
	discovery.onAnnounced([this](const fleet::ServerEndpoint& server) {
		if(agent->onAnnounced(server)) {
			// The request in flight went to the old address: forget it and its connection.
			debug_i("[fleet] abandoning the request to the old address");
			++sequence;
			watchdog.stop();
			connectTimer.stop();
			freshConnectionNeeded = true;
			inFlight = fleet::ActionKind::None;
		}
	});
	pollTimer.initializeMs(pollPeriodMs, TimerDelegate(&FleetClient::tick, this)).start();
}

void FleetClient::setNetworkUp(bool up)
{
	if(up && !advertising) {
		advertising = true;
		auto id = identity();
		String host = F("fleetdesk-") + toSming(id.mac).substring(9);
		host.replace(":", "");
		advertiser.begin(toSming(id.mac), FW_VERSION, host);
	}
	agent->setNetworkUp(up);
}

void FleetClient::tick()
{
	fleet::Action action = agent->poll();
	if(action.kind != fleet::ActionKind::None) {
		perform(action);
	}
}

void FleetClient::perform(const fleet::Action& action)
{
	inFlight = action.kind;
	switch(action.kind) {
	case fleet::ActionKind::Discover:
		discovery.search(
			[this](const std::vector<fleet::ServerEndpoint>& servers) {
				inFlight = fleet::ActionKind::None;
				agent->onDiscovered(servers);
			},
			toSming(action.stopOnId));
		break;
	case fleet::ActionKind::Register:
		post(action, ProtocolJson::registerBody(action.registerRequest));
		break;
	case fleet::ActionKind::Checkin:
		post(action, ProtocolJson::checkinBody(action.checkinRequest));
		break;
	case fleet::ActionKind::DownloadFirmware:
		firmwareUpdate.start(toSming(action.url), toSming(action.token), action.offer,
							 [this](bool ok, const String& message, uint8_t slot) {
								 inFlight = fleet::ActionKind::None;
								 agent->onOtaFinished(ok, toStd(message), slot);
							 });
		break;
	case fleet::ActionKind::Reboot:
		debug_i("[fleet] restarting");
		System.restart(500);
		break;
	default:
		break;
	}
}

void FleetClient::post(const fleet::Action& action, String&& body)
{
	uint32_t mySequence = ++sequence;
	Url url(toSming(action.url));
	if(freshConnectionNeeded) {
		freshConnectionNeeded = false;
		http.dropConnection(url); // post() runs from the poll timer: safe to delete it here
	}
	auto request = new HttpRequest(url);
	request->setMethod(HTTP_POST);
	request->setHeader(F("Content-Type"), F("application/json"));
	if(!action.token.empty()) {
		request->setHeader(F("Authorization"), F("Bearer ") + toSming(action.token));
	}
	request->setBody(std::move(body));
	request->setResponseStream(new LimitedMemoryStream(replyLimitBytes));
	request->onRequestComplete([this, mySequence](HttpConnection& connection, bool success) -> int {
		return completed(mySequence, connection, success);
	});
	debug_d("[fleet] POST %s", action.url.c_str());
	// Deadlines come from the agent: not connected after connectTimeoutMs, or no full reply
	// after deadlineMs (long-poll wait included), and the request has failed. The TCP idle timeout
	// closes a silent connection on the same schedule.
	uint16_t idleTimeout = uint16_t((action.deadlineMs + 999) / 1000);
	watchdog.initializeMs(action.deadlineMs, TimerDelegate(&FleetClient::timedOut, this)).startOnce();
	connectTimer.initializeMs(action.connectTimeoutMs, TimerDelegate(&FleetClient::connectCheck, this)).startOnce();
	if(!http.send(request, idleTimeout, WatchedConnection::Lost(&FleetClient::connectionLost, this))) {
		watchdog.stop();
		connectTimer.stop();
		deliver(fleet::HttpOutcome{}, nullptr);
	}
}

void FleetClient::connectCheck()
{
	if(inFlight != fleet::ActionKind::Register && inFlight != fleet::ActionKind::Checkin) {
		return;
	}
	if(!http.connected()) {
		debug_w("[fleet] no connection within the connect deadline");
		timedOut();
	}
}

bool FleetClient::connectionLost(WatchedConnection& connection)
{
	if(inFlight != fleet::ActionKind::Register && inFlight != fleet::ActionKind::Checkin) {
		return false; // e.g. a firmware download sharing the pool: Sming's own retry applies
	}
	if(!http.isCurrent(connection)) {
		return true; // an abandoned connection (old address): nothing waits for it
	}
	// Called from inside the connection: fail the request from a timer, after it has returned.
	lostTimer.initializeMs(1, TimerDelegate([this]() {
					 if(inFlight == fleet::ActionKind::Register || inFlight == fleet::ActionKind::Checkin) {
						 debug_w("[fleet] connection closed by the server with the request pending");
						 timedOut();
					 }
				 }))
		.startOnce();
	return true;
}

int FleetClient::completed(uint32_t requestSequence, HttpConnection& connection, bool success)
{
	if(requestSequence != sequence || inFlight == fleet::ActionKind::None) {
		return 0; // answered after we gave up on it
	}
	watchdog.stop();
	connectTimer.stop();
	auto response = connection.getResponse();
	fleet::HttpOutcome outcome;
	outcome.status = response != nullptr ? int(response->code) : 0;
	if(!success && outcome.status >= 200 && outcome.status < 300) {
		outcome.status = 0; // cut off mid-reply
	}
	freshConnectionNeeded = freshConnectionNeeded || outcome.status == 0;
	String body = response != nullptr ? response->getBody() : nullptr;
	if(response != nullptr && response->headers.contains(F("Retry-After"))) {
		outcome.retryAfterSeconds = response->headers[F("Retry-After")].toInt();
	}
	deliver(outcome, body);
	return 0;
}

void FleetClient::timedOut()
{
	debug_w("[fleet] request failed: no reply");
	watchdog.stop();
	connectTimer.stop();
	++sequence;
	freshConnectionNeeded = true;
	deliver(fleet::HttpOutcome{}, nullptr);
}

void FleetClient::deliver(const fleet::HttpOutcome& result, const String& body)
{
	fleet::HttpOutcome outcome = result;
	auto kind = inFlight;
	inFlight = fleet::ActionKind::None;
	if(kind == fleet::ActionKind::Register) {
		fleet::RegisterReply reply;
		outcome.parsed = outcome.status >= 200 && outcome.status < 300 && ProtocolJson::parseRegisterReply(body, reply);
		agent->onRegistered(outcome, reply);
	} else if(kind == fleet::ActionKind::Checkin) {
		fleet::CheckinReply reply;
		outcome.parsed = outcome.status == 200 && ProtocolJson::parseCheckinReply(body, reply);
		agent->onCheckedIn(outcome, reply);
	}
}
