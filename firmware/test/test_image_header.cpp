#include "check.h"
#include "fleet/image_header.h"
#include <cstring>
#include <vector>

using namespace fleet;

namespace
{
SlotReader over(const std::vector<uint8_t>& slot)
{
	return [&slot](uint32_t offset, uint8_t* out, uint32_t length) {
		if(uint64_t(offset) + length > slot.size()) {
			return false;
		}
		std::memcpy(out, slot.data() + offset, length);
		return true;
	};
}

void put32(std::vector<uint8_t>& b, uint32_t v)
{
	for(int i = 0; i < 4; ++i) {
		b.push_back(uint8_t(v >> (8 * i)));
	}
}

/* A plain 0xE9 image with two sections, checksum at the next 16-byte boundary, then 0xFF. */
std::vector<uint8_t> espImage(bool newFormat)
{
	std::vector<uint8_t> b;
	if(newFormat) {
		b = {0xEA, 0x04, 0x00, 0x00};
		put32(b, 0x40100000);
		put32(b, 0);
		put32(b, 8); // irom section
		for(int i = 0; i < 8; ++i) {
			b.push_back(0x55);
		}
	}
	b.insert(b.end(), {0xE9, 0x02, 0x00, 0x00});
	put32(b, 0x40100004);
	uint8_t checksum = 0xEF;
	for(int s = 0; s < 2; ++s) {
		put32(b, 0x3FFE8000 + s * 0x100);
		put32(b, 20);
		for(int i = 0; i < 20; ++i) {
			uint8_t v = uint8_t(s * 40 + i);
			b.push_back(v);
			checksum ^= v;
		}
	}
	while((b.size() & 0x0F) != 0x0F) {
		b.push_back(0);
	}
	b.push_back(checksum);
	return b;
}
} // namespace

TEST("an ESP8266 image passes rBoot's check and its length excludes the slot's padding")
{
	for(bool newFormat : {false, true}) {
		auto image = espImage(newFormat);
		size_t length = image.size();
		image.resize(4096, 0xFF);
		auto check = checkImage(ImageKind::Esp8266, over(image), 4096);
		CHECK(check.ok);
		CHECK_EQ(check.length, uint32_t(length));
	}
}

TEST("a corrupt or foreign ESP8266 image is refused with the reason")
{
	auto image = espImage(false);
	image[20] ^= 1;
	image.resize(4096, 0xFF);
	auto bad = checkImage(ImageKind::Esp8266, over(image), 4096);
	CHECK(!bad.ok);
	CHECK_EQ(bad.error, "image checksum mismatch");
	std::vector<uint8_t> blank(4096, 0xFF);
	CHECK(!checkImage(ImageKind::Esp8266, over(blank), 4096).ok);
	auto longer = espImage(false);
	longer[12] = 0xFF; // first section "length" far past the slot
	longer[13] = 0xFF;
	longer.resize(4096, 0xFF);
	CHECK_EQ(checkImage(ImageKind::Esp8266, over(longer), 4096).error, "section longer than the slot");
}

TEST("a Host emulator image is a 64-bit x86-64 ELF; its length comes from its headers")
{
	std::vector<uint8_t> elf(64, 0);
	const uint8_t ident[] = {0x7F, 'E', 'L', 'F', 2, 1, 1};
	std::memcpy(elf.data(), ident, sizeof(ident));
	elf[18] = 62; // EM_X86_64
	elf[40] = 0x00;
	elf[41] = 0x02; // e_shoff = 512
	elf[58] = 64;	// e_shentsize
	elf[60] = 3;	// e_shnum -> ends at 512 + 192
	elf.resize(4096, 0xFF);
	auto check = checkImage(ImageKind::HostElf, over(elf), 4096);
	CHECK(check.ok);
	CHECK_EQ(check.length, 704u);
	CHECK(!checkImage(ImageKind::HostElf, over(elf), 600).ok);
	elf[18] = 40; // ARM
	CHECK_EQ(checkImage(ImageKind::HostElf, over(elf), 4096).error, "not a 64-bit x86-64 executable");
	elf[0] = 0xE9;
	CHECK(!checkImage(ImageKind::HostElf, over(elf), 4096).ok);
}
