/**
 * One Tab stop for a long (virtual) list: one element keeps the focus and points at the active
 * row with aria-activedescendant; arrows, Page keys, Home and End move it, Enter opens, Space
 * selects (Shift+Space a range). The row is tracked by id so a re-sort or a live change keeps it.
 */
import { computed, ref } from 'vue';

export interface RovingOptions {
  ids: () => readonly string[];
  /** brings row `index` into view (the virtual list renders it) */
  scrollTo: (index: number) => void;
  open: (id: string) => void;
  toggle: (id: string, shift: boolean) => void;
  pageSize?: number;
}

export const rowDomId = (id: string): string => `fleet-row-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export function useRovingRows(options: RovingOptions) {
  const activeId = ref<string | null>(null);
  const activeIndex = computed(() => (activeId.value === null ? -1 : options.ids().indexOf(activeId.value)));
  const activeDescendant = computed(() => (activeIndex.value >= 0 && activeId.value ? rowDomId(activeId.value) : undefined));

  function moveTo(index: number): void {
    const ids = options.ids();
    if (ids.length === 0) return;
    const clamped = Math.max(0, Math.min(ids.length - 1, index));
    activeId.value = ids[clamped]!;
    options.scrollTo(clamped);
  }

  /** Focus arrives on the container: start at the first row (or where it was). */
  function onFocus(): void {
    if (activeIndex.value < 0) moveTo(0);
  }

  /** Keys pressed on the focus target itself (the caller filters out its descendants' keys). */
  function onKeydown(e: KeyboardEvent): void {
    const page = options.pageSize ?? 10;
    const at = activeIndex.value;
    const moves: Record<string, number> = {
      ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 0, End: options.ids().length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(at < 0 ? 0 : moves[e.key]!);
    } else if (e.key === 'Enter' && activeId.value && at >= 0) {
      e.preventDefault();
      options.open(activeId.value);
    } else if (e.key === ' ' && activeId.value && at >= 0) {
      e.preventDefault();
      options.toggle(activeId.value, e.shiftKey);
    }
  }

  return { activeId, activeIndex, activeDescendant, onFocus, onKeydown, setActive: (id: string) => (activeId.value = id) };
}
