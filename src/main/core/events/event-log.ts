import type { FleetEvent, FleetEventKind } from '../../../shared/api';
import type { EventsRepo } from '../db/repos/events-repo';
import type { Clock } from '../services/contracts';
import type { WriteQueue } from '../db/persistence';
import type { DeltaBusImpl } from './delta-bus';

/**
 * The audit log. Ids come from an in-memory counter (the core is the only writer), so an event
 * written behind already has its final id when its delta goes out.
 */
export class EventLog {
  private nextId: number;

  constructor(
    private readonly repo: EventsRepo,
    private readonly bus: DeltaBusImpl,
    private readonly clock: Clock,
    private readonly writeBehind: WriteQueue,
  ) {
    this.nextId = repo.maxId() + 1;
  }

  /** Operator actions: written now (inside the caller's transaction, if any). */
  record(kind: FleetEventKind, deviceId: string | null, message: string, data: Record<string, unknown> | null = null): FleetEvent {
    const event = this.make(kind, deviceId, message, data);
    this.repo.insert(event);
    this.bus.emit({ type: 'event', event });
    return event;
  }

  /** Device-driven events (check-ins, status timer): written with the next flush. */
  recordLater(kind: FleetEventKind, deviceId: string | null, message: string, data: Record<string, unknown> | null = null): FleetEvent {
    const event = this.make(kind, deviceId, message, data);
    this.writeBehind.later(() => this.repo.insert(event));
    this.bus.emit({ type: 'event', event });
    return event;
  }

  list(query: { deviceId?: string; kind?: string; before?: number; limit: number }): FleetEvent[] {
    return this.repo.list(query);
  }

  private make(kind: FleetEventKind, deviceId: string | null, message: string, data: Record<string, unknown> | null): FleetEvent {
    return { id: this.nextId++, at: this.clock.now(), kind, deviceId, message, data };
  }
}
