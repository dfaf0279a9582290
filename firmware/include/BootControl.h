/*
 * What rBoot did at this boot and the calls that drive a trial boot: which slot runs, whether it
 * was a temporary (one-shot) boot, why the chip reset, the running image's MD5, booting a slot once,
 * and making it permanent.
 *
 * ESP8266: rBoot's RTC data (RBOOT_RTC_ENABLED) and the SDK's reset info. The Host emulator has no
 * RTC that outlives the process, so its launcher keeps the same rBoot RTC record in the config
 * sector's unused half (see hostRtcOffset) and plays rBoot's part: one temporary boot, then the
 * configured slot again.
 */
#pragma once

#include <WString.h>
#include <Storage.h>
#include <fleet/image_header.h>
#include <fleet/trial_boot.h>

namespace BootControl
{
/* Read once at boot, before anything touches the boot configuration. */
fleet::BootFacts facts();

Storage::Partition slotPartition(uint8_t slot);
/* The slot an update may be written to: the one not running now (a trial runs from the other). */
uint8_t spareSlot();

/* rBoot's own image check on `slot`: its header, checksum and length. */
fleet::ImageCheck checkSlot(uint8_t slot);
/* MD5 of the image in the running slot over its header-given length; empty when unknown. */
String runningImageMd5();

/* Boot `slot` once at the next restart; any later reset returns to the configured slot. */
bool bootOnce(uint8_t slot);
/* Make `slot` the configured boot slot. */
bool makePermanent(uint8_t slot);

} // namespace BootControl
