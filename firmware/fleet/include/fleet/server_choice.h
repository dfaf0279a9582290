/*
 * Which server to talk to. A device registered with a server (by mDNS `id`) stays with it for good:
 * that id where it answers, else the address it answered at last; never another server, whatever
 * mDNS hears while its own is paused, restarting or moving. Only a device that never registered
 * takes the configured URL or the first server found; leaving a server takes a new enrollment by
 * the operator (startNewEnrollment). Also parses a configured "http://host:port" URL.
 */
#pragma once

#include "types.h"
#include <vector>

namespace fleet
{
/* Parses "http://host[:port][/path]" (path ignored; the v1 prefix is /api/v1). Only http. */
bool parseServerUrl(const std::string& url, ServerEndpoint& out);

/* True when `a` and `b` are the same listener. */
bool sameEndpoint(const ServerEndpoint& a, const ServerEndpoint& b);

/*
 * registeredId: server id the token belongs to (may be empty). lastKnown: where that server answered
 * last (may be invalid). Returns false when there is nothing to talk to.
 */
bool chooseServer(const std::vector<ServerEndpoint>& discovered, const std::string& registeredId,
				  const std::string& configuredUrl, const ServerEndpoint& lastKnown, ServerEndpoint& chosen);

/* Whether a discovery round may stop listening: the registered server has answered. */
bool discoveryCanEnd(const std::vector<ServerEndpoint>& found, const std::string& registeredId);

/* The operator enrolls the device anew (set-up portal): forget the server, its token and address. */
void startNewEnrollment(PersistedState& state);

} // namespace fleet
