/*
 * What the agent does with what the server sent: apply config, run commands, take (or refuse)
 * a firmware offer. Split from agent.cpp, which holds the phases and the network outcomes.
 */
#include "fleet/agent.h"
#include <algorithm>

namespace fleet
{
namespace
{
// Kept on flash. Past this an ack is not queued: the server re-sends that command (at least once)
// and it is acked then as a repeat.
constexpr size_t maxPendingAcks = 32;
} // namespace

void Agent::applyConfigIfBehind(bool hasConfig, uint32_t cfgsn, const std::string& configJson)
{
	if(!hasConfig || cfgsn == persisted.appliedCfgsn) {
		return;
	}
	bool applied = hooks.applyConfig ? hooks.applyConfig(cfgsn, configJson) : true;
	if(!applied) {
		log("config " + std::to_string(cfgsn) + " rejected; keeping " + std::to_string(persisted.appliedCfgsn));
		return;
	}
	log("config applied: cfgsn " + std::to_string(persisted.appliedCfgsn) + " -> " + std::to_string(cfgsn));
	persisted.appliedCfgsn = cfgsn;
	save();
	skipNextWait = true; // report the new cfgsn at once so the operator sees "in sync"
}

void Agent::runCommands(const std::vector<Command>& list)
{
	if(list.empty()) {
		return;
	}
	for(auto& command : list) {
		auto outcome = dispatcher.dispatch(command);
		log("command " + std::to_string(command.id) + " " + command.name + (outcome.executed ? "" : " (repeat)") +
			": " + (outcome.ack.ok ? "ok" : "failed") + (outcome.ack.result.empty() ? "" : " " + outcome.ack.result));
		auto existing = std::find_if(persisted.pendingAcks.begin(), persisted.pendingAcks.end(),
									 [&](const CommandAck& ack) { return ack.id == command.id; });
		if(existing == persisted.pendingAcks.end() && persisted.pendingAcks.size() < maxPendingAcks) {
			persisted.pendingAcks.push_back(outcome.ack);
		}
		pendingRestart = pendingRestart || outcome.rebootRequested;
	}
	save(); // acks and executed ids must survive the restart a command may cause
}

void Agent::considerFirmware(const CheckinReply& reply)
{
	if(boot.trial) {
		return; // the other slot holds the image to fall back to: never overwrite it now
	}
	OtaContext context;
	context.runningVersion = identity.fwVersion;
	context.maxImageSize = identity.maxImageSize;
	context.pendingAcks = persisted.pendingAcks.size();
	context.hasFailure = otaFailedThisBoot;
	context.lastFailedId = persisted.failedOtaId;
	context.lastFailedAtMs = lastOtaFailureMs;
	context.nowMs = now();
	context.retryDelayMs = settings.otaRetryDelayMs;
	std::string reason;
	OtaVerdict verdict = decideOta(reply, context, reason);
	switch(verdict) {
	case OtaVerdict::Start:
		offerToTake = reply.firmware;
		log("firmware offer " + std::to_string(offerToTake.id) + ": " + identity.fwVersion + " -> " +
			offerToTake.version + " (" + std::to_string(offerToTake.size) + " bytes, md5 " + offerToTake.md5 + ")");
		enter(Phase::Updating);
		return;
	case OtaVerdict::Invalid:
		if(!otaFailedThisBoot || persisted.failedOtaId != reply.firmware.id) {
			recordOtaFailure(reply.firmware.id, reason);
			return;
		}
		// Already reported: pace like a recent failure.
		/* fall through */
	case OtaVerdict::RecentlyFailed:
		// The server answers a long-poll at once while it offers something: don't spin on it.
		dueIn(interval * 1000);
		skipNextWait = true;
		return;
	default:
		return;
	}
}

void Agent::recordOtaFailure(uint32_t offerId, const std::string& message)
{
	log("OTA of offer " + std::to_string(offerId) + " failed: " + message + "; keeping " + identity.fwVersion);
	persisted.failedOtaId = offerId;
	persisted.failedOtaMessage = message.empty() ? "update failed" : message.substr(0, 200);
	persisted.failedOtaRolledBack = false;
	otaFailedThisBoot = true;
	lastOtaFailureMs = now();
	skipNextWait = true; // report it at once
	save();
}

void Agent::onOtaFinished(bool ok, const std::string& message, uint8_t slot)
{
	busy = false;
	if(ok) {
		// Remembered before the restart: whichever image boots next learns from it whether the
		// trial is running (new slot) or was abandoned (old slot).
		persisted.trial = TrialRecord{};
		persisted.trial.offerId = offerToTake.id;
		persisted.trial.version = offerToTake.version;
		persisted.trial.md5 = offerToTake.md5;
		persisted.trial.size = offerToTake.size;
		persisted.trial.slot = slot;
		save();
		log("OTA done: " + offerToTake.version + " written to slot " + std::to_string(slot) +
			", booting it once on trial; restarting");
		enter(Phase::Restarting);
		return;
	}
	recordOtaFailure(offerToTake.id, message);
	enter(Phase::CheckingIn);
}

} // namespace fleet
