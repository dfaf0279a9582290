/**
 * The fleet list: server-side filtered and sorted, loaded in chunks (a first screen fast, the rest
 * behind it), then kept current by deltas. Rows live in a shallowRef: a delta batch swaps single
 * row objects, the virtual table re-renders only the rows on screen.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { DeviceList, DeviceSortKey, DeviceSummary, FleetDelta } from '../../../shared/api';
import { DEVICE_SORT_KEYS } from '../../../shared/api';
import type { DeviceStatus } from '../../../shared/status';
import { api, type DeviceListParams } from '../api/client';
import { ApiError, isAbort } from '../api/http';
import { loadJson, saveJson } from '../composables/storage';
import { applyDeltasToRows, DeferredDeltas, EMPTY_COUNTS, indexRows, type FleetFilter } from './fleet-rows';
import { compareDevices, isSorted } from './fleet-sort';
import { liveWiring } from './live';

export const FIRST_PAGE = 150;
export const CHUNK = 2500;
const SORT_KEY = 'fleetdesk.fleet.sort';

/** Resolves after the browser has painted (two frames); a plain macrotask where there are no frames (tests). */
function afterPaint(): Promise<void> {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
  return new Promise((resolve) => (raf ? raf(() => raf(() => resolve())) : setTimeout(resolve, 0)));
}

interface SortState { sort: DeviceSortKey; order: 'asc' | 'desc' }

export const useFleetStore = defineStore('fleet', () => {
  const filter = ref<FleetFilter>({ q: '', status: [], profileId: undefined, tag: undefined });
  const sort = ref<SortState>(
    loadJson<SortState>(SORT_KEY, { sort: 'name', order: 'asc' }, (v) =>
      DEVICE_SORT_KEYS.includes((v as SortState)?.sort) && ['asc', 'desc'].includes((v as SortState)?.order)),
  );
  const rows = shallowRef<DeviceSummary[]>([]);
  const total = ref(0);
  const counts = ref<Record<DeviceStatus, number>>({ ...EMPTY_COUNTS });
  const loading = ref(false);
  const loadedOnce = ref(false);
  /** the search text the shown rows answer (lets tests and the benchmark see when a filter landed) */
  const loadedQuery = ref<string | null>(null);
  const error = ref<string | null>(null);
  /** counts live re-sorts: the table keeps the focused row in place on these, not on a reload */
  const reorders = ref(0);
  let indexById = new Map<string, number>();
  let controller: AbortController | null = null;
  let generation = 0;
  let countsTimer: ReturnType<typeof setTimeout> | null = null;
  /** deltas that arrive while the first page is in flight; replayed on top of it (else lost) */
  let heldDeltas: FleetDelta[] | null = null;
  /**
   * While the rest of the list streams in: deltas about devices not loaded yet. Most are devices
   * of a later chunk checking in, not new ones; they are applied to their row when its chunk
   * arrives, and only what no chunk brought is treated as new once the load ends.
   */
  let deferred: DeferredDeltas | null = null;

  const fleetSize = computed(() => Object.values(counts.value).reduce((a, b) => a + b, 0));
  const pendingCount = computed(() => counts.value.pending);
  const filterActive = computed(() => Boolean(filter.value.q?.trim() || filter.value.status?.length || filter.value.profileId !== undefined || filter.value.tag));

  function queryFor(offset: number, limit: number) {
    const f = filter.value;
    return {
      q: f.q?.trim() || undefined,
      status: f.status?.length ? f.status : undefined,
      profileId: f.profileId,
      tag: f.tag || undefined,
      sort: sort.value.sort,
      order: sort.value.order,
      offset,
      limit,
    };
  }

  /** Reloads the list for the current filter and sort; stale answers are dropped. */
  async function load(): Promise<void> {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    heldDeltas = [];
    deferred = null;
    try {
      const first = await api.devices.list(queryFor(0, FIRST_PAGE), signal);
      if (mine !== generation) return;
      rows.value = first.items;
      loadedQuery.value = filter.value.q?.trim() ?? '';
      indexById = indexRows(first.items);
      total.value = first.total;
      counts.value = { ...EMPTY_COUNTS, ...first.counts };
      const held = heldDeltas;
      heldDeltas = null;
      let fetched = first.items.length;
      const serverTotal = first.total;
      if (fetched < serverTotal) deferred = new DeferredDeltas();
      // replaying is idempotent: known rows are replaced, new matching devices appended once
      if (held.length) applyDeltas(held);
      loadedOnce.value = true;
      // the rest behind the first screen; offsets count server rows only (live appends excluded)
      while (fetched < serverTotal) {
        await afterPaint(); // the first screen (and each chunk) is drawn before more work arrives
        if (mine !== generation) return;
        const page = await api.devices.list(queryFor(fetched, CHUNK), signal);
        if (mine !== generation) return;
        if (page.items.length === 0) break;
        fetched += page.items.length;
        // rows may have changed by deltas meanwhile: keep those, append only unknown ids
        const current = rows.value.slice();
        for (const loaded of page.items) {
          const item = deferred ? deferred.take(loaded) : loaded;
          if (item && !indexById.has(item.id)) {
            indexById.set(item.id, current.length);
            current.push(item);
          }
        }
        rows.value = current;
      }
      if (deferred) {
        // every row the server has for this filter is here: that is the count, whatever came live
        total.value = rows.value.length;
        const rest = deferred.remaining();
        deferred = null;
        if (rest.length) applyDeltas(rest);
      }
    } catch (e) {
      if (isAbort(e) || mine !== generation) return;
      error.value = e instanceof ApiError ? e.message : String(e);
    } finally {
      if (mine === generation) {
        loading.value = false;
        heldDeltas = null;
        deferred = null;
      }
    }
  }

  async function refreshCounts(): Promise<void> {
    try {
      const page = await api.devices.list({ limit: 1 });
      counts.value = { ...EMPTY_COUNTS, ...page.counts };
    } catch {
      // the banner reports an unreachable core; counts catch up on the next delta
    }
  }

  function scheduleCounts(): void {
    if (countsTimer) return;
    countsTimer = setTimeout(() => {
      countsTimer = null;
      void refreshCounts();
    }, 500);
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (heldDeltas) {
      heldDeltas.push(...deltas);
      return;
    }
    if (deferred) {
      const now = deferred.holdUnknown(deltas, indexById);
      if (now.length < deltas.length) scheduleCounts();
      deltas = now;
    }
    const change = applyDeltasToRows(rows.value, indexById, deltas, filter.value);
    if (change.changed) rows.value = deferred ? change.rows : resorted(change.rows);
    total.value += change.totalDelta;
    if (change.countsStale) scheduleCounts();
  }

  /**
   * A check-in that moves the sorted value (signal, last seen, status…) puts its row where the
   * server would: the list stays in the order its header claims. The table keeps the focused row
   * where it is on screen (FleetTable). While chunks stream in, order is the server's business.
   */
  function resorted(next: DeviceSummary[]): DeviceSummary[] {
    const compare = compareDevices(sort.value.sort, sort.value.order);
    if (isSorted(next, compare)) return next;
    next.sort(compare); // `next` is the delta's own copy, never the array on screen
    indexById = indexRows(next);
    reorders.value += 1;
    return next;
  }

  function setSort(next: SortState): void {
    sort.value = next;
    saveJson(SORT_KEY, next);
    void load();
  }

  function setFilter(patch: Partial<FleetFilter>): void {
    filter.value = { ...filter.value, ...patch };
    void load();
  }

  function rowById(id: string): DeviceSummary | undefined {
    const index = indexById.get(id);
    return index === undefined ? undefined : rows.value[index];
  }

  /** A one-off query (pickers, a profile's devices, the pending list); the table's rows are untouched. */
  function find(query: DeviceListParams): Promise<DeviceList> {
    return api.devices.list(query);
  }

  /** Approves or blocks devices (one by its own endpoint, several in one bulk call); returns how many changed. */
  async function decide(ids: string[], action: 'approve' | 'block'): Promise<number> {
    const [only] = ids;
    if (ids.length === 1 && only !== undefined) {
      await (action === 'approve' ? api.devices.approve(only) : api.devices.block(only));
      return 1;
    }
    return (await api.devices.bulk({ target: { ids }, op: { action } })).affected;
  }

  const wire = liveWiring(applyDeltas, () => void load());

  return {
    filter, sort, rows, total, counts, loading, loadedOnce, loadedQuery, error, reorders, fleetSize, pendingCount, filterActive,
    load, refreshCounts, applyDeltas, setSort, setFilter, rowById, find, decide, wire,
  };
});
