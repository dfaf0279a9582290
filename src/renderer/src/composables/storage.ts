/** localStorage that degrades to nothing (Node tests, private windows) instead of throwing. */
interface StorageLike { getItem(key: string): string | null; setItem(key: string, value: string): void }

function storage(): StorageLike | null {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage ?? null;
  } catch {
    return null;
  }
}

export function loadJson<T>(key: string, fallback: T, accept: (value: unknown) => boolean = () => true): T {
  try {
    const raw = storage()?.getItem(key);
    if (!raw) return fallback;
    const value: unknown = JSON.parse(raw);
    return accept(value) ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}

export function saveJson(key: string, value: unknown): void {
  try {
    storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // quota or disabled storage: remembering is a convenience, not a requirement
  }
}
