/**
 * How the fleet table is grouped (none, profile, location) and which groups are folded; both
 * remembered across restarts. The grouped rows are derived from the fleet store's sorted rows.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { loadJson, saveJson } from '../composables/storage';
import { useFleetStore } from './fleet';
import { GROUP_BY, groupRows, type GroupBy } from './fleet-grouping';

const GROUP_BY_KEY = 'fleetdesk.fleet.groupBy';
const COLLAPSED_KEY = 'fleetdesk.fleet.collapsedGroups';

export const useFleetGroupsStore = defineStore('fleet-groups', () => {
  const fleet = useFleetStore();
  const groupBy = ref<GroupBy>(loadJson<GroupBy>(GROUP_BY_KEY, 'none', (v) => GROUP_BY.includes(v as GroupBy)));
  const collapsed = shallowRef<Set<string>>(
    new Set(loadJson<string[]>(COLLAPSED_KEY, [], (v) => Array.isArray(v) && v.every((k) => typeof k === 'string'))),
  );

  const grouped = computed(() => groupRows(fleet.rows, groupBy.value, collapsed.value));

  function setGroupBy(next: GroupBy): void {
    groupBy.value = next;
    saveJson(GROUP_BY_KEY, next);
  }

  function toggle(key: string, open?: boolean): void {
    const next = new Set(collapsed.value);
    const fold = open === undefined ? !next.has(key) : !open;
    if (fold) next.add(key);
    else next.delete(key);
    collapsed.value = next;
    saveJson(COLLAPSED_KEY, [...next]);
  }

  return { groupBy, collapsed, grouped, setGroupBy, toggle };
});
