/*
 * Runs the protocol state machine (fleet::Agent) on Sming: polls it from a timer and performs
 * what it asks for — mDNS discovery, register/check-in over HTTP with JSON bodies, OTA, restart —
 * feeding each result back. All protocol decisions live in the agent (host-tested); this class
 * only does I/O.
 */
#pragma once

#include <Discovery.h>
#include <FirmwareUpdate.h>
#include <Network/HttpClient.h>
#include <Settings.h>
#include <Timer.h>
#include <fleet/agent.h>
#include <memory>

/* HttpClient whose pooled connection gives up after a stretch of silence: a server that vanished
 * mid-request must not hold the connection (and every request queued on it) forever. */
class TimedHttpClient : public HttpClient
{
public:
	bool send(HttpRequest* request, uint16_t idleTimeoutSeconds)
	{
		String key = getCacheKey(request->uri);
		if(!HttpClient::send(request)) {
			return false;
		}
		int index = httpConnectionPool.indexOf(key);
		if(index >= 0) {
			HttpClientConnection* connection = httpConnectionPool.valueAt(index);
			if(connection != nullptr) {
				connection->setTimeOut(idleTimeoutSeconds);
			}
		}
		return true;
	}

	/* Forget the pooled connection to `url`'s server: after a timeout or a vanished server it may
	 * hold a request that never completes, and every later request would queue behind it. Call
	 * from a timer, never from inside one of the connection's callbacks. */
	void dropConnection(const Url& url)
	{
		int index = httpConnectionPool.indexOf(getCacheKey(url));
		if(index >= 0) {
			httpConnectionPool.removeAt(index);
		}
	}
};

class FleetClient
{
public:
	/* Call once at boot, before the network is up; handlers may be added to commands() after. */
	void begin(const SetupSettings& setup);
	void setNetworkUp(bool up);

	fleet::CommandDispatcher& commands()
	{
		return agent->commands();
	}
	const fleet::Agent& state() const
	{
		return *agent;
	}

private:
	void tick();
	void perform(const fleet::Action& action);
	void post(const fleet::Action& action, String&& body);
	int completed(uint32_t sequence, HttpConnection& connection, bool success);
	void timedOut();
	void deliver(const fleet::HttpOutcome& outcome, const String& body);
	fleet::DeviceIdentity identity();
	fleet::Telemetry telemetry();
	uint32_t nowMs();

	std::unique_ptr<fleet::Agent> agent;
	TimedHttpClient http;
	ServerDiscovery discovery;
	DeviceAdvertiser advertiser;
	FirmwareUpdate firmwareUpdate;
	Timer pollTimer;
	Timer watchdog;
	fleet::ActionKind inFlight{fleet::ActionKind::None};
	uint32_t sequence{0};
	uint64_t uptimeMs{0};
	uint32_t lastMillis{0};
	bool advertising{false};
	bool freshConnectionNeeded{false};
};

extern FleetClient fleetClient;
