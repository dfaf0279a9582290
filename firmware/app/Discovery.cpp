#include <Discovery.h>
#include <Network/Mdns/Server.h>
#include <StringConv.h>
#include <fleet/server_choice.h>

namespace
{
DEFINE_FSTR(serviceName, "_fleetdesk._tcp.local")
}

bool ServerDiscovery::search(Completed done, const String& stopOnId, unsigned listenMs)
{
	completed = done;
	found.clear();
	this->stopOnId = toStd(stopOnId);
	if(!attached && mDNS::server.begin()) {
		mDNS::server.addHandler(*this);
		attached = true;
	}
	listening = true;
	// Even when nothing could be sent, `done` is called when the time is up (with nothing found),
	// so the caller's retry logic runs.
	bool sent = attached && mDNS::server.search(serviceName);
	debug_i("[mdns] query %s: %s", String(serviceName).c_str(), sent ? "sent" : "FAILED");
	listenTimer.initializeMs(listenMs, TimerDelegate(&ServerDiscovery::finish, this));
	listenTimer.startOnce();
	return sent;
}

void ServerDiscovery::add(const fleet::ServerEndpoint& server)
{
	for(auto& known : found) {
		if(known.id == server.id && known.host == server.host && known.port == server.port) {
			return;
		}
	}
	found.push_back(server);
}

bool ServerDiscovery::onMessage(mDNS::Message& message)
{
	if(!message.isReply()) {
		return false;
	}
	auto ptr = message[mDNS::ResourceType::PTR];
	if(ptr == nullptr || ptr->getName() != serviceName) {
		return false;
	}
	fleet::ServerEndpoint server;
	server.host = toStd(message.getRemoteIp().toString());
	auto srv = message[mDNS::ResourceType::SRV];
	if(srv != nullptr) {
		server.port = mDNS::Resource::SRV(*srv).getPort();
	}
	auto a = message[mDNS::ResourceType::A];
	if(a != nullptr) {
		IpAddress address = mDNS::Resource::A(*a).getAddress();
		if(!address.isNull()) {
			server.host = toStd(address.toString());
		}
	}
	auto txt = message[mDNS::ResourceType::TXT];
	if(txt != nullptr) {
		mDNS::Resource::TXT record(*txt);
		server.id = toStd(record["id"]);
		String api = record["api"];
		if(api.length() != 0) {
			server.apiPath = toStd(api);
		}
		String version = record["v"];
		if(version.length() != 0 && version != "1") {
			debug_w("[mdns] %s speaks protocol v%s; skipped", server.host.c_str(), version.c_str());
			return true;
		}
	}
	if(!listening) {
		if(announced && !server.id.empty()) {
			announced(server);
		}
		return true;
	}
	debug_i("[mdns] found FleetDesk id=%s at %s:%u%s", server.id.c_str(), server.host.c_str(), server.port,
			server.apiPath.c_str());
	add(server);
	if(fleet::discoveryCanEnd(found, stopOnId)) {
		// Finish from a timer: this runs inside the mDNS server's receive path.
		listenTimer.initializeMs(1, TimerDelegate(&ServerDiscovery::finish, this));
		listenTimer.startOnce();
	}
	return true;
}

void ServerDiscovery::finish()
{
	if(!listening) {
		return;
	}
	listenTimer.stop();
	listening = false;
	if(completed) {
		completed(found);
	}
}

void DeviceAdvertiser::begin(const String& mac, const String& fwVersion, const String& hostname)
{
	this->mac = mac;
	this->fwVersion = fwVersion;
	instance = hostname;
	if(responder.begin(hostname)) {
		responder.addService(*this);
		debug_i("[mdns] advertising %s._fleetdesk-dev._tcp (mac=%s fw=%s)", hostname.c_str(), mac.c_str(),
				fwVersion.c_str());
	}
}

void DeviceAdvertiser::addText(mDNS::Resource::TXT& txt)
{
	txt.add(F("mac=") + mac);
	txt.add(F("fw=") + fwVersion);
}
