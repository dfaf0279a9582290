/** One shared ticking clock for every "last seen" on screen (one timer, not one per row). */
import { ref } from 'vue';

export const now = ref(Date.now());
let timer: ReturnType<typeof setInterval> | null = null;

export function startClock(periodMs = 1000): void {
  if (timer) return;
  timer = setInterval(() => (now.value = Date.now()), periodMs);
}
