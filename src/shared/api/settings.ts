/** Admin contract: the operator's settings and their validated patch. */
import { z } from 'zod';
import { MDNS_NAME_MAX_BYTES, MIN_DEVICE_PORT, utf8Length } from '../settings-rules';
import type { StatusThresholds } from '../status';
import { type AdmissionSettings, admissionSettingsShape } from './claims';

export type RegistrationPolicy = 'open' | 'approve' | 'key';
export interface Settings extends AdmissionSettings {
  registrationPolicy: RegistrationPolicy;
  enrollmentKey: string;
  legacyProtocol: boolean;
  defaultCheckinInterval: number;
  thresholds: StatusThresholds;
  commandTtlSeconds: number;
  /** mDNS instance name; '' = "FleetDesk on <hostname>" */
  mdnsName: string;
  /** interface names to advertise on; [] = every LAN interface */
  mdnsInterfaces: string[];
  devicePort: number; // takes effect at restart
  /** raw samples (one a minute per device) */
  telemetryRetentionDays: number;
  /** hourly history buckets, reboots and fleet series */
  historyRetentionDays: number;
}
export const SettingsPatchSchema = z
  .object({
    registrationPolicy: z.enum(['open', 'approve', 'key']),
    enrollmentKey: z.string().max(128),
    legacyProtocol: z.boolean(),
    defaultCheckinInterval: z.number().int().min(5, 'at least 5 s').max(86400, 'at most 86 400 s (a day)'),
    thresholds: z
      .object({
        lateFactor: z.number().min(1, 'at least 1 (late before the interval is over makes no sense)').max(100),
        offlineFactor: z.number().min(1, 'at least 1').max(1000),
        graceSeconds: z.number().int().min(0, 'cannot be negative').max(86400),
      })
      .refine((t) => t.offlineFactor > t.lateFactor, {
        path: ['offlineFactor'],
        message: 'must be more than the late factor: a device goes late before it goes offline',
      }),
    commandTtlSeconds: z.number().int().min(5).max(7 * 86400),
    mdnsName: z.string().refine((name) => utf8Length(name) <= MDNS_NAME_MAX_BYTES, {
      message: `at most ${MDNS_NAME_MAX_BYTES} bytes (one DNS label); accented letters count 2`,
    }),
    mdnsInterfaces: z.array(z.string().max(32)).max(32),
    devicePort: z
      .number()
      .int()
      .min(MIN_DEVICE_PORT, `${MIN_DEVICE_PORT} or above: lower ports need administrator rights to listen on`)
      .max(65535),
    telemetryRetentionDays: z.number().int().min(1, 'at least 1 day: the 1 h and 24 h charts read raw samples').max(3650),
    historyRetentionDays: z.number().int().min(30, 'at least 30 days: the 30-day charts read the hourly history').max(3650),
    ...admissionSettingsShape,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
