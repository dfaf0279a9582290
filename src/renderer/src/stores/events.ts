/** The fleet-wide audit log, newest first, live from the stream, older pages on demand. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FleetDelta, FleetEvent } from '../../../shared/api';
import { api } from '../api/client';
import { liveWiring } from './live';

const PAGE = 100;
const KEEP = 1000;

export const useEventsStore = defineStore('events', () => {
  const items = ref<FleetEvent[]>([]);
  const loaded = ref(false);
  const exhausted = ref(false);

  async function load(): Promise<void> {
    items.value = await api.events.list({ limit: PAGE });
    exhausted.value = items.value.length < PAGE;
    loaded.value = true;
  }

  async function loadOlder(): Promise<void> {
    const oldest = items.value[items.value.length - 1];
    if (!oldest || exhausted.value) return;
    const page = await api.events.list({ before: oldest.id, limit: PAGE });
    exhausted.value = page.length < PAGE;
    items.value = [...items.value, ...page];
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (!loaded.value) return;
    const fresh = deltas.flatMap((d) => (d.type === 'event' ? [d.event] : []));
    if (!fresh.length) return;
    const known = new Set(items.value.map((e) => e.id));
    const added = fresh.filter((e) => !known.has(e.id)).sort((a, b) => b.id - a.id);
    items.value = [...added, ...items.value].slice(0, KEEP);
  }

  const wire = liveWiring(applyDeltas, () => { if (loaded.value) void load().catch(() => undefined); });

  return { items, loaded, exhausted, load, loadOlder, applyDeltas, wire };
});
