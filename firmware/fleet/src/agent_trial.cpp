/*
 * The agent's side of a trial boot: what the bootloader did at this boot, the server's
 * confirmation, and giving up (restart into the old slot) when none comes.
 */
#include "fleet/agent.h"

namespace fleet
{
void Agent::booted(const BootFacts& facts)
{
	++persisted.bootCount;
	boot.count = persisted.bootCount;
	boot.reason = facts.reason;
	boot.slot = facts.runningSlot;
	BootAssessment assessment = assessBoot(persisted.trial, facts);
	if(assessment.rolledBack) {
		log("trial of " + persisted.trial.version + " in slot " + std::to_string(persisted.trial.slot) +
			" ended; back on slot " + std::to_string(facts.runningSlot) + " (" + assessment.message + ")");
		persisted.failedOtaId = persisted.trial.offerId;
		persisted.failedOtaMessage = assessment.message;
		persisted.failedOtaRolledBack = true;
		// Not taken again at once should the server still offer it.
		otaFailedThisBoot = true;
		lastOtaFailureMs = now();
		persisted.trial = TrialRecord{};
	} else if(assessment.settled) {
		persisted.trial = TrialRecord{};
	} else if(assessment.onTrial) {
		boot.trial = true;
		trialStartMs = now();
		unconfirmedCheckins = 0;
		log("on trial: " + identity.fwVersion + " in slot " + std::to_string(facts.runningSlot) +
			"; waiting for the server's confirmation");
	}
	save();
}

void Agent::considerTrial(const CheckinReply& reply)
{
	if(!reply.confirmMd5.empty() && sameMd5(reply.confirmMd5, identity.fwMd5)) {
		if(hooks.confirmSlot && !hooks.confirmSlot(boot.slot)) {
			log("confirmation received but slot " + std::to_string(boot.slot) + " could not be made permanent");
		} else {
			log("trial confirmed (md5 " + identity.fwMd5 + "): slot " + std::to_string(boot.slot) + " is permanent");
			boot.trial = false;
			persisted.trial = TrialRecord{};
			save();
			skipNextWait = true; // report `trial: false` at once
			return;
		}
	} else if(!reply.confirmMd5.empty()) {
		log("confirmation for md5 " + reply.confirmMd5 + " ignored: running " +
			(identity.fwMd5.empty() ? std::string("an image of unknown md5") : identity.fwMd5));
	}
	if(++unconfirmedCheckins >= settings.trialMaxUnconfirmed) {
		endTrial(std::to_string(unconfirmedCheckins) + " check-ins answered without confirmation");
	}
}

void Agent::endTrial(const std::string& why)
{
	log("trial of " + identity.fwVersion + " abandoned: " + why + "; restarting into the old slot");
	persisted.trial.endNote = why;
	save();
	boot.trial = false;
	enter(Phase::Restarting);
}

} // namespace fleet
