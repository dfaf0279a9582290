#include <FirmwareUpdate.h>
#include <BootControl.h>
#include <Crypto/Md5.h>
#include <Ota/UpgradeOutputStream.h>
#include <StringConv.h>

namespace
{
/* Finishes the flash write (rboot buffers the tail) as soon as the last byte arrives, so the
 * read-back MD5 sees everything, whatever the HTTP client does with the stream afterwards. */
class SizedUpgradeStream : public Ota::UpgradeOutputStream
{
public:
	SizedUpgradeStream(Partition partition, size_t expected) : UpgradeOutputStream(partition, expected), expected(expected)
	{
	}

	size_t write(const uint8_t* data, size_t size) override
	{
		size_t done = UpgradeOutputStream::write(data, size);
		if(written == expected) {
			close();
		}
		return done;
	}

	bool close() override
	{
		if(closed) {
			return true;
		}
		closed = true;
		return UpgradeOutputStream::close();
	}

private:
	size_t expected;
	bool closed{false};
};

} // namespace

uint32_t FirmwareUpdate::spareSlotSize()
{
	auto spare = BootControl::slotPartition(BootControl::spareSlot());
	return spare ? spare.size() : 0;
}

void FirmwareUpdate::start(const String& url, const String& token, const fleet::FirmwareOffer& offer,
						   Finished finished)
{
	this->offer = offer;
	this->finished = finished;
	receivedSize = 0;
	// Not Sming's "next boot partition": during a trial rBoot's config still names the old slot.
	targetSlot = BootControl::spareSlot();
	target = BootControl::slotPartition(targetSlot);
	if(!target) {
		fail(F("no spare ROM slot to write to"));
		return;
	}
	if(offer.size > target.size()) {
		fail(F("image larger than the ROM slot"));
		return;
	}
	debug_i("[ota] downloading %s (%u bytes) into %s @ 0x%08x", url.c_str(), offer.size, target.name().c_str(),
			target.address());
	upgrader = std::make_unique<Ota::Network::HttpUpgrader>();
	baseRequest = std::make_unique<HttpRequest>();
	baseRequest->setHeader(F("Authorization"), F("Bearer ") + token);
	upgrader->setBaseRequest(baseRequest.get());
	upgrader->addItem(url, target, new SizedUpgradeStream(target, offer.size));
	upgrader->setCallback(Ota::Network::HttpUpgrader::CompletedDelegate(&FirmwareUpdate::downloaded, this));
	upgrader->start();
}

void FirmwareUpdate::downloaded(Ota::Network::HttpUpgrader& client, bool ok)
{
	if(!ok) {
		fail(F("download failed"));
		return;
	}
	receivedSize = client.getItems().count() != 0 ? client.getItems()[0].size : 0;
	// Verify outside the HTTP client's callback, once it has let go of the request and stream.
	verifyTimer.initializeMs(50, TimerDelegate(&FirmwareUpdate::verifyAndSwitch, this)).startOnce();
}

void FirmwareUpdate::verifyAndSwitch()
{
	if(receivedSize != offer.size) {
		fail(F("size mismatch: got ") + String(receivedSize) + F(" of ") + String(offer.size) + F(" bytes"));
		return;
	}
	String md5 = md5OfTarget(offer.size);
	if(!md5.equalsIgnoreCase(toSming(offer.md5))) {
		fail(F("MD5 mismatch: flash has ") + md5);
		return;
	}
	// What rBoot will check before starting it: a valid header and checksum, and exactly the
	// offered length (the running image's MD5 is later computed over that length).
	auto image = BootControl::checkSlot(targetSlot);
	if(!image.ok) {
		fail(F("image header refused: ") + image.error.c_str());
		return;
	}
	if(image.length != offer.size) {
		fail(F("image header gives ") + String(image.length) + F(" bytes, offer has ") + String(offer.size));
		return;
	}
	if(!BootControl::bootOnce(targetSlot)) {
		fail(F("could not select the new ROM slot for a trial boot"));
		return;
	}
	debug_i("[ota] %u bytes written, MD5 %s and header verified; %s boots once on trial", offer.size, md5.c_str(),
			target.name().c_str());
	if(finished) {
		finished(true, nullptr, targetSlot);
	}
}

String FirmwareUpdate::md5OfTarget(size_t length)
{
	Crypto::Md5 context;
	uint8_t buffer[256];
	for(size_t offset = 0; offset < length;) {
		size_t chunk = std::min(sizeof(buffer), length - offset);
		if(!target.read(offset, buffer, chunk)) {
			return F("(unreadable)");
		}
		context.update(buffer, chunk);
		offset += chunk;
	}
	return Crypto::toString(context.getHash());
}

void FirmwareUpdate::fail(const String& message)
{
	debug_e("[ota] failed: %s; the running image stays", message.c_str());
	if(finished) {
		finished(false, message, targetSlot);
	}
}
