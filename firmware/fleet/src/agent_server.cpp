/*
 * The agent's hold on its server: which one it talks to after a discovery round or an mDNS
 * announcement, the address it remembers, and how long it waits between attempts.
 */
#include "fleet/agent.h"
#include "fleet/server_choice.h"

namespace fleet
{
ServerEndpoint Agent::lastKnown() const
{
	ServerEndpoint last;
	last.id = persisted.serverId;
	last.host = persisted.lastHost;
	last.port = persisted.lastPort;
	if(!persisted.lastApiPath.empty()) {
		last.apiPath = persisted.lastApiPath;
	}
	return last;
}

void Agent::rememberAddress()
{
	if(endpoint.id.empty() || endpoint.id != persisted.serverId) {
		return;
	}
	if(persisted.lastHost == endpoint.host && persisted.lastPort == endpoint.port &&
	   persisted.lastApiPath == endpoint.apiPath) {
		return;
	}
	persisted.lastHost = endpoint.host;
	persisted.lastPort = endpoint.port;
	persisted.lastApiPath = endpoint.apiPath;
	save();
}

void Agent::onDiscovered(const std::vector<ServerEndpoint>& servers)
{
	busy = false;
	ServerEndpoint chosen;
	if(!chooseServer(servers, persisted.serverId, settings.configuredUrl, lastKnown(), chosen)) {
		++failures;
		uint32_t delay = retryDelay();
		log("discovery: " + (registered() ? "server " + persisted.serverId + " not found" : std::string("no FleetDesk server found")) +
			"; retry in " + std::to_string(delay) + " ms");
		dueIn(delay);
		return;
	}
	endpoint = chosen;
	bool heard = discoveryCanEnd(servers, persisted.serverId) || !registered();
	log("discovery: using server " + (endpoint.id.empty() ? std::string("(configured)") : endpoint.id) + " at " +
		endpoint.baseUrl() + " (" + std::to_string(servers.size()) + " found" +
		(heard ? "" : "; not heard, trying its last address") + ")");
	// Not heard this round: its last address is worth a try, after the same pause as any retry,
	// so a dead server costs one mDNS query and one connection attempt per backoff step.
	uint32_t delay = 0;
	if(heard) {
		failures = 0;
		backoff.reset();
	} else {
		delay = retryDelay();
	}
	// A token only means something to the server that issued it.
	bool tokenFits = !persisted.token.empty() &&
					 (endpoint.id.empty() || persisted.serverId.empty() || endpoint.id == persisted.serverId);
	// The interval is not known yet (after a restart, or from another server): report at once and
	// learn it, instead of long-polling for a default that may exceed the server's late threshold.
	skipNextWait = true;
	enter(tokenFits ? Phase::CheckingIn : Phase::Registering, delay);
}

uint32_t Agent::retryDelay()
{
	uint32_t delay = backoff.next();
	// A registered device must be back within about one interval of its server's return.
	if(registered() && delay > interval * 1000) {
		delay = interval * 1000;
	}
	return delay;
}

bool Agent::onAnnounced(const ServerEndpoint& server)
{
	if(!registered() || !server.valid() || server.id != persisted.serverId || sameEndpoint(server, endpoint)) {
		return false;
	}
	bool talking = currentPhase == Phase::CheckingIn || currentPhase == Phase::Registering;
	if(!talking && !(currentPhase == Phase::Discovering && !busy)) {
		return false; // a discovery round in flight hears it too; updates and restarts go on
	}
	log("server " + server.id + " announced itself at " + server.baseUrl() + "; following it");
	bool abandon = busy && talking;
	busy = false;
	endpoint = server;
	skipNextWait = true;
	enter(persisted.token.empty() ? Phase::Registering : Phase::CheckingIn);
	return abandon;
}

} // namespace fleet
