/**
 * When a live re-sort moves the row the user is on — the keyboard caret while the list has the
 * focus, or the row under the mouse — the list scrolls by the same amount so that row stays put
 * on screen and the others move around it. With neither, rows simply move (the scroll position
 * stays); a re-sort the user asked for scrolls to the top instead.
 */
import { watch } from 'vue';

export interface KeepRowOptions {
  rows: () => readonly { id: string }[];
  /** bumps on a live re-sort only (not on reloads, filters or a new sort) */
  reorders: () => number;
  /** the row the user is on, or null when they are not in the list */
  anchorId: () => string | null;
  rowHeight: number;
  scroller: () => HTMLElement | null;
}

export function useKeepRowInView(options: KeepRowOptions): void {
  let seen = options.reorders();
  watch(options.rows, (next, prev) => {
    const reorders = options.reorders();
    if (reorders === seen) return;
    seen = reorders;
    const id = options.anchorId();
    const el = options.scroller();
    if (!id || !el) return;
    const before = prev.findIndex((r) => r.id === id);
    const after = next.findIndex((r) => r.id === id);
    if (before < 0 || after < 0 || before === after) return;
    const top = before * options.rowHeight;
    // only a row the user can see is held; scrolled away, it is not where their eyes are
    if (top + options.rowHeight <= el.scrollTop || top >= el.scrollTop + el.clientHeight) return;
    el.scrollTop += (after - before) * options.rowHeight;
  }, { flush: 'post' });
}
