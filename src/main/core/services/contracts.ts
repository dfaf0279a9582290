/**
 * The seam between the HTTP layer and the services that own the rules. Routers parse input with
 * the shared schemas, call exactly these methods and shape the reply; services never see `req`.
 * Every method that changes operator data commits before it returns: an acknowledged change
 * survives a crash (device liveness may trail by one flush interval, operator changes never do).
 * Errors are thrown as FleetError (../errors.ts) with a code and an HTTP status.
 */
import type { SettingsPreview } from '../../../shared/settings-rules';
import type {
  BulkRequest, Command, ConfigRevision, ConfigView, DeviceDetail, DeviceList,
  DeviceListQuery, DevicePatch, FirmwareDeviceState, FirmwareSummary, EventFilter, EventListRequest, FleetDelta, FleetEvent, Profile, Settings,
  SettingsPatch, TelemetryPoint,
} from '../../../shared/api';
import type { Dashboard, DeviceAvailability, DeviceHistory, HistoryRange } from '../../../shared/api/telemetry';
import type { BulkOutcome, BulkUndo, BulkUndoResult } from '../../../shared/api/bulk-undo';
import type { ConfigObject } from '../../../shared/config';
import type { AdmissionService } from './admission/admission-service';
import type { AlertService } from './alerts/alert-service';
import type { RolloutService } from './rollouts/rollout-service';
import type {
  CheckinReply, CheckinRequest, LegacyRegisterRequest, RegisterReply, RegisterRequest,
} from '../../../shared/protocol';

/** Who did it, for revisions and the audit log: 'admin' (UI session), 'api' (bearer token), 'device:<id>'. */
export type Author = string;

export interface Clock { now(): number }

export interface DeviceProtocolService {
  /** v1 register. Returns HTTP status 201 for a new device (token issued) or 200 for a known one. */
  register(id: string, body: RegisterRequest, bearer: string | null, remoteAddress: string): { status: 200 | 201 | 202; reply: RegisterReply & { claim?: true } };
  /**
   * v1 check-in; throws unauthorized for a missing/wrong token (and for unknown devices alike).
   * Pending and blocked devices get a reply with their state and nothing to do (docs/protocol.md §3).
   * Never touches the disk synchronously.
   */
  checkin(id: string, bearer: string | null, body: CheckinRequest, remoteAddress: string): CheckinReply;
  /**
   * Resolves when anything for this device changes (config, command, firmware offer, state),
   * or after timeoutMs; `signal` aborts when the client goes away.
   */
  waitForChange(id: string, timeoutMs: number, signal: AbortSignal): Promise<void>;
  /**
   * Long-polls parked right now (for one device, or all): read-only, so tests can wait until a poll
   * is held before they change something, instead of guessing with a delay.
   */
  parkedCount(id?: string): number;
  /** Firmware binary for a device that holds a valid token and has this image offered/assigned. */
  firmwareFor(id: string, bearer: string | null, firmwareId: number): { path: string; size: number; md5: string; sha256: string; name: string; version: string };
  /** The download firmwareFor started has ended: whole, or cut midway (a rollout's download slot frees). */
  firmwareSent(id: string, firmwareId: number, complete: boolean): void;
  /**
   * Legacy protocol (see docs/protocol.md); throws forbidden when the setting turns it off, and for
   * devices that hold a v1 token (the legacy calls carry no credentials). legacyConfig returns
   * `{status:'NOK', message:'Device NOT Registered'}` for unknown ids and throws forbidden for
   * pending/blocked devices.
   */
  legacyRegister(id: string, body: LegacyRegisterRequest, remoteAddress: string): Record<string, unknown>;
  legacyConfig(id: string, remoteAddress: string): Record<string, unknown>;
}

export interface DeviceAdminService {
  list(query: DeviceListQuery): DeviceList;
  get(id: string): DeviceDetail;
  patch(id: string, patch: DevicePatch, author: Author): DeviceDetail;
  remove(id: string, author: Author): void;
  approve(id: string, author: Author): DeviceDetail;
  block(id: string, author: Author): DeviceDetail;
  unblock(id: string, author: Author): DeviceDetail;
  /** Forget the token hash: the device may register again and gets a new token. */
  resetCredentials(id: string, author: Author): DeviceDetail;
  bulk(request: BulkRequest, author: Author): BulkOutcome;
  /** Puts back what a bulk action changed, from the `undo` its reply carried. */
  undoBulk(undo: BulkUndo, author: Author): BulkUndoResult;
}

export interface ConfigService {
  forDevice(id: string): ConfigView;
  setDeviceOverrides(id: string, overrides: ConfigObject, author: Author, reason?: string): ConfigView;
  profileDefaults(profileId: number): ConfigObject;
  setProfileDefaults(profileId: number, defaults: ConfigObject, author: Author, reason?: string): Profile;
  history(target: { deviceId: string } | { profileId: number }, limit?: number): ConfigRevision[];
  /** Restores the `after` of a revision onto its target as a new revision. */
  restore(revisionId: number, author: Author): ConfigRevision;
}

export interface ProfileService {
  list(): Profile[];
  get(id: number): Profile;
  create(input: { name: string; description: string; defaults: ConfigObject }, author: Author): Profile;
  patch(id: number, input: { name?: string; description?: string }, author: Author): Profile;
  /** Devices of a deleted profile keep their overrides and lose the defaults (cfgsn bumps). */
  remove(id: number, author: Author): { devicesDetached: number };
}

export interface CommandService {
  list(deviceId: string, limit?: number): Command[];
  /** Without ttlSeconds the command expires after the commandTtlSeconds setting. */
  enqueue(deviceId: string, input: { name: string; args: Record<string, unknown>; ttlSeconds?: number }, author: Author): Command;
  cancel(commandId: number, author: Author): Command;
}

export interface FirmwareService {
  list(): FirmwareSummary[];
  /** Streams the upload to the data dir, hashing as it goes; rejects over maxBytes. */
  upload(meta: { name: string; version: string; notes?: string }, body: NodeJS.ReadableStream, author: Author): Promise<FirmwareSummary>;
  remove(id: number, author: Author): void;
  /** legacy-protocol devices named directly are skipped (they take no updates), listed in skippedLegacy */
  assign(id: number | null, target: { deviceIds?: string[]; profileId?: number }, author: Author): { affected: number; skippedLegacy: string[] };
  /** Devices the image is assigned to (directly or through their profile) with their update state. */
  devices(id: number): FirmwareDeviceState[];
}

export interface EventService {
  list(query: EventListRequest): FleetEvent[];
  /** The filtered log as CSV records (EVENT_EXPORT_COLUMNS), newest first, one array per page read. */
  exportRecords(filter: EventFilter): Generator<string[][], void, void>;
}

export interface SettingsService {
  get(): Settings;
  patch(patch: SettingsPatch, author: Author): Settings;
  preview(patch: SettingsPatch): SettingsPreview;
}

export interface TelemetryService {
  /**
   * A device's telemetry since `since` (epoch ms), downsampled in SQL to at most maxPoints equal
   * time buckets, so a chart never reads the whole history.
   */
  series(deviceId: string, query: { since?: number; maxPoints: number }): TelemetryPoint[];
  /** Signal, heap and uptime of a device over a range, min/avg/max per step, with its reboots. */
  history(deviceId: string, range: HistoryRange): DeviceHistory;
  /** Up / degraded / down cells over a range and the uptime share over 24 h, 7 d, 30 d. */
  availability(deviceId: string, range: HistoryRange): DeviceAvailability;
  /** Fleet status over time, recent changes, weakest devices, firmware in use. */
  dashboard(range: HistoryRange): Dashboard;
}

/** Subscribe to deltas for the SSE stream; returns the unsubscribe function. */
export interface DeltaBus {
  subscribe(listener: (delta: FleetDelta) => void): () => void;
  /** for parts outside the services that change what the UI shows (mDNS discovery) */
  emit(delta: FleetDelta): void;
}

export interface FleetServices {
  protocol: DeviceProtocolService;
  devices: DeviceAdminService;
  config: ConfigService;
  profiles: ProfileService;
  commands: CommandService;
  firmware: FirmwareService;
  events: EventService;
  settings: SettingsService;
  telemetry: TelemetryService;
  /** claims, pre-authorised ids, budgets and caps */
  admission: AdmissionService;
  /** rules, channels, maintenance windows, mutes, notifications */
  alerts: AlertService;
  /** rollout campaigns, update history and firmware pins */
  rollouts: RolloutService;
  deltas: DeltaBus;
  /** Starts timers (status, write-behind flush, command expiry). */
  start(): void;
  /** Stops timers and flushes the write-behind buffer; the caller closes the db afterwards. */
  stop(): void;
}
