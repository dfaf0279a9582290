/*
 * Which server to talk to: the one the device registered with (by mDNS `id`), else the configured
 * URL, else the first one discovered. Also parses a configured "http://host:port" URL.
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
 * registeredId: server id the token belongs to (may be empty).
 * Returns false when there is nothing to talk to.
 */
bool chooseServer(const std::vector<ServerEndpoint>& discovered, const std::string& registeredId,
				  const std::string& configuredUrl, ServerEndpoint& chosen);

} // namespace fleet
