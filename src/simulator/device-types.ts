/** Options, events and persisted state of a SimulatedDevice (see device.ts). */
import type http from 'node:http';
import type { ConfigObject } from '../shared/config';
import type { CheckinReply, CheckinRequest, CommandAck, DeviceCommand, RegisterReply } from '../shared/protocol';
import type { Random } from './telemetry';

export type DeviceRunStatus =
  | 'idle' | 'registering' | 'pending' | 'online' | 'offline' | 'blocked' | 'rejected' | 'dropped' | 'stopped';

export interface SimulatedDeviceOptions {
  /** base URL of the device listener, e.g. http://127.0.0.1:3000 */
  server: string;
  mac: string;
  fwName?: string;
  fwVersion?: string;
  fwMd5?: string;
  /** check-in interval in seconds until the server says otherwise */
  interval?: number;
  /** enrollment key for the `key` registration policy */
  key?: string;
  /** speak the original protocol (POST/GET /api/devices/{id}) */
  legacy?: boolean;
  /** token from an earlier run (the firmware keeps it on flash) */
  token?: string;
  cfgsn?: number;
  config?: ConfigObject;
  ip?: string;
  ssid?: string;
  /** long-poll seconds used by start(); 0 = plain periodic check-ins */
  wait?: number;
  /** probability per cycle that the device drops off the network for a while (start() only) */
  flaky?: number;
  /** answers custom commands; default acks every command ok */
  onCommand?: (command: DeviceCommand) => { ok: boolean; result?: string | number | boolean | null };
  /** lets tests corrupt a firmware download to exercise the MD5 check */
  tamperFirmware?: (image: Buffer) => Buffer;
  log?: (line: string) => void;
  random?: Random;
  clock?: { now(): number };
  /** keep-alive agent shared by many devices (the benchmark); default: node's global agent */
  agent?: http.Agent;
  /** extra fields in the register body, e.g. {profile: 'thermostat'}; the server ignores fields it does not know */
  registerHint?: ConfigObject;
  /** source address of every request (see loopbackSourceAddress) */
  localAddress?: string;
  /** faults this device has, so rollouts meet what real devices do */
  faults?: DeviceFaults;
}

export interface DeviceFaults {
  /** every new image crashes at boot: the device comes back on its old slot and reports the rollback */
  bootFailure?: boolean;
  /** firmware downloads break off halfway */
  downloadFailure?: boolean;
  /** firmware downloads are read at this many bytes a second */
  downloadBytesPerSecond?: number;
}

export interface FirmwareOutcome { id: number; version: string; ok: boolean; message?: string }

export interface SimulatedDeviceEvents {
  registered: [{ httpStatus: number; state: RegisterReply['state']; newToken: boolean }];
  /** a check-in left the device, reporting this applied cfgsn (the server records it on arrival) */
  sent: [{ cfgsn: number; acks: CommandAck[] }];
  checkin: [{ reply: CheckinReply; latencyMs: number }];
  /** the device applied a config; the next check-in reports this cfgsn */
  config: [{ cfgsn: number; config: ConfigObject }];
  command: [{ command: DeviceCommand; ack: CommandAck }];
  identify: [{ commandId: number }];
  reboot: [{ reason: string }];
  firmware: [FirmwareOutcome];
  /** a failed request (never named 'error': an unobserved 'error' event would throw) */
  fault: [{ during: 'register' | 'checkin' | 'firmware'; error: Error }];
  status: [DeviceRunStatus];
}

/** What the firmware keeps on flash; the simulator's state file stores one per device. */
export interface PersistedDevice {
  mac: string;
  token: string | null;
  cfgsn: number;
  config: ConfigObject;
  fwName: string;
  fwVersion: string;
  fwMd5?: string;
}

/** The failed OTA outcome rides on the next check-in until the server has seen it. */
export type OtaReport = NonNullable<CheckinRequest['ota']>;
