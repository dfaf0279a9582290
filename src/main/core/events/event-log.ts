import type { FleetEvent, FleetEventKind } from '../../../shared/api';
import type { EventQuery, EventsRepo } from '../db/repos/events-repo';
import type { Clock } from '../services/contracts';
import type { WriteQueue } from '../db/persistence';
import type { DeltaBusImpl } from './delta-bus';

/** Repeats of one kind from one source within this window add to one entry's count. */
export const EVENT_COLLAPSE_MS = 60_000;
/** Open collapse entries kept; past it, expired ones are swept (there can be no more than one per device and kind). */
const COLLAPSE_SWEEP_AT = 20_000;

/**
 * Command outcomes are one per command the operator queued (bounded by the operator, and each
 * names its command): never collapsed.
 */
const NEVER_COLLAPSED: ReadonlySet<FleetEventKind> = new Set(['command_acked', 'command_failed', 'command_expired']);

interface Collapsing { event: FleetEvent; until: number; updateQueued: boolean }

/**
 * The audit log. Ids come from an in-memory counter (the core is the only writer), so an event
 * written behind already has its final id when its delta goes out.
 *
 * Device-driven events are rate limited per device and kind: a device that flaps (or a client
 * that alternates its reported cfgsn on purpose) adds to the count of one entry per minute
 * instead of growing the log with every request.
 */
export class EventLog {
  private nextId: number;
  private readonly collapsing = new Map<string, Collapsing>();

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

  /**
   * Device-driven events (check-ins, status timer, refusals): written with the next flush, and
   * collapsed with an earlier one of the same kind and source (`source`, default the device id)
   * seen within EVENT_COLLAPSE_MS.
   */
  recordLater(kind: FleetEventKind, deviceId: string | null, message: string, data: Record<string, unknown> | null = null, source: string | null = deviceId): FleetEvent {
    const now = this.clock.now();
    const key = source === null || NEVER_COLLAPSED.has(kind) ? null : `${kind}\n${source}`;
    const open = key === null ? undefined : this.collapsing.get(key);
    if (open && now < open.until) return this.repeat(open, message, now);

    const event = this.make(kind, deviceId, message, data);
    this.writeBehind.later(() => this.repo.insert(event));
    this.bus.emit({ type: 'event', event });
    if (key !== null) {
      if (this.collapsing.size >= COLLAPSE_SWEEP_AT) this.sweep(now);
      this.collapsing.set(key, { event, until: now + EVENT_COLLAPSE_MS, updateQueued: true });
      // the insert above carries the count as it is at flush time
      this.writeBehind.later(() => {
        const entry = this.collapsing.get(key);
        if (entry?.event === event) entry.updateQueued = false;
      });
    }
    return event;
  }

  list(query: EventQuery): FleetEvent[] {
    return this.repo.list(query);
  }

  private repeat(open: Collapsing, message: string, now: number): FleetEvent {
    const { event } = open;
    event.count += 1;
    event.at = now;
    event.message = message;
    if (!open.updateQueued) {
      open.updateQueued = true;
      this.writeBehind.later(() => {
        open.updateQueued = false;
        this.repo.updateCount(event);
      });
    }
    return event;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.collapsing) if (entry.until <= now) this.collapsing.delete(key);
    // still full: every entry is fresh, which only a flood of distinct sources does; start over
    if (this.collapsing.size >= COLLAPSE_SWEEP_AT) this.collapsing.clear();
  }

  private make(kind: FleetEventKind, deviceId: string | null, message: string, data: Record<string, unknown> | null): FleetEvent {
    return { id: this.nextId++, at: this.clock.now(), kind, deviceId, message, data, count: 1 };
  }
}
