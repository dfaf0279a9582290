/*
 * JSON <-> protocol structs (docs/protocol.md field names), with ArduinoJson 6 as bundled with
 * Sming. The state machine never sees JSON; this is the only place that does.
 */
#pragma once

#include <WString.h>
#include <fleet/types.h>

namespace ProtocolJson
{
String registerBody(const fleet::RegisterRequest& request);
String checkinBody(const fleet::CheckinRequest& request);
bool parseRegisterReply(const String& body, fleet::RegisterReply& reply);
bool parseCheckinReply(const String& body, fleet::CheckinReply& reply);

String persistedToJson(const fleet::PersistedState& state);
bool persistedFromJson(const String& json, fleet::PersistedState& state);

} // namespace ProtocolJson
