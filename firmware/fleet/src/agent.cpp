#include "fleet/agent.h"
#include "fleet/server_choice.h"
#include <algorithm>

namespace fleet
{
namespace
{
// With results capped by the dispatcher this keeps a check-in body well under the server's 4 KiB.
constexpr size_t maxAcksPerCheckin = 16;
}

Agent::Agent(const AgentSettings& settings, const DeviceIdentity& identity, const PersistedState& stored,
			 AgentHooks hooks)
	: settings(settings), identity(identity), persisted(stored), hooks(std::move(hooks)),
	  backoff(settings.backoffBaseMs, settings.backoffCapMs, this->hooks.random)
{
	dispatcher.restoreRecentIds(persisted.recentCommandIds);
	dueAtMs = now();
	// Registered, and the server's address is known: check in there at once, no discovery window
	// first. Discovery runs only when that address stops answering.
	if(registered() && !persisted.token.empty() && lastKnown().valid()) {
		endpoint = lastKnown();
		skipNextWait = true;
		currentPhase = Phase::CheckingIn;
	}
}

void Agent::log(const std::string& message) const
{
	if(hooks.log) {
		hooks.log(message);
	}
}

void Agent::save()
{
	persisted.recentCommandIds = dispatcher.recent();
	if(hooks.persist) {
		hooks.persist(persisted);
	}
}

void Agent::dueIn(uint32_t ms)
{
	dueAtMs = now() + ms;
}

void Agent::enter(Phase phase, uint32_t delayMs)
{
	if(phase != currentPhase) {
		log(std::string("phase ") + toString(currentPhase) + " -> " + toString(phase));
	}
	currentPhase = phase;
	dueIn(delayMs);
}

uint32_t Agent::msUntilDue() const
{
	int32_t left = int32_t(dueAtMs - now());
	return left > 0 ? uint32_t(left) : 0;
}

void Agent::setNetworkUp(bool up)
{
	if(up && !networkUp) {
		dueIn(0);
	}
	networkUp = up;
}

std::string Agent::v1Url(const std::string& call) const
{
	return endpoint.baseUrl() + endpoint.apiPath + "/devices/" + identity.mac + "/" + call;
}

std::string Agent::resolveUrl(const std::string& pathOrUrl) const
{
	if(pathOrUrl.compare(0, 7, "http://") == 0) {
		return pathOrUrl;
	}
	return endpoint.baseUrl() + (pathOrUrl.empty() || pathOrUrl[0] != '/' ? "/" : "") + pathOrUrl;
}

Action Agent::poll()
{
	Action action;
	if(boot.trial && currentPhase != Phase::Restarting && now() - trialStartMs >= settings.trialDeadlineMs) {
		endTrial("no confirmation within " + std::to_string(settings.trialDeadlineMs / 1000) + " s");
		busy = false; // a request still in flight is abandoned by the restart
	}
	if(!networkUp || busy || msUntilDue() != 0) {
		return action;
	}
	switch(currentPhase) {
	case Phase::Discovering:
		action.kind = ActionKind::Discover;
		action.stopOnId = persisted.serverId;
		break;
	case Phase::Registering:
		action.kind = ActionKind::Register;
		action.url = v1Url("register");
		action.token = persisted.token;
		action.registerRequest.identity = identity;
		action.registerRequest.enrollmentKey = settings.enrollmentKey;
		action.registerRequest.boot = boot;
		action.connectTimeoutMs = settings.connectTimeoutMs;
		action.deadlineMs = settings.connectTimeoutMs + settings.readTimeoutMs;
		if(hooks.telemetry) {
			action.registerRequest.telemetry = hooks.telemetry();
		}
		break;
	case Phase::CheckingIn:
		action = buildCheckin();
		break;
	case Phase::Updating:
		action.kind = ActionKind::DownloadFirmware;
		action.url = resolveUrl(offerToTake.url);
		action.token = persisted.token;
		action.offer = offerToTake;
		break;
	case Phase::Restarting:
		action.kind = ActionKind::Reboot;
		break;
	}
	busy = true;
	return action;
}

Action Agent::buildCheckin()
{
	Action action;
	action.kind = ActionKind::Checkin;
	action.token = persisted.token;
	// On trial the confirmation is wanted now, not after a held long-poll.
	if(settings.longPoll && !skipNextWait && !boot.trial) {
		action.waitSeconds = std::min(std::max(interval, 1u), settings.maxWaitSeconds);
	}
	skipNextWait = false;
	action.url = v1Url("checkin");
	action.connectTimeoutMs = settings.connectTimeoutMs;
	action.deadlineMs = settings.connectTimeoutMs + settings.readTimeoutMs + action.waitSeconds * 1000;
	if(action.waitSeconds != 0) {
		action.url += "?wait=" + std::to_string(action.waitSeconds);
	}
	CheckinRequest& request = action.checkinRequest;
	request.cfgsn = persisted.appliedCfgsn;
	if(hooks.telemetry) {
		request.telemetry = hooks.telemetry();
	}
	request.fwName = identity.fwName;
	request.fwVersion = identity.fwVersion;
	request.fwMd5 = identity.fwMd5;
	request.boot = boot;
	acksInFlight = std::min(persisted.pendingAcks.size(), maxAcksPerCheckin);
	request.acks.assign(persisted.pendingAcks.begin(), persisted.pendingAcks.begin() + acksInFlight);
	otaReportInFlight = !persisted.failedOtaMessage.empty();
	if(otaReportInFlight) {
		request.hasOta = true;
		request.ota.id = persisted.failedOtaId;
		request.ota.ok = false;
		request.ota.message = persisted.failedOtaMessage;
		request.ota.rolledBack = persisted.failedOtaRolledBack;
	}
	return action;
}

void Agent::forgetToken(const char* why)
{
	if(!persisted.token.empty()) {
		log(std::string("forgetting token: ") + why);
		persisted.token.clear();
		save();
	}
}

void Agent::fail(const char* what, const HttpOutcome& outcome)
{
	++failures;
	skipNextWait = true; // learn quickly whether the server is back; long-poll again once it is
	if(outcome.status == 0 && registered() && currentPhase != Phase::Discovering) {
		// No connection, or it closed or timed out: the server is gone or moved. Ask mDNS now
		// (the round ends as soon as it answers) rather than retrying a dead address.
		log(std::string(what) + " failed (no connection, " + std::to_string(failures) + " in a row); looking for server " +
			persisted.serverId);
		enter(Phase::Discovering);
		return;
	}
	uint32_t delay = retryDelay();
	if(outcome.status == 429 && outcome.retryAfterSeconds > 0) {
		delay = std::max(delay, uint32_t(outcome.retryAfterSeconds) * 1000);
	}
	log(std::string(what) + " failed (status " + std::to_string(outcome.status) + ", " + std::to_string(failures) +
		" in a row); retry in " + std::to_string(delay) + " ms");
	if(failures >= settings.failuresBeforeRediscovery && currentPhase != Phase::Discovering) {
		log("server unreachable; discovering again");
		enter(Phase::Discovering, delay);
		return;
	}
	dueIn(delay);
}

void Agent::onRegistered(const HttpOutcome& outcome, const RegisterReply& reply)
{
	busy = false;
	bool success = (outcome.status == 200 || outcome.status == 201) && outcome.parsed;
	if(success && (!reply.token.empty() || !persisted.token.empty())) {
		failures = 0;
		backoff.reset();
		if(!reply.token.empty()) {
			persisted.token = reply.token;
			persisted.serverId = endpoint.id;
			save();
		}
		rememberAddress();
		serverState = reply.state;
		interval = std::max(reply.interval, settings.minIntervalSeconds);
		log(std::string("registered (") + std::to_string(outcome.status) + "): state " + toString(reply.state) +
			", cfgsn " + std::to_string(reply.cfgsn) + ", interval " + std::to_string(interval) + " s");
		if(reply.state == DeviceState::Active) {
			applyConfigIfBehind(reply.hasConfig, reply.cfgsn, reply.configJson);
		}
		skipNextWait = true;
		enter(Phase::CheckingIn);
		return;
	}
	if(outcome.status == 409) {
		// The server holds a valid token we do not have: only the operator can fix that.
		forgetToken("server says conflict");
		log("register: 409 conflict; waiting for the operator to reset this device's credentials");
		dueIn(settings.conflictRetryMs / 2 + (hooks.random ? hooks.random() % (settings.conflictRetryMs / 2 + 1) : 0));
		return;
	}
	if(outcome.status == 401 || outcome.status == 403) {
		log("register: refused (" + std::to_string(outcome.status) + "); check the enrollment key");
		dueIn(settings.conflictRetryMs);
		return;
	}
	fail("register", outcome);
}

void Agent::onCheckedIn(const HttpOutcome& outcome, const CheckinReply& reply)
{
	busy = false;
	if(outcome.status == 401 || outcome.status == 404) {
		forgetToken("check-in unauthorized (credentials reset or device deleted)");
		enter(Phase::Registering);
		return;
	}
	if(outcome.status != 200 || !outcome.parsed) {
		fail("check-in", outcome);
		return;
	}
	failures = 0;
	backoff.reset();
	rememberAddress();
	if(acksInFlight != 0) {
		persisted.pendingAcks.erase(persisted.pendingAcks.begin(),
									persisted.pendingAcks.begin() + std::min(acksInFlight, persisted.pendingAcks.size()));
		acksInFlight = 0;
		save();
	}
	if(otaReportInFlight) {
		persisted.failedOtaMessage.clear();
		persisted.failedOtaRolledBack = false;
		otaReportInFlight = false;
		save();
	}
	if(reply.state != serverState) {
		log(std::string("server state: ") + toString(reply.state));
	}
	serverState = reply.state;
	interval = std::max(reply.interval, settings.minIntervalSeconds);
	uint32_t nextDelay = settings.longPoll ? settings.minRequestGapMs : interval * 1000;
	if(boot.trial) {
		considerTrial(reply);
		if(currentPhase != Phase::CheckingIn) {
			return;
		}
		if(boot.trial) {
			nextDelay = interval * 1000; // no long-poll on trial: pace the plain check-ins
			skipNextWait = false;
		}
	}
	if(reply.state == DeviceState::Active) {
		applyConfigIfBehind(reply.hasConfig, reply.cfgsn, reply.configJson);
		runCommands(reply.commands);
		if(pendingRestart) {
			pendingRestart = false;
			log("restarting as commanded; the ack goes out after the restart");
			enter(Phase::Restarting);
			return;
		}
		considerFirmware(reply);
		if(currentPhase != Phase::CheckingIn || msUntilDue() != 0) {
			return;
		}
	}
	if(!persisted.pendingAcks.empty() || (skipNextWait && !boot.trial)) {
		nextDelay = 0;
	}
	dueIn(nextDelay);
}

} // namespace fleet
