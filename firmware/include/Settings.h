/*
 * What the device keeps on flash (SPIFFS): the set-up (Wi-Fi, server URL, enrollment key) and the
 * protocol state (token, applied cfgsn, pending acks...). Files are replaced atomically: a new
 * copy is written next to the old one and renamed over it, so a power cut leaves one or the other.
 */
#pragma once

#include <WString.h>
#include <fleet/types.h>

struct SetupSettings {
	String ssid;
	String password;
	String serverUrl;	  ///< optional fallback when mDNS finds nothing, e.g. http://192.168.1.10:3000
	String enrollmentKey; ///< optional, for the `key` registration policy

	bool hasWifi() const
	{
		return ssid.length() != 0;
	}
};

namespace Settings
{
bool mount();

SetupSettings loadSetup();
bool saveSetup(const SetupSettings& settings);

fleet::PersistedState loadState();
bool saveState(const fleet::PersistedState& state);

/* Replace `path` so that a reader sees either the old or the new content, never half of one. */
bool writeAtomically(const String& path, const String& content);
/* Read `path`, recovering a replacement that was interrupted after the old file was removed. */
String readRecovering(const String& path);

} // namespace Settings
