/**
 * Undo for the in-memory fleet while an operator change runs in a transaction. Services write
 * SQL first and memory after, but a change that spans several objects (a bulk action, a profile
 * whose devices are re-derived) can fail halfway; then exactly the objects it touched are put
 * back, in reverse order, and nothing else: check-ins that memory holds ahead of the disk stay,
 * and every reference to a device (write-behind, long-polls) stays valid.
 *
 * Callers announce what they are about to change; outside a transaction that costs nothing.
 */
type Restore = () => void;

export class UndoJournal {
  private entries: Restore[] | null = null;
  private kept = new Set<object>();

  /** Runs fn; if it throws, undoes what was announced during it. Nested runs join the outer one. */
  run<T>(fn: () => T): T {
    if (this.entries) return fn();
    this.entries = [];
    try {
      return fn();
    } catch (err) {
      const entries = this.entries;
      this.entries = null; // restoring is not itself journalled
      for (let i = entries.length - 1; i >= 0; i--) entries[i]!();
      throw err;
    } finally {
      this.entries = null;
      this.kept.clear();
    }
  }

  /** The object's own fields (arrays by content) as they are now, restored in place on undo. */
  keep(target: object): void {
    if (!this.entries || this.kept.has(target)) return;
    this.kept.add(target);
    const record = target as Record<string, unknown>;
    const fields = Object.entries(record).map(([key, value]) => [key, value, Array.isArray(value) ? (value as unknown[]).slice() : null] as const);
    this.entries.push(() => {
      for (const key of Object.keys(record)) if (!fields.some(([k]) => k === key)) delete record[key];
      for (const [key, value, items] of fields) {
        if (items) (value as unknown[]).splice(0, (value as unknown[]).length, ...items);
        record[key] = value;
      }
    });
  }

  /** A map entry that is about to be added, replaced or deleted. */
  keepEntry<K, V>(map: Map<K, V>, key: K): void {
    if (!this.entries) return;
    const had = map.has(key);
    const value = map.get(key);
    this.entries.push(() => {
      if (had) map.set(key, value as V);
      else map.delete(key);
    });
  }

  /** Anything else to put back (e.g. a buffered write that was dropped). */
  onUndo(restore: Restore): void {
    this.entries?.push(restore);
  }
}
