/** Admin contract: the operator's settings and their validated patch. */
import { z } from 'zod';
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
  telemetryRetentionDays: number;
}
export const SettingsPatchSchema = z
  .object({
    registrationPolicy: z.enum(['open', 'approve', 'key']),
    enrollmentKey: z.string().max(128),
    legacyProtocol: z.boolean(),
    defaultCheckinInterval: z.number().int().min(5).max(86400),
    thresholds: z.object({
      lateFactor: z.number().min(1).max(100),
      offlineFactor: z.number().min(1).max(1000),
      graceSeconds: z.number().int().min(0).max(86400),
    }),
    commandTtlSeconds: z.number().int().min(5).max(7 * 86400),
    mdnsName: z.string().max(63),
    mdnsInterfaces: z.array(z.string().max(32)).max(32),
    devicePort: z.number().int().min(1).max(65535),
    telemetryRetentionDays: z.number().int().min(1).max(3650),
    ...admissionSettingsShape,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
