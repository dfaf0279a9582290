/*
 * First set-up: when the device cannot join a Wi-Fi network it opens an access point
 * `FleetDesk-XXXX` (last MAC digits) with a one-page form at http://192.168.4.1/ for SSID,
 * password and, optionally, the FleetDesk server URL and enrollment key. Saving writes them to
 * flash and restarts.
 */
#pragma once

#include <Network/HttpServer.h>

class SetupPortal
{
public:
	void start();
	bool running() const
	{
		return active;
	}

private:
	void showForm(HttpRequest& request, HttpResponse& response);
	void save(HttpRequest& request, HttpResponse& response);

	HttpServer server;
	bool active{false};
};

extern SetupPortal setupPortal;
