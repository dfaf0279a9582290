/**
 * Device protocol contracts (normative text: docs/protocol.md). Request schemas are lenient in
 * the way a device needs (unknown fields ignored, optional telemetry) and strict about types and
 * sizes, so bad input becomes a 400 and never reaches a service.
 */
import { z } from 'zod';

const shortText = (max: number) => z.string().max(max);
const ipv4 = z.string().max(45);

export const FirmwareInfoSchema = z.object({
  name: shortText(64).optional(),
  version: shortText(64).optional(),
  md5: z.string().regex(/^[0-9a-fA-F]{32}$/).optional(),
});

export const BOOT_REASONS = [
  'power_on', 'hardware_wdt', 'exception', 'software_wdt', 'soft_restart', 'deep_sleep', 'external', 'unknown',
] as const;
/** Boot facts the device reports (docs/protocol.md §7.2): which slot runs and whether it is still on trial. */
export const BootReportSchema = z.object({
  count: z.number().int().min(0).max(0xffffffff),
  reason: z.enum(BOOT_REASONS),
  slot: z.union([z.literal(0), z.literal(1)]),
  /** running an image not yet confirmed by the server */
  trial: z.boolean(),
});
export type BootReport = z.infer<typeof BootReportSchema>;

export const RegisterRequestSchema = z.object({
  ip: ipv4.optional(),
  ssid: shortText(64).optional(),
  fw: FirmwareInfoSchema.optional(),
  chip: z
    .object({
      id: z.union([z.string().max(32), z.number().int().nonnegative()]).optional(),
      flash: z.number().int().nonnegative().optional(),
    })
    .optional(),
  key: shortText(128).optional(),
  boot: BootReportSchema.optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;

export const CommandAckSchema = z.object({
  id: z.number().int().positive(),
  ok: z.boolean(),
  result: z.union([z.string().max(512), z.number(), z.boolean(), z.null()]).optional(),
});
export type CommandAck = z.infer<typeof CommandAckSchema>;

/**
 * Numeric readings a device reports with every check-in: integers within these bounds, kept per
 * device, shown in the device list and written behind with its liveness. A new reading is one
 * entry here (plus its column in the device codec, a migration and a UI column).
 */
export const DEVICE_READINGS = {
  rssi: { min: -127, max: 20 },
  heap: { min: 0, max: Number.MAX_SAFE_INTEGER },
  uptime: { min: 0, max: Number.MAX_SAFE_INTEGER },
} as const satisfies Record<string, { min: number; max: number }>;
export type DeviceReading = keyof typeof DEVICE_READINGS;
export const DEVICE_READING_NAMES = Object.keys(DEVICE_READINGS) as readonly DeviceReading[];
/** One value per reading; null until the device first reports it. */
export type DeviceReadings = { [K in DeviceReading]: number | null };
/** Every reading unreported: what a new device starts with (and a fixture can spread). */
export const NO_READINGS: Readonly<Record<DeviceReading, null>> = Object.freeze(
  Object.fromEntries(DEVICE_READING_NAMES.map((name) => [name, null])) as Record<DeviceReading, null>,
);

const readingSchemas = Object.fromEntries(
  DEVICE_READING_NAMES.map((name) => [name, z.number().int().min(DEVICE_READINGS[name].min).max(DEVICE_READINGS[name].max).optional()]),
) as { [K in DeviceReading]: z.ZodOptional<z.ZodNumber> };

export const CheckinRequestSchema = z.object({
  cfgsn: z.number().int().nonnegative().optional(),
  ip: ipv4.optional(),
  ssid: shortText(64).optional(),
  ...readingSchemas,
  fw: FirmwareInfoSchema.optional(),
  acks: z.array(CommandAckSchema).max(32).optional(),
  /** outcome of a failed firmware update (docs/protocol.md §7); success shows as a new fw.version */
  ota: z
    .object({
      id: z.number().int().positive(),
      ok: z.boolean(),
      message: z.string().max(256).optional(),
      /** the device fell back to its old slot from a trial of image `id` */
      rolledBack: z.boolean().optional(),
    })
    .optional(),
  boot: BootReportSchema.optional(),
});
export type CheckinRequest = z.infer<typeof CheckinRequestSchema>;

export interface DeviceCommand {
  id: number;
  name: string;
  args: Record<string, unknown>;
}

export interface FirmwareOffer {
  id: number;
  version: string;
  /** path on the device listener, e.g. /api/v1/devices/aa:bb:…/firmware/3 */
  url: string;
  size: number;
  md5: string;
}

export interface RegisterReply {
  state: 'pending' | 'active' | 'blocked';
  /** only when newly issued; shown once, stored hashed */
  token?: string;
  cfgsn: number;
  /** effective config, only for active devices */
  config?: Record<string, unknown>;
  /** check-in interval in seconds */
  interval: number;
}

export interface CheckinReply {
  state: 'pending' | 'active' | 'blocked';
  cfgsn: number;
  /** present only when the reported cfgsn is behind */
  config?: Record<string, unknown>;
  commands: DeviceCommand[];
  firmware?: FirmwareOffer;
  /** the device runs, on trial, the image the server expected: it may make that slot permanent */
  confirm?: { md5: string };
  interval: number;
}

/** Legacy protocol (original design): POST /api/devices/{id} */
export const LegacyRegisterRequestSchema = z.object({
  ipaddr: ipv4.optional(),
  ssid: shortText(64).optional(),
  key: shortText(128).optional(),
});
export type LegacyRegisterRequest = z.infer<typeof LegacyRegisterRequestSchema>;

/** The legacy reply for an unknown id: old firmware parses exactly this body. */
export const LEGACY_NOT_REGISTERED = { status: 'NOK', message: 'Device NOT Registered' } as const;

/** Long-poll bounds for ?wait=N */
export const MAX_WAIT_SECONDS = 60;
/** Device request bodies are small; anything bigger is refused with 413. */
export const DEVICE_BODY_LIMIT_BYTES = 4096;

export const MDNS_SERVICE_TYPE = 'fleetdesk';
