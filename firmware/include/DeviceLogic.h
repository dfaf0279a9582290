/*
 * The place for your device's own behaviour (see README "Adding device logic"): read config
 * properties, react to changes, register custom commands. Called once at boot.
 */
#pragma once

#include <fleet/command_dispatcher.h>

void setupDeviceLogic(fleet::CommandDispatcher& commands);
