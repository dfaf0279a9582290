#include "fleet/agent.h"

namespace fleet
{
const char* toString(ActionKind kind)
{
	switch(kind) {
	case ActionKind::Discover:
		return "discover";
	case ActionKind::Register:
		return "register";
	case ActionKind::Checkin:
		return "checkin";
	case ActionKind::DownloadFirmware:
		return "download-firmware";
	case ActionKind::Reboot:
		return "reboot";
	default:
		return "none";
	}
}

const char* toString(Phase phase)
{
	switch(phase) {
	case Phase::Discovering:
		return "discovering";
	case Phase::Registering:
		return "registering";
	case Phase::CheckingIn:
		return "checking-in";
	case Phase::Updating:
		return "updating";
	default:
		return "restarting";
	}
}

} // namespace fleet
