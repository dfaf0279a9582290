#include "fleet/types.h"

namespace fleet
{
DeviceState parseDeviceState(const std::string& text)
{
	if(text == "active") {
		return DeviceState::Active;
	}
	if(text == "pending") {
		return DeviceState::Pending;
	}
	if(text == "blocked") {
		return DeviceState::Blocked;
	}
	return DeviceState::Unknown;
}

const char* toString(DeviceState state)
{
	switch(state) {
	case DeviceState::Active:
		return "active";
	case DeviceState::Pending:
		return "pending";
	case DeviceState::Blocked:
		return "blocked";
	default:
		return "unknown";
	}
}

std::string ServerEndpoint::baseUrl() const
{
	return "http://" + host + ":" + std::to_string(port);
}

} // namespace fleet
