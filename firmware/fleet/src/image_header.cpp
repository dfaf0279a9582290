#include "fleet/image_header.h"
#include <algorithm>

namespace fleet
{
namespace
{
uint32_t le32(const uint8_t* p)
{
	return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint64_t le64(const uint8_t* p)
{
	return uint64_t(le32(p)) | uint64_t(le32(p + 4)) << 32;
}
uint16_t le16(const uint8_t* p)
{
	return uint16_t(p[0] | p[1] << 8);
}

ImageCheck refuse(const std::string& why)
{
	ImageCheck result;
	result.error = why;
	return result;
}

constexpr uint8_t romMagic = 0xE9;
constexpr uint8_t romMagicNew1 = 0xEA;
constexpr uint8_t romMagicNew2 = 0x04;
constexpr uint8_t checksumInit = 0xEF;
constexpr uint8_t maxSections = 16;

ImageCheck checkEsp8266(const SlotReader& read, uint32_t slotSize)
{
	uint8_t header[16];
	if(!read(0, header, sizeof(header))) {
		return refuse("image header unreadable");
	}
	uint32_t pos;
	if(header[0] == romMagic) {
		pos = 8;
	} else if(header[0] == romMagicNew1 && header[1] == romMagicNew2) {
		// irom section first (skipped by the loader), then a plain 0xE9 header.
		pos = 16 + le32(header + 12);
		if(pos + 8 > slotSize || !read(pos, header, 8) || header[0] != romMagic) {
			return refuse("no ESP8266 image header after the irom section");
		}
		pos += 8;
	} else {
		return refuse("not an ESP8266 image (magic 0x" + std::to_string(header[0]) + ")");
	}
	uint8_t count = header[1];
	if(count == 0 || count > maxSections) {
		return refuse("implausible section count " + std::to_string(count));
	}
	uint8_t checksum = checksumInit;
	uint8_t buffer[256];
	for(uint8_t section = 0; section < count; ++section) {
		uint8_t sectionHeader[8];
		if(pos + 8 > slotSize || !read(pos, sectionHeader, 8)) {
			return refuse("section header past the slot");
		}
		pos += 8;
		uint32_t remaining = le32(sectionHeader + 4);
		if(remaining > slotSize || pos + remaining > slotSize) {
			return refuse("section longer than the slot");
		}
		while(remaining != 0) {
			uint32_t chunk = std::min<uint32_t>(remaining, sizeof(buffer));
			if(!read(pos, buffer, chunk)) {
				return refuse("section unreadable");
			}
			for(uint32_t i = 0; i < chunk; ++i) {
				checksum ^= buffer[i];
			}
			pos += chunk;
			remaining -= chunk;
		}
	}
	pos |= 0x0F;
	uint8_t stored;
	if(pos >= slotSize || !read(pos, &stored, 1)) {
		return refuse("checksum past the slot");
	}
	if(stored != checksum) {
		return refuse("image checksum mismatch");
	}
	ImageCheck result;
	result.ok = true;
	result.length = pos + 1;
	return result;
}

ImageCheck checkHostElf(const SlotReader& read, uint32_t slotSize)
{
	uint8_t elf[64];
	if(!read(0, elf, sizeof(elf))) {
		return refuse("image header unreadable");
	}
	if(elf[0] != 0x7F || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
		return refuse("not an ELF executable");
	}
	if(elf[4] != 2 || elf[5] != 1 || le16(elf + 18) != 62) {
		return refuse("not a 64-bit x86-64 executable");
	}
	uint64_t phoff = le64(elf + 32), shoff = le64(elf + 40);
	uint16_t phentsize = le16(elf + 54), phnum = le16(elf + 56), shentsize = le16(elf + 58), shnum = le16(elf + 60);
	uint64_t end = std::max(phoff + uint64_t(phentsize) * phnum, shoff + uint64_t(shentsize) * shnum);
	// Segments may end after the section table (a stripped file's table is usually last).
	for(uint16_t i = 0; i < phnum; ++i) {
		uint8_t ph[56];
		if(phentsize < sizeof(ph) || !read(uint32_t(phoff + uint64_t(i) * phentsize), ph, sizeof(ph))) {
			return refuse("program header unreadable");
		}
		end = std::max(end, le64(ph + 8) + le64(ph + 32));
	}
	if(end == 0 || end > slotSize) {
		return refuse("executable longer than the slot");
	}
	ImageCheck result;
	result.ok = true;
	result.length = uint32_t(end);
	return result;
}

} // namespace

ImageCheck checkImage(ImageKind kind, const SlotReader& read, uint32_t slotSize)
{
	return kind == ImageKind::Esp8266 ? checkEsp8266(read, slotSize) : checkHostElf(read, slotSize);
}

} // namespace fleet
