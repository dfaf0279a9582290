/*
 * Checks the header of a firmware image before a slot is switched to it, and finds how long the
 * image is, so the running image's MD5 can be computed over exactly its bytes (a slot is padded).
 * ESP8266: rBoot's own check (0xE9 image, or 0xEA with the irom section first; XOR checksum of the
 * loaded sections at the next 16-byte boundary). Host emulator: an x86-64 ELF executable.
 */
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace fleet
{
/* Reads `length` bytes at `offset` of the slot; false when it cannot. */
using SlotReader = std::function<bool(uint32_t offset, uint8_t* out, uint32_t length)>;

enum class ImageKind { Esp8266, HostElf };

struct ImageCheck {
	bool ok{false};
	uint32_t length{0}; ///< bytes the image occupies, header included
	std::string error;	///< why it is refused
};

ImageCheck checkImage(ImageKind kind, const SlotReader& read, uint32_t slotSize);

} // namespace fleet
