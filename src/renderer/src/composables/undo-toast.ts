/**
 * After a bulk action that can be undone: a toast saying what changed, with an Undo button that
 * puts the previous revisions back (the bulk reply carried what is needed).
 */
import { plural } from '../../../shared/plural';
import { h } from 'vue';
import { NButton, useMessage } from 'naive-ui';
import type { BulkOutcome } from '../../../shared/api/bulk-undo';
import { useSelectionStore } from '../stores/selection';
import { messageOf } from '../api/http';

const UNDO_WINDOW_MS = 15_000;

export function useUndoToast() {
  const message = useMessage();
  const selection = useSelectionStore();

  return function announce(text: string, outcome: BulkOutcome): void {
    const undo = outcome.undo;
    if (!undo) {
      message.success(text);
      return;
    }
    let done = false;
    const toast = message.success(
      () => h('span', { class: 'undo-toast', 'data-testid': 'undo-toast' }, [
        text,
        h(NButton, {
          text: true, type: 'primary', style: 'margin-left: 12px; font-weight: 600', 'data-testid': 'undo-button',
          onClick: () => void (async () => {
            if (done) return;
            done = true;
            toast.destroy();
            try {
              const result = await selection.undo(undo);
              const skipped = result.skipped.length;
              message.info(`Undone on ${plural(result.restored, 'device')}` +
                (skipped ? `; ${skipped} changed again since and ${skipped === 1 ? 'was' : 'were'} left as ${skipped === 1 ? 'it is' : 'they are'}` : ''));
            } catch (e) {
              message.error(`Undo failed: ${messageOf(e)}`);
            }
          })(),
        }, { default: () => 'Undo' }),
      ]),
      { duration: UNDO_WINDOW_MS, closable: true },
    );
  };
}
