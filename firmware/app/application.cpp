/*
 * FleetDesk device firmware: join Wi-Fi (or open the set-up portal), then let FleetClient find
 * the FleetDesk app, register, check in, apply config, run commands and take updates.
 * Your own behaviour goes in DeviceLogic.cpp.
 */
#include <SmingCore.h>
#include <DeviceConfig.h>
#include <DeviceLogic.h>
#include <FleetClient.h>
#include <SetupPortal.h>
#include <Settings.h>
#include <StatusLed.h>

namespace
{
constexpr unsigned joinTimeoutMs = 30000;
Timer joinTimer;

void gotIP(IpAddress ip, IpAddress, IpAddress)
{
	debug_i("[wifi] connected to '%s' as %s", WifiStation.getSSID().c_str(), ip.toString().c_str());
	joinTimer.stop();
	fleetClient.setNetworkUp(true);
}

void lostConnection(const String& ssid, MacAddress, WifiDisconnectReason reason)
{
	debug_w("[wifi] not connected to '%s' (%s)", ssid.c_str(), WifiEvents.getDisconnectReasonDesc(reason).c_str());
	fleetClient.setNetworkUp(false);
}

void joinOrOpenPortal(const SetupSettings& setup)
{
	if(!setup.hasWifi()) {
		debug_i("[wifi] no network configured");
		setupPortal.start();
		return;
	}
	WifiAccessPoint.enable(false); // an active soft-AP stops mDNS multicast on the ESP8266
	WifiStation.enable(true);
	if(!WifiStation.config(setup.ssid, setup.password)) {
		debug_w("[wifi] cannot use network '%s'", setup.ssid.c_str());
	}
	WifiStation.connect();
	joinTimer
		.initializeMs(joinTimeoutMs,
					  TimerDelegate([] {
						  if(!WifiStation.isConnected()) {
							  debug_w("[wifi] could not join within %u s", joinTimeoutMs / 1000);
							  setupPortal.start();
						  }
					  }))
		.startOnce();
}

} // namespace

void init()
{
	Serial.begin(SERIAL_BAUD_RATE);
	Serial.systemDebugOutput(true);
#ifdef FW_CRASH_AT_BOOT
	debug_e("[app] built with FW_CRASH_AT_BOOT: crashing now");
	*static_cast<volatile int*>(nullptr) = 1;
#endif

	Settings::mount();
	deviceConfig.load();
	statusLed.begin();

	SetupSettings setup = Settings::loadSetup();
	fleetClient.begin(setup);
	setupDeviceLogic(fleetClient.commands());

	WifiEvents.onStationGotIP(gotIP);
	WifiEvents.onStationDisconnect(lostConnection);
	joinOrOpenPortal(setup);
}
