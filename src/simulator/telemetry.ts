/**
 * Plausible ESP8266 telemetry: RSSI wanders like a device whose neighbour keeps moving the
 * microwave, free heap breathes around what a Sming app with a few connections leaves.
 */
export type Random = () => number;

const RSSI_MIN = -92;
const RSSI_MAX = -35;
const HEAP_MIN = 18_000;
const HEAP_MAX = 46_000;

export class TelemetryWalk {
  rssi: number;
  heap: number;

  constructor(private readonly random: Random) {
    this.rssi = Math.round(-78 + random() * 30);
    this.heap = Math.round(30_000 + random() * 8_000);
  }

  /** One step of the walk; called before every check-in. */
  step(): { rssi: number; heap: number } {
    this.rssi = clamp(this.rssi + Math.round((this.random() - 0.5) * 6), RSSI_MIN, RSSI_MAX);
    this.heap = clamp(this.heap + Math.round((this.random() - 0.5) * 1_600), HEAP_MIN, HEAP_MAX);
    return { rssi: this.rssi, heap: this.heap };
  }

  /** After a reboot the heap is back at its start-up level. */
  reboot(): void {
    this.heap = Math.round(38_000 + this.random() * 4_000);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Deterministic PRNG (mulberry32) so a seeded simulation repeats. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
