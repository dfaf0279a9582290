#include <SetupPortal.h>
#include <fleet/server_choice.h>
#include <Settings.h>
#include <Platform/AccessPoint.h>
#include <Platform/Station.h>
#include <Platform/System.h>

SetupPortal setupPortal;

namespace
{
String escapeHtml(const String& text)
{
	String out;
	for(char c : text) {
		switch(c) {
		case '&':
			out += F("&amp;");
			break;
		case '<':
			out += F("&lt;");
			break;
		case '>':
			out += F("&gt;");
			break;
		case '"':
			out += F("&quot;");
			break;
		default:
			out += c;
		}
	}
	return out;
}

String field(const char* label, const char* name, const String& value, const char* type = "text")
{
	return F("<label>") + String(label) + F("<input name=\"") + name + F("\" type=\"") + type + F("\" value=\"") +
		   escapeHtml(value) + F("\"></label>");
}
} // namespace

void SetupPortal::start()
{
	if(active) {
		return;
	}
	active = true;
	String mac = WifiAccessPoint.getMacAddress().toString('\0'); // 12 hex digits, no separators
	mac.toUpperCase();
	String ssid = F("FleetDesk-") + mac.substring(mac.length() - 4);
	WifiAccessPoint.config(ssid, nullptr, AUTH_OPEN);
	WifiAccessPoint.enable(true);
	server.listen(80);
	server.paths.set("/", HttpPathDelegate(&SetupPortal::showForm, this));
	server.paths.set("/save", HttpPathDelegate(&SetupPortal::save, this));
	debug_i("[setup] portal open: join Wi-Fi '%s' and browse http://%s/", ssid.c_str(),
			WifiAccessPoint.getIP().toString().c_str());
}

void SetupPortal::showForm(HttpRequest&, HttpResponse& response)
{
	SetupSettings current = Settings::loadSetup();
	String page = F("<!doctype html><meta name=viewport content='width=device-width'><title>FleetDesk set-up</title>"
					"<style>body{font:16px sans-serif;max-width:28em;margin:2em auto}label{display:block;margin:.6em 0}"
					"input{display:block;width:100%;padding:.3em}</style><h1>FleetDesk device set-up</h1>"
					"<form method=post action=/save>");
	page += field("Wi-Fi network (SSID)", "ssid", current.ssid);
	page += field("Wi-Fi password", "password", nullptr, "password");
	page += field("FleetDesk URL (optional; found automatically on the LAN)", "serverUrl", current.serverUrl);
	page += field("Enrollment key (only if FleetDesk asks for one)", "enrollmentKey", current.enrollmentKey);
	page += F("<label><input type=checkbox name=reenroll value=1 style='display:inline;width:auto'> "
			  "Enroll anew: forget the FleetDesk this device belongs to (it keeps its server otherwise)</label>");
	page += F("<button>Save and restart</button></form>");
	response.setContentType(MIME_HTML);
	response.sendString(page);
}

void SetupPortal::save(HttpRequest& request, HttpResponse& response)
{
	SetupSettings settings;
	settings.ssid = request.getPostParameter("ssid");
	settings.password = request.getPostParameter("password");
	settings.serverUrl = request.getPostParameter("serverUrl");
	settings.enrollmentKey = request.getPostParameter("enrollmentKey");
	settings.ssid.trim();
	settings.serverUrl.trim();
	if(settings.ssid.length() == 0 || settings.ssid.length() > 32 || settings.password.length() > 64 ||
	   (settings.serverUrl.length() != 0 && !settings.serverUrl.startsWith(F("http://")))) {
		response.code = HTTP_STATUS_BAD_REQUEST;
		response.sendString(F("SSID (1-32 characters) is required; the URL must start with http://"));
		return;
	}
	if(!Settings::saveSetup(settings)) {
		response.code = HTTP_STATUS_INTERNAL_SERVER_ERROR;
		response.sendString(F("Could not save to flash"));
		return;
	}
	if(request.getPostParameter("reenroll") == "1") {
		// The only way a device leaves its server: the operator asks for it here.
		auto state = Settings::loadState();
		fleet::startNewEnrollment(state);
		Settings::saveState(state);
		debug_i("[setup] registration forgotten: the device enrolls with the server it finds next");
	}
	response.sendString(F("Saved. Restarting and joining ") + settings.ssid + F("..."));
	debug_i("[setup] saved settings for '%s'; restarting", settings.ssid.c_str());
	System.restart(1500);
}
