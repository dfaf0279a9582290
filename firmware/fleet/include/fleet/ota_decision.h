/*
 * Whether to take a firmware offer now. Sanity checks happen before a single byte is written to
 * the other slot; a failed offer is not retried at once (the server stops offering it after the
 * failure report, but an old server might not).
 */
#pragma once

#include "types.h"

namespace fleet
{
enum class OtaVerdict {
	None,		   ///< no offer, or it is what runs already
	Start,		   ///< download now
	DeferForAcks,  ///< deliver pending acks first, then take it
	RecentlyFailed, ///< same offer failed lately; wait
	Invalid,	   ///< offer unusable (bad md5, size 0, too big for the slot): report, don't try
};

struct OtaContext {
	std::string runningVersion;
	uint32_t maxImageSize{0}; ///< 0 = unknown, not checked
	size_t pendingAcks{0};
	uint32_t lastFailedId{0};
	uint32_t lastFailedAtMs{0};
	bool hasFailure{false};
	uint32_t nowMs{0};
	uint32_t retryDelayMs{10 * 60 * 1000};
};

bool isMd5Hex(const std::string& text);

OtaVerdict decideOta(const CheckinReply& reply, const OtaContext& context, std::string& reason);

const char* toString(OtaVerdict verdict);

} // namespace fleet
