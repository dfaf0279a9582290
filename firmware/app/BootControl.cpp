#include <BootControl.h>
#include <Crypto/Md5.h>
#include <rboot-api.h>
#include <esp_spi_flash.h>
#include <esp_systemapi.h>

namespace
{
#ifdef ARCH_HOST
constexpr fleet::ImageKind imageKind = fleet::ImageKind::HostElf;
// rBoot's RTC record (same layout and checksum as rboot_rtc_data) and the reset reason, as the
// emulator's launcher writes them before each start.
constexpr uint32_t hostRtcOffset = 0x1000 + 0x800;
constexpr uint32_t hostReasonOffset = hostRtcOffset + 0x10;
constexpr uint32_t rtcMagic = 0x2334ae68;
constexpr uint8_t modeTemporary = 0x02;
struct RtcRecord {
	uint32_t magic;
	uint8_t nextMode;
	uint8_t lastMode;
	uint8_t lastRom;
	uint8_t tempRom;
	uint8_t checksum;
	uint8_t pad[3];
};
static_assert(sizeof(RtcRecord) == 12, "rboot_rtc_data layout");

uint8_t checksumOf(const RtcRecord& record)
{
	uint8_t sum = 0xEF;
	auto bytes = reinterpret_cast<const uint8_t*>(&record);
	for(size_t i = 0; i < offsetof(RtcRecord, checksum); ++i) {
		sum ^= bytes[i];
	}
	return sum;
}

bool readRtc(RtcRecord& record)
{
	return flashmem_read(&record, hostRtcOffset, sizeof(record)) == sizeof(record) && record.magic == rtcMagic &&
		   record.checksum == checksumOf(record);
}

bool writeRtc(RtcRecord& record)
{
	record.checksum = checksumOf(record);
	return flashmem_write(&record, hostRtcOffset, sizeof(record)) == sizeof(record);
}
#else
constexpr fleet::ImageKind imageKind = fleet::ImageKind::Esp8266;
#endif

const char* reasonName(uint32_t reason)
{
	switch(reason) {
	case REASON_DEFAULT_RST:
		return "power_on";
	case REASON_WDT_RST:
		return "hardware_wdt";
	case REASON_EXCEPTION_RST:
		return "exception";
	case REASON_SOFT_WDT_RST:
		return "software_wdt";
	case REASON_SOFT_RESTART:
		return "soft_restart";
	case REASON_DEEP_SLEEP_AWAKE:
		return "deep_sleep";
	case REASON_EXT_SYS_RST:
		return "external";
	default:
		return "unknown";
	}
}

fleet::BootFacts bootFacts;
bool factsRead;

} // namespace

namespace BootControl
{
fleet::BootFacts facts()
{
	if(factsRead) {
		return bootFacts;
	}
	factsRead = true;
	bootFacts.runningSlot = rboot_get_current_rom();
	uint32_t reason = system_get_rst_info()->reason;
#ifdef ARCH_HOST
	RtcRecord record;
	if(readRtc(record)) {
		bootFacts.runningSlot = record.lastRom;
		bootFacts.temporary = record.lastMode == modeTemporary;
		uint8_t launcherReason = 0xFF;
		if(flashmem_read(&launcherReason, hostReasonOffset, 1) == 1 && launcherReason <= REASON_EXT_SYS_RST) {
			reason = launcherReason;
		}
	}
#elif defined(BOOT_RTC_ENABLED)
	rboot_rtc_data rtc;
	if(rboot_get_rtc_data(&rtc)) {
		bootFacts.runningSlot = rtc.last_rom;
		bootFacts.temporary = rtc.last_mode == MODE_TEMP_ROM;
	}
#endif
	bootFacts.reason = reasonName(reason);
	return bootFacts;
}

Storage::Partition slotPartition(uint8_t slot)
{
	return Storage::findPartition(slot == 0 ? String(F("rom0")) : String(F("rom1")));
}

uint8_t spareSlot()
{
	return facts().runningSlot == 0 ? 1 : 0;
}

fleet::ImageCheck checkSlot(uint8_t slot)
{
	auto partition = slotPartition(slot);
	if(!partition) {
		fleet::ImageCheck none;
		none.error = "no such ROM slot";
		return none;
	}
	return fleet::checkImage(
		imageKind,
		[&partition](uint32_t offset, uint8_t* out, uint32_t length) { return partition.read(offset, out, length); },
		partition.size());
}

String runningImageMd5()
{
	uint8_t slot = facts().runningSlot;
	auto check = checkSlot(slot);
	if(!check.ok) {
		debug_w("[boot] slot %u: %s; running image md5 unknown", slot, check.error.c_str());
		return nullptr;
	}
	auto partition = slotPartition(slot);
	Crypto::Md5 context;
	uint8_t buffer[256];
	for(uint32_t offset = 0; offset < check.length;) {
		uint32_t chunk = std::min<uint32_t>(sizeof(buffer), check.length - offset);
		if(!partition.read(offset, buffer, chunk)) {
			return nullptr;
		}
		context.update(buffer, chunk);
		offset += chunk;
	}
	return Crypto::toString(context.getHash());
}

bool bootOnce(uint8_t slot)
{
#ifdef ARCH_HOST
	RtcRecord record{};
	if(!readRtc(record)) {
		record = RtcRecord{};
		record.magic = rtcMagic;
	}
	record.nextMode = modeTemporary;
	record.tempRom = slot;
	return writeRtc(record);
#elif defined(BOOT_RTC_ENABLED)
	return rboot_set_temp_rom(slot);
#else
	(void)slot;
	return false; // without rBoot's RTC support a new image could only be switched to for good
#endif
}

bool makePermanent(uint8_t slot)
{
	return rboot_set_current_rom(slot);
}

} // namespace BootControl
