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

/* A pooled connection that tells its owner when the server closes or resets it while a request is
 * pending, instead of Sming's default of reconnecting and sending it again: a held long-poll to a
 * server that restarted must fail at once, not after the idle timeout. */
class WatchedConnection : public HttpClientConnection
{
public:
	using Lost = Delegate<bool(WatchedConnection& connection)>; ///< true = handled by the owner, don't reconnect

	WatchedConnection(Lost lost) : lost(lost)
	{
	}
	bool established() const
	{
		return connected;
	}

protected:
	err_t onConnected(err_t err) override
	{
		connected = connected || err == ERR_OK;
		return HttpClientConnection::onConnected(err);
	}
	void onClosed() override
	{
		connected = false;
		if(!isFinished() && lost && lost(*this)) {
			return;
		}
		HttpClientConnection::onClosed();
	}

private:
	Lost lost;
	bool connected{false};
};

/* HttpClient whose pooled connection to the FleetDesk server gives up after a stretch of silence
 * and reports a closed connection, so a vanished server cannot hold requests forever. */
class TimedHttpClient : public HttpClient
{
public:
	bool send(HttpRequest* request, uint16_t idleTimeoutSeconds, WatchedConnection::Lost lost)
	{
		String key = getCacheKey(request->uri);
		int index = httpConnectionPool.indexOf(key);
		HttpClientConnection* pooled = nullptr;
		if(index >= 0) {
			pooled = httpConnectionPool.valueAt(index);
		}
		if(pooled == nullptr) {
			// Only this client creates connections to the server's address before anyone else:
			// whatever is pooled under that key is ours.
			pooled = new WatchedConnection(lost);
			httpConnectionPool[key] = pooled;
		}
		current = static_cast<WatchedConnection*>(pooled);
		if(!HttpClient::send(request)) {
			return false;
		}
		current->setTimeOut(idleTimeoutSeconds);
		return true;
	}

	/* Whether the connection used by the last send() has been established (TCP connect done). */
	bool connected() const
	{
		// The pool's once-a-minute clean-up may have deleted it: only trust a pointer still pooled.
		for(unsigned i = 0; i < httpConnectionPool.count(); ++i) {
			const HttpClientConnection* pooled = httpConnectionPool.valueAt(i);
			if(pooled == current) {
				return current != nullptr && current->established();
			}
		}
		return false;
	}

	bool isCurrent(const WatchedConnection& connection) const
	{
		return &connection == current;
	}

	/* Forget the pooled connection to `url`'s server: after a timeout or a vanished server it may
	 * hold a request that never completes, and every later request would queue behind it. Call
	 * from a timer, never from inside one of the connection's callbacks. */
	void dropConnection(const Url& url)
	{
		int index = httpConnectionPool.indexOf(getCacheKey(url));
		if(index >= 0) {
			const HttpClientConnection* pooled = httpConnectionPool.valueAt(index);
			if(pooled == current) {
				current = nullptr;
			}
			httpConnectionPool.removeAt(index);
		}
	}

private:
	WatchedConnection* current{nullptr};
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
	void connectCheck();
	bool connectionLost(WatchedConnection& connection);
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
	Timer connectTimer;
	Timer lostTimer;
	fleet::ActionKind inFlight{fleet::ActionKind::None};
	uint32_t sequence{0};
	uint64_t uptimeMs{0};
	uint32_t lastMillis{0};
	bool advertising{false};
	bool freshConnectionNeeded{false};
	String runningMd5;
};

extern FleetClient fleetClient;
