/** Admin contract: a device's downsampled telemetry. */
import { z } from 'zod';

/** One downsampled bucket of a device's telemetry: averages of rssi/heap, the last uptime. */
export interface TelemetryPoint {
  at: number; // bucket start
  rssi: number | null;
  heap: number | null;
  uptime: number | null;
}
export const TelemetryQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional(), // epoch ms; default: 24 h ago
  maxPoints: z.coerce.number().int().min(1).max(2000).default(300),
});
