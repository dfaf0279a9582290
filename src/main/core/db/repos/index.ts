import type { Database } from 'better-sqlite3';
import { createAdmissionRepo } from './admission-repo';
import { createCommandsRepo } from './commands-repo';
import { createDeviceListRepo } from './device-list-repo';
import { createDevicesRepo } from './devices-repo';
import { createEventsRepo } from './events-repo';
import { createFirmwareRepo } from './firmware-repo';
import { createHistoryRepo } from './history-repo';
import { createPreregistrationsRepo } from './preregistrations-repo';
import { createProfilesRepo } from './profiles-repo';
import { createRetentionRepo } from './retention-repo';
import { createRevisionsRepo } from './revisions-repo';
import { createRolloutsRepo } from './rollouts-repo';
import { createSettingsRepo } from './settings-repo';
import { createTelemetryRepo } from './telemetry-repo';

/** Every repository over one database; each prepares its statements once. */
export function createRepos(db: Database) {
  return {
    devices: createDevicesRepo(db),
    deviceList: createDeviceListRepo(db),
    profiles: createProfilesRepo(db),
    preregistrations: createPreregistrationsRepo(db),
    revisions: createRevisionsRepo(db),
    commands: createCommandsRepo(db),
    firmware: createFirmwareRepo(db),
    events: createEventsRepo(db),
    settings: createSettingsRepo(db),
    telemetry: createTelemetryRepo(db),
    history: createHistoryRepo(db),
    admission: createAdmissionRepo(db),
    retention: createRetentionRepo(db),
    rollouts: createRolloutsRepo(db),
  };
}
export type Repos = ReturnType<typeof createRepos>;
