/*
 * The device side of the FleetDesk protocol as a small state machine:
 *
 *   Discovering ──found──▶ Registering ──201/200──▶ CheckingIn ◀──┐ (interval or long-poll)
 *        ▲                     ▲                      │  │ └────┘
 *        └──N failures─────────┼──────────────────────┘  │ offer ──▶ Updating ──ok──▶ Restarting
 *                              └──────401 on check-in────┘                 └─fail─▶ CheckingIn (report)
 *
 * A registered device starts in CheckingIn at its server's last address; a failed connection sends
 * it to Discovering at once, where only its own server (or that address) is ever chosen. After an
 * update it boots the new image on trial (booted()); a confirming check-in reply makes it permanent,
 * the deadline or unconfirmed replies restart it into the old slot (see trial_boot.h).
 *
 * The platform layer asks poll() what to do next, performs it asynchronously (mDNS, HTTP, OTA) and
 * feeds the parsed result back through on*(). Time and randomness are injected, so tests drive it
 * without a network or a clock.
 */
#pragma once

#include "backoff.h"
#include "command_dispatcher.h"
#include "ota_decision.h"
#include "trial_boot.h"
#include "types.h"
#include <functional>

namespace fleet
{
struct AgentSettings {
	std::string configuredUrl; ///< fallback when mDNS finds nothing (http://host:port)
	std::string enrollmentKey; ///< policy `key` only
	bool longPoll{true};	   ///< check in with ?wait=N
	uint32_t maxWaitSeconds{60};
	uint32_t failuresBeforeRediscovery{3};
	uint32_t backoffBaseMs{2000};
	uint32_t backoffCapMs{5 * 60 * 1000};
	uint32_t conflictRetryMs{5 * 60 * 1000}; ///< 409/401 on register: the operator must act
	uint32_t otaRetryDelayMs{10 * 60 * 1000};
	uint32_t minIntervalSeconds{5};
	uint32_t minRequestGapMs{1000}; ///< floor between long-polls answered at once
	/* A dead server must be noticed in seconds: TCP connect, then the reply (after any long-poll wait). */
	uint32_t connectTimeoutMs{3000};
	uint32_t readTimeoutMs{5000};
	/* An image on trial restarts into the old slot when not confirmed within this time or after
	 * this many check-ins answered without a confirmation. */
	uint32_t trialDeadlineMs{5 * 60 * 1000};
	uint32_t trialMaxUnconfirmed{3};
};

struct AgentHooks {
	std::function<uint32_t()> nowMs; ///< monotonic milliseconds (wrap-around is fine)
	RandomSource random;
	std::function<Telemetry()> telemetry;
	/* Apply and persist a new effective config atomically; false keeps the old one. */
	std::function<bool(uint32_t cfgsn, const std::string& configJson)> applyConfig;
	std::function<void(const PersistedState&)> persist;
	std::function<void(const std::string&)> log;
	/* Make the trial slot the permanent boot slot (rBoot config); false keeps the trial running. */
	std::function<bool(uint8_t slot)> confirmSlot;
};

enum class ActionKind { None, Discover, Register, Checkin, DownloadFirmware, Reboot };
const char* toString(ActionKind kind);

struct Action {
	ActionKind kind{ActionKind::None};
	std::string url;		  ///< absolute URL for Register / Checkin / DownloadFirmware
	std::string token;		  ///< Bearer token; empty = no Authorization header
	unsigned waitSeconds{0};  ///< long-poll
	uint32_t connectTimeoutMs{0}; ///< Register / Checkin: give up when not connected by then
	uint32_t deadlineMs{0};		  ///< Register / Checkin: give up when no full reply by then
	std::string stopOnId;		  ///< Discover: stop listening as soon as this server id answers
	RegisterRequest registerRequest;
	CheckinRequest checkinRequest;
	FirmwareOffer offer;
};

enum class Phase { Discovering, Registering, CheckingIn, Updating, Restarting };
const char* toString(Phase phase);

class Agent
{
public:
	Agent(const AgentSettings& settings, const DeviceIdentity& identity, const PersistedState& stored,
		  AgentHooks hooks);

	CommandDispatcher& commands()
	{
		return dispatcher;
	}

	/* Call once before the first poll(): what the bootloader did (trial, rollback). */
	void booted(const BootFacts& facts);
	void setNetworkUp(bool up);
	/* Next thing to start now, or None (nothing due, offline, or a request still in flight). */
	Action poll();

	void onDiscovered(const std::vector<ServerEndpoint>& servers);
	/* A server announced itself by mDNS outside a discovery round. True when the request in
	 * flight must be abandoned: it went to the registered server's old address. */
	bool onAnnounced(const ServerEndpoint& server);
	void onRegistered(const HttpOutcome& outcome, const RegisterReply& reply);
	void onCheckedIn(const HttpOutcome& outcome, const CheckinReply& reply);
	/* ok: the image is written, checked and selected for one temporary boot from `slot`. */
	void onOtaFinished(bool ok, const std::string& message, uint8_t slot = 1);

	Phase phase() const
	{
		return currentPhase;
	}
	DeviceState deviceState() const
	{
		return serverState;
	}
	const ServerEndpoint& server() const
	{
		return endpoint;
	}
	const PersistedState& stored() const
	{
		return persisted;
	}
	uint32_t intervalSeconds() const
	{
		return interval;
	}
	uint32_t consecutiveFailures() const
	{
		return failures;
	}
	const BootReport& bootReport() const
	{
		return boot;
	}
	/* Milliseconds until poll() would act (0 = due). */
	uint32_t msUntilDue() const;

private:
	uint32_t now() const
	{
		return hooks.nowMs();
	}
	void log(const std::string& message) const;
	void save();
	void dueIn(uint32_t ms);
	void enter(Phase phase, uint32_t delayMs = 0);
	void fail(const char* what, const HttpOutcome& outcome);
	void applyConfigIfBehind(bool hasConfig, uint32_t cfgsn, const std::string& configJson);
	void runCommands(const std::vector<Command>& list);
	void considerFirmware(const CheckinReply& reply);
	void forgetToken(const char* why);
	void recordOtaFailure(uint32_t offerId, const std::string& message);
	std::string v1Url(const std::string& call) const;
	std::string resolveUrl(const std::string& pathOrUrl) const;
	Action buildCheckin();
	void rememberAddress();
	uint32_t retryDelay();
	void considerTrial(const CheckinReply& reply);
	void endTrial(const std::string& why);
	bool registered() const
	{
		return !persisted.serverId.empty();
	}
	ServerEndpoint lastKnown() const;

	AgentSettings settings;
	DeviceIdentity identity;
	PersistedState persisted;
	AgentHooks hooks;
	CommandDispatcher dispatcher;
	Backoff backoff;

	Phase currentPhase{Phase::Discovering};
	DeviceState serverState{DeviceState::Unknown};
	ServerEndpoint endpoint;
	bool networkUp{false};
	bool busy{false};
	uint32_t dueAtMs{0};
	uint32_t interval{60};
	uint32_t failures{0};
	size_t acksInFlight{0};
	bool otaReportInFlight{false};
	bool skipNextWait{false};
	bool pendingRestart{false};
	FirmwareOffer offerToTake;
	uint32_t lastOtaFailureMs{0};
	bool otaFailedThisBoot{false};
	BootReport boot;
	uint32_t trialStartMs{0};
	uint32_t unconfirmedCheckins{0};
};

} // namespace fleet
