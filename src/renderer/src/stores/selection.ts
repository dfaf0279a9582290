/**
 * Bulk selection over the fleet list: checkboxes, shift-click ranges, and "all N matching this
 * filter" (then the server resolves the filter, so devices not yet loaded are included).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { BulkRequest } from '../../../shared/api';
import type { BulkOutcome, BulkUndo, BulkUndoResult } from '../../../shared/api/bulk-undo';
import { api } from '../api/client';
import { useFleetStore } from './fleet';
import { useFleetGroupsStore } from './fleet-groups';

export type BulkOp = BulkRequest['op'];
/** The kind of bulk action, as the bulk dialog is opened for it. */
export type BulkKind = BulkOp['action'];

export const useSelectionStore = defineStore('selection', () => {
  const fleet = useFleetStore();
  const groups = useFleetGroupsStore();
  const selected = shallowRef<Set<string>>(new Set());
  const allMatching = ref(false);
  /** the last row clicked; by id, since a live re-sort or a folded group moves positions */
  let anchorId: string | null = null;

  const count = computed(() => (allMatching.value ? fleet.total : selected.value.size));
  const any = computed(() => count.value > 0);

  function replace(next: Set<string>): void {
    selected.value = next;
    allMatching.value = false;
  }

  /** Click on a row checkbox; with shift, selects (or clears) the range from the last click, as shown (grouped, folded groups skipped). */
  function toggle(id: string, shift = false): void {
    const order = groups.grouped.deviceIds;
    const index = order.indexOf(id);
    const anchorIndex = anchorId === null ? -1 : order.indexOf(anchorId);
    const next = new Set(selected.value);
    const turnOn = !next.has(id);
    if (shift && anchorIndex >= 0 && index >= 0) {
      const [from, to] = anchorIndex < index ? [anchorIndex, index] : [index, anchorIndex];
      for (const rowId of order.slice(from, to + 1)) {
        if (turnOn) next.add(rowId);
        else next.delete(rowId);
      }
    } else {
      if (turnOn) next.add(id);
      else next.delete(id);
    }
    if (index >= 0) anchorId = id;
    replace(next);
  }

  function selectLoaded(): void {
    replace(new Set(fleet.rows.map((row) => row.id)));
  }

  function selectAllMatching(): void {
    selectLoaded();
    allMatching.value = true;
  }

  function clear(): void {
    anchorId = null;
    replace(new Set());
  }

  function isSelected(id: string): boolean {
    return allMatching.value || selected.value.has(id);
  }

  /** Names for the confirmation dialog ("… and 12 more"). */
  function describe(max = 5): { names: string[]; more: number } {
    const ids = allMatching.value ? fleet.rows.map((r) => r.id) : [...selected.value];
    const names = ids.slice(0, max).map((id) => fleet.rowById(id)?.name || id);
    return { names, more: Math.max(0, count.value - names.length) };
  }

  function target(): BulkRequest['target'] {
    if (allMatching.value) {
      const f = fleet.filter;
      return {
        filter: {
          q: f.q?.trim() || undefined,
          status: f.status?.length ? f.status : undefined,
          profileId: f.profileId,
          tag: f.tag || undefined,
        },
      };
    }
    return { ids: [...selected.value] };
  }

  async function run(op: BulkOp): Promise<BulkOutcome> {
    const result = await api.devices.bulk({ target: target(), op });
    if (op.action === 'delete') clear();
    return result;
  }

  async function undo(what: BulkUndo): Promise<BulkUndoResult> {
    const result = await api.devices.undoBulk(what);
    void fleet.load();
    return result;
  }

  return { selected, allMatching, count, any, toggle, selectLoaded, selectAllMatching, clear, isSelected, describe, target, run, undo };
});
