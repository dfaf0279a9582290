/*
 * mDNS: find FleetDesk servers (`_fleetdesk._tcp`, TXT v/api/id) and advertise this device as
 * `_fleetdesk-dev._tcp` (TXT mac, fw) so the operator sees it even before it registers.
 */
#pragma once

#include <Network/Mdns/Handler.h>
#include <Network/Mdns/Responder.h>
#include <Timer.h>
#include <fleet/types.h>
#include <vector>

class ServerDiscovery : public mDNS::Handler
{
public:
	using Completed = Delegate<void(const std::vector<fleet::ServerEndpoint>& servers)>;

	/* Ask the LAN; answers are collected for `listenMs`, then `done` gets them all — at once when
	 * the server `stopOnId` answers (the registered one: nothing else would be chosen). */
	bool search(Completed done, const String& stopOnId = nullptr, unsigned listenMs = 3000);
	bool onMessage(mDNS::Message& message) override;
	/* Servers heard outside a search (announcements, others' answers): a moved server shows here. */
	void onAnnounced(Delegate<void(const fleet::ServerEndpoint& server)> heard)
	{
		announced = heard;
	}

private:
	void finish();
	void add(const fleet::ServerEndpoint& server);

	Completed completed;
	Delegate<void(const fleet::ServerEndpoint& server)> announced;
	Timer listenTimer;
	std::vector<fleet::ServerEndpoint> found;
	std::string stopOnId;
	bool listening{false};
	bool attached{false};
};

class DeviceAdvertiser : public mDNS::Service
{
public:
	void begin(const String& mac, const String& fwVersion, const String& hostname);

	String getInstance() override
	{
		return instance;
	}
	String getName() override
	{
		return F("fleetdesk-dev");
	}
	uint16_t getPort() override
	{
		return 80; // nothing listens there: the service is informational (docs/protocol.md §1)
	}
	void addText(mDNS::Resource::TXT& txt) override;

private:
	mDNS::Responder responder;
	String instance;
	String mac;
	String fwVersion;
};
