#include "fleet/server_choice.h"
#include <cstdlib>

namespace fleet
{
bool parseServerUrl(const std::string& url, ServerEndpoint& out)
{
	const std::string scheme = "http://";
	if(url.compare(0, scheme.size(), scheme) != 0) {
		return false;
	}
	std::string rest = url.substr(scheme.size());
	auto slash = rest.find('/');
	std::string hostPort = rest.substr(0, slash);
	ServerEndpoint result;
	auto colon = hostPort.rfind(':');
	if(colon == std::string::npos) {
		result.host = hostPort;
		result.port = 80;
	} else {
		result.host = hostPort.substr(0, colon);
		std::string portText = hostPort.substr(colon + 1);
		if(portText.empty() || portText.find_first_not_of("0123456789") != std::string::npos) {
			return false;
		}
		long port = std::strtol(portText.c_str(), nullptr, 10);
		if(port <= 0 || port > 65535) {
			return false;
		}
		result.port = uint16_t(port);
	}
	if(result.host.empty()) {
		return false;
	}
	out = result;
	return true;
}

bool sameEndpoint(const ServerEndpoint& a, const ServerEndpoint& b)
{
	return a.host == b.host && a.port == b.port;
}

bool chooseServer(const std::vector<ServerEndpoint>& discovered, const std::string& registeredId,
				  const std::string& configuredUrl, const ServerEndpoint& lastKnown, ServerEndpoint& chosen)
{
	if(!registeredId.empty()) {
		for(auto& server : discovered) {
			if(server.valid() && server.id == registeredId) {
				chosen = server;
				return true;
			}
		}
		// Not heard this round (a lost packet, a busy or restarting server): its last address is
		// still the best guess. Any other server would take the device away from its config.
		if(lastKnown.valid()) {
			chosen = lastKnown;
			chosen.id = registeredId;
			return true;
		}
		return false;
	}
	// The operator typed this URL on purpose: it beats a stranger found by mDNS.
	ServerEndpoint configured;
	if(!configuredUrl.empty() && parseServerUrl(configuredUrl, configured)) {
		chosen = configured;
		return true;
	}
	for(auto& server : discovered) {
		if(server.valid()) {
			chosen = server;
			return true;
		}
	}
	return false;
}

bool discoveryCanEnd(const std::vector<ServerEndpoint>& found, const std::string& registeredId)
{
	if(registeredId.empty()) {
		return false; // an unregistered device takes the first answer only after the full window
	}
	for(auto& server : found) {
		if(server.valid() && server.id == registeredId) {
			return true;
		}
	}
	return false;
}

void startNewEnrollment(PersistedState& state)
{
	state.serverId.clear();
	state.token.clear();
	state.lastHost.clear();
	state.lastPort = 0;
	state.lastApiPath.clear();
}

} // namespace fleet
