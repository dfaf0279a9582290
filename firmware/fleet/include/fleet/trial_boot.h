/*
 * Trial boot with rBoot: a new image is booted once ("temporary boot"); only a server confirmation
 * makes its slot permanent. Any reset before that — crash, watchdog, or the image giving up after
 * its deadline — lets rBoot start the old slot again. This decides, at each boot, what happened to
 * a pending trial, from what the platform can tell (running slot, temporary boot, reset reason).
 */
#pragma once

#include "types.h"

namespace fleet
{
struct BootFacts {
	uint8_t runningSlot{0};
	bool temporary{false};		   ///< rBoot started this slot as a temporary (one-shot) boot
	std::string reason{"unknown"}; ///< reset reason of this boot, protocol spelling
};

struct BootAssessment {
	bool onTrial{false};	///< running the trial image, not yet confirmed
	bool rolledBack{false}; ///< back on the old slot: report it
	bool settled{false};	///< the trial slot already became permanent: forget the record
	std::string message;	///< for rolledBack: "rolled back: <reason>"
};

BootAssessment assessBoot(const TrialRecord& trial, const BootFacts& facts);

/* Case-insensitive equality of two MD5 hex strings; false when either is empty. */
bool sameMd5(const std::string& a, const std::string& b);

} // namespace fleet
