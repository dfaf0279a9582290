# FleetDesk device firmware (Sming). See README.md.

COMPONENT_SOC := esp8266 host
COMPONENT_SRCDIRS := app fleet/src
COMPONENT_INCDIRS := include fleet/include
COMPONENT_DEPENDS := OtaNetwork MDNS ArduinoJson6 Spiffs

# Two ROM slots (OTA writes the one not running) and a SPIFFS partition for settings
HWCONFIG := fleetdesk

# A new image is booted once on trial (rBoot temporary boot, kept in RTC memory) and made permanent
# only when the server confirms it. The Host emulator has no RTC: its launcher plays that part.
ifeq ($(SMING_ARCH),Esp8266)
RBOOT_RTC_ENABLED := 1
endif

# Name and version reported to FleetDesk; an update is offered when the version differs.
CONFIG_VARS += FW_NAME FW_VERSION
FW_NAME ?= fleetdesk-sming
FW_VERSION ?= 1.0.0
APP_CFLAGS += -DFW_NAME=\"$(FW_NAME)\" -DFW_VERSION=\"$(FW_VERSION)\"

# Optional build-time defaults, used until settings are saved through the set-up portal:
#   make WIFI_SSID=MyNet WIFI_PWD=secret FLEETDESK_URL=http://192.168.1.10:3000
# (WIFI_SSID/WIFI_PWD are Sming's own variables; the Host emulator joins "Host WiFi" by itself.)
CONFIG_VARS += FLEETDESK_URL
ifneq ($(FLEETDESK_URL),)
APP_CFLAGS += -DFLEETDESK_URL="\"$(FLEETDESK_URL)\""
endif

# Test variant for the rollback path: an image that crashes as soon as it starts. Not a sticky
# config variable on purpose; build it from a separate copy (or clean the app) so no later build
# inherits it:  make FW_VERSION=1.1.1 FW_CRASH_AT_BOOT=1
ifeq ($(FW_CRASH_AT_BOOT),1)
APP_CFLAGS += -DFW_CRASH_AT_BOOT=1
endif
