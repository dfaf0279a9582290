/*
 * OTA into the other ROM slot with Sming's HTTP upgrader, then checks before switching: the size
 * written must be the offered size, the MD5 of what is on flash the offered MD5, and the image
 * header what rBoot accepts. Only then is the new slot selected, for ONE temporary boot: rBoot's
 * configured slot stays the old one until the server confirms the new image.
 */
#pragma once

#include <Ota/Network/HttpUpgrader.h>
#include <Ota/Upgrader.h>
#include <Timer.h>
#include <fleet/types.h>
#include <memory>

class FirmwareUpdate
{
public:
	using Finished = Delegate<void(bool ok, const String& message, uint8_t slot)>;

	void start(const String& url, const String& token, const fleet::FirmwareOffer& offer, Finished finished);
	/* Size of the slot an update would be written to (0 if there is none). */
	uint32_t spareSlotSize();

private:
	void downloaded(Ota::Network::HttpUpgrader& upgrader, bool ok);
	void verifyAndSwitch();
	void fail(const String& message);
	String md5OfTarget(size_t length);

	std::unique_ptr<Ota::Network::HttpUpgrader> upgrader;
	std::unique_ptr<HttpRequest> baseRequest;
	Storage::Partition target;
	uint8_t targetSlot{1};
	fleet::FirmwareOffer offer;
	size_t receivedSize{0};
	Finished finished;
	Timer verifyTimer;
};
