#include <Settings.h>
#include <ProtocolJson.h>
#include <FileSystem.h>
#include <Spiffs.h>
#include <ArduinoJson.h>

namespace
{
DEFINE_FSTR(setupFile, "setup.json")
DEFINE_FSTR(stateFile, "fleet.json")
} // namespace

namespace Settings
{
bool mount()
{
	if(spiffs_mount()) {
		return true;
	}
	debug_e("[settings] no SPIFFS partition could be mounted; nothing will persist");
	return false;
}

bool writeAtomically(const String& path, const String& content)
{
	String fresh = path + ".new";
	if(fileSetContent(fresh, content) != int(content.length())) {
		fileDelete(fresh);
		return false;
	}
	// SPIFFS cannot rename over an existing file; readRecovering() covers the gap.
	fileDelete(path);
	return fileRename(fresh, path) == 0;
}

String readRecovering(const String& path)
{
	String fresh = path + ".new";
	String content = fileGetContent(path);
	if(content.length() == 0) {
		content = fileGetContent(fresh);
		if(content.length() != 0) {
			fileRename(fresh, path);
		}
	} else {
		fileDelete(fresh); // a replacement that never completed
	}
	return content;
}

SetupSettings loadSetup()
{
	SetupSettings settings;
	String json = readRecovering(setupFile);
	DynamicJsonDocument doc(1024);
	if(json.length() != 0 && !deserializeJson(doc, json)) {
		settings.ssid = doc["ssid"] | "";
		settings.password = doc["password"] | "";
		settings.serverUrl = doc["serverUrl"] | "";
		settings.enrollmentKey = doc["enrollmentKey"] | "";
	}
#if defined(WIFI_SSID)
	if(!settings.hasWifi()) {
		settings.ssid = WIFI_SSID;
		settings.password = WIFI_PWD;
	}
#elif defined(ARCH_HOST)
	if(!settings.hasWifi()) {
		settings.ssid = F("Host WiFi"); // the emulator's open network
	}
#endif
#if defined(FLEETDESK_URL)
	if(settings.serverUrl.length() == 0) {
		settings.serverUrl = FLEETDESK_URL;
	}
#endif
	return settings;
}

bool saveSetup(const SetupSettings& settings)
{
	DynamicJsonDocument doc(1024);
	doc["ssid"] = settings.ssid;
	doc["password"] = settings.password;
	doc["serverUrl"] = settings.serverUrl;
	doc["enrollmentKey"] = settings.enrollmentKey;
	String json;
	serializeJson(doc, json);
	return writeAtomically(setupFile, json);
}

fleet::PersistedState loadState()
{
	fleet::PersistedState state;
	String json = readRecovering(stateFile);
	if(json.length() != 0 && !ProtocolJson::persistedFromJson(json, state)) {
		debug_w("[settings] %s unreadable; starting unregistered", String(stateFile).c_str());
		state = {};
	}
	return state;
}

bool saveState(const fleet::PersistedState& state)
{
	bool ok = writeAtomically(stateFile, ProtocolJson::persistedToJson(state));
	if(!ok) {
		debug_e("[settings] could not save %s", String(stateFile).c_str());
	}
	return ok;
}

} // namespace Settings
