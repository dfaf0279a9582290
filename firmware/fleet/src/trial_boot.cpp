#include "fleet/trial_boot.h"
#include <cctype>

namespace fleet
{
BootAssessment assessBoot(const TrialRecord& trial, const BootFacts& facts)
{
	BootAssessment result;
	if(!trial.pending()) {
		return result;
	}
	if(facts.runningSlot == trial.slot) {
		// A temporary boot is the trial itself. A standard boot of that slot means it was made
		// permanent and the device restarted before the record was cleared.
		result.onTrial = facts.temporary;
		result.settled = !facts.temporary;
		return result;
	}
	result.rolledBack = true;
	std::string why = trial.endNote;
	if(why.empty()) {
		// The trial image did not say why it left: the reset reason of this boot tells (exception,
		// hardware_wdt, ...). A plain restart means rBoot found nothing bootable in the slot.
		why = facts.reason == "soft_restart" ? "the new image did not start" : facts.reason;
	}
	result.message = "rolled back: " + why;
	return result;
}

bool sameMd5(const std::string& a, const std::string& b)
{
	if(a.empty() || a.size() != b.size()) {
		return false;
	}
	for(size_t i = 0; i < a.size(); ++i) {
		if(std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
			return false;
		}
	}
	return true;
}

} // namespace fleet
