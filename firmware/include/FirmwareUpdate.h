/*
 * OTA into the other ROM slot with Sming's HTTP upgrader, then checks before switching: the size
 * written must be the offered size and the MD5 of what is on flash must be the offered MD5. Only
 * then is the boot slot changed; on any failure the running image stays selected.
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
	using Finished = Delegate<void(bool ok, const String& message)>;

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
	OtaUpgrader ota;
	Storage::Partition target;
	fleet::FirmwareOffer offer;
	size_t receivedSize{0};
	Finished finished;
	Timer verifyTimer;
};
