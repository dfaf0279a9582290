import type { TelemetryPoint } from '../../../shared/api';
import { type ServiceContext, deviceOrThrow } from './context';
import type { TelemetryService } from './contracts';
import type { HistoryService } from './history/history-service';

const DAY_MS = 86_400_000;

export function createTelemetryService(ctx: ServiceContext, history: HistoryService): TelemetryService {
  return {
    series(deviceId, query): TelemetryPoint[] {
      const device = deviceOrThrow(ctx, deviceId);
      const now = ctx.clock.now();
      const since = Math.min(query.since ?? now - DAY_MS, now);
      const maxPoints = Math.max(1, Math.min(query.maxPoints, 2000));
      return ctx.repos.telemetry.buckets(device.id, since, (now - since + 1) / maxPoints, maxPoints);
    },
    history: (deviceId, range) => history.device(deviceId, range),
    availability: (deviceId, range) => history.availability(deviceId, range),
    dashboard: (range) => history.dashboard(range),
  };
}
