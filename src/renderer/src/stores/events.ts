/**
 * The fleet-wide audit log, newest first, filtered server-side (the filter lives in the URL, the
 * view hands it over), live from the stream, older pages on demand.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FleetDelta, FleetEvent } from '../../../shared/api';
import { collapseFlapping, eventMatches, type EventViewFilter } from '../../../shared/event-rows';
import { api } from '../api/client';
import { liveWiring } from './live';

const PAGE = 100;
const KEEP = 1000;
/** With a profile filter a live event cannot be matched locally: the first page is read again, at most this often. */
const PROFILE_RELOAD_MS = 2_000;

export const useEventsStore = defineStore('events', () => {
  const items = ref<FleetEvent[]>([]);
  const filter = ref<EventViewFilter>({});
  const loaded = ref(false);
  const loading = ref(false);
  const exhausted = ref(false);
  const error = ref<string | null>(null);
  /** flapping folded into one row (the page's default) */
  const collapse = ref(true);
  let generation = 0;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;

  const rows = computed(() => (collapse.value ? collapseFlapping(items.value) : items.value.map((event) => ({ type: 'event' as const, event }))));
  const exportUrl = computed(() => api.events.exportUrl(filter.value));
  const filterActive = computed(() => Object.values(filter.value).some((v) => v !== undefined && v !== false && !(Array.isArray(v) && !v.length)));

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const page = await api.events.list({ ...filter.value, limit: PAGE });
      if (mine !== generation) return; // a newer filter's answer wins
      items.value = page;
      exhausted.value = page.length < PAGE;
      error.value = null;
      loaded.value = true;
    } catch (e) {
      if (mine === generation) error.value = (e as Error).message;
      throw e;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function setFilter(next: EventViewFilter): Promise<void> {
    filter.value = next;
    await load();
  }

  async function loadOlder(): Promise<void> {
    const oldest = items.value[items.value.length - 1];
    if (!oldest || exhausted.value) return;
    const mine = generation;
    const page = await api.events.list({ ...filter.value, before: oldest.id, limit: PAGE });
    if (mine !== generation) return;
    exhausted.value = page.length < PAGE;
    items.value = [...items.value, ...page];
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (!loaded.value) return;
    const fresh = deltas.flatMap((d) => (d.type === 'event' ? [d.event] : []));
    if (!fresh.length) return;
    if (filter.value.profileId !== undefined) {
      reloadTimer ??= setTimeout(() => {
        reloadTimer = null;
        void load().catch(() => undefined);
      }, PROFILE_RELOAD_MS);
      return;
    }
    // a collapsed event comes again with its new count: replace it in place
    const byId = new Map(fresh.map((e) => [e.id, e]));
    const kept = items.value.map((e) => byId.get(e.id) ?? e);
    const known = new Set(items.value.map((e) => e.id));
    const added = fresh.filter((e) => !known.has(e.id) && eventMatches(e, filter.value)).sort((a, b) => b.id - a.id);
    items.value = [...added, ...kept].slice(0, KEEP);
  }

  /** Devices for the device filter's search box: name or MAC, the first few matches. */
  async function searchDevices(q: string): Promise<{ label: string; value: string }[]> {
    const list = await api.devices.list({ q: q.trim() || undefined, limit: 20, offset: 0 });
    return list.items.map((d) => ({ label: d.name ? `${d.name} · ${d.id}` : d.id, value: d.id }));
  }

  const wire = liveWiring(applyDeltas, () => { if (loaded.value) void load().catch(() => undefined); });

  return { items, rows, filter, filterActive, loaded, loading, exhausted, error, collapse, exportUrl, load, setFilter, loadOlder, applyDeltas, searchDevices, wire };
});
