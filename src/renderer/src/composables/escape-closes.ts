/**
 * Escape closes an open popover (naive-ui's click popovers do not), wherever the focus is, and
 * hands the focus back to the element that opened it.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

export function useEscapeCloses(trigger: Ref<HTMLElement | { $el?: HTMLElement } | null>) {
  const open = ref(false);
  function onKey(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || !open.value) return;
    e.stopPropagation();
    open.value = false;
    const t = trigger.value;
    const el = t instanceof HTMLElement ? t : t?.$el;
    el?.focus();
  }
  watch(open, (now) => {
    if (now) window.addEventListener('keydown', onKey, true);
    else window.removeEventListener('keydown', onKey, true);
  });
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey, true));
  return open;
}
