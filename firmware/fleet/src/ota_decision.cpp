#include "fleet/ota_decision.h"

namespace fleet
{
bool isMd5Hex(const std::string& text)
{
	return text.size() == 32 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

OtaVerdict decideOta(const CheckinReply& reply, const OtaContext& context, std::string& reason)
{
	reason.clear();
	if(!reply.hasFirmware || reply.state != DeviceState::Active) {
		return OtaVerdict::None;
	}
	const FirmwareOffer& offer = reply.firmware;
	if(offer.version == context.runningVersion) {
		return OtaVerdict::None;
	}
	if(!isMd5Hex(offer.md5)) {
		reason = "offer has no valid md5";
		return OtaVerdict::Invalid;
	}
	if(offer.size == 0) {
		reason = "offer has size 0";
		return OtaVerdict::Invalid;
	}
	if(offer.url.empty()) {
		reason = "offer has no url";
		return OtaVerdict::Invalid;
	}
	if(context.maxImageSize != 0 && offer.size > context.maxImageSize) {
		reason = "image of " + std::to_string(offer.size) + " bytes does not fit the ROM slot (" +
				 std::to_string(context.maxImageSize) + ")";
		return OtaVerdict::Invalid;
	}
	if(context.hasFailure && context.lastFailedId == offer.id &&
	   context.nowMs - context.lastFailedAtMs < context.retryDelayMs) {
		reason = "offer " + std::to_string(offer.id) + " failed lately";
		return OtaVerdict::RecentlyFailed;
	}
	if(context.pendingAcks != 0) {
		// A restart into the new image must not lose command acks: deliver them first.
		return OtaVerdict::DeferForAcks;
	}
	return OtaVerdict::Start;
}

const char* toString(OtaVerdict verdict)
{
	switch(verdict) {
	case OtaVerdict::Start:
		return "start";
	case OtaVerdict::DeferForAcks:
		return "defer-for-acks";
	case OtaVerdict::RecentlyFailed:
		return "recently-failed";
	case OtaVerdict::Invalid:
		return "invalid";
	default:
		return "none";
	}
}

} // namespace fleet
