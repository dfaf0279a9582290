/** What the command palette offers for a query: devices, actions on the selection, and pages. */
import type { DeviceSummary } from '../../../../shared/api';
import type { BulkOp } from '../../stores/selection';

export interface PaletteItem {
  key: string;
  group: 'Devices' | 'Selection' | 'Go to';
  label: string;
  hint?: string;
  run: () => void;
}

export const BULK_LABELS: Record<BulkOp['action'], string> = {
  setProfile: 'Set profile', addTags: 'Add tags', removeTags: 'Remove tags', setConfigKey: 'Set config key',
  removeConfigKey: 'Remove config key', command: 'Send command', approve: 'Approve', block: 'Block', delete: 'Delete',
};

export const PAGES = [
  { path: '/', label: 'Fleet' }, { path: '/dashboard', label: 'Dashboard' }, { path: '/pending', label: 'Approvals (devices awaiting approval)' },
  { path: '/profiles', label: 'Profiles' }, { path: '/firmware', label: 'Firmware' }, { path: '/rollouts', label: 'Rollouts' },
  { path: '/events', label: 'Events' }, { path: '/alerts', label: 'Alerts' }, { path: '/settings', label: 'Settings' },
];

/** Every word of the query appears in the text (any order, any case). */
export function matchesWords(text: string, query: string): boolean {
  const hay = text.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

export function paletteItems(input: {
  query: string;
  devices: readonly DeviceSummary[];
  selectedCount: number;
  openDevice: (id: string) => void;
  runBulk: (action: BulkOp['action']) => void;
  /** opens the new-rollout form on the selection */
  startRollout?: () => void;
  go: (path: string) => void;
}): PaletteItem[] {
  const { query } = input;
  const items: PaletteItem[] = [];
  if (input.selectedCount > 0) {
    const n = input.selectedCount;
    for (const [action, label] of Object.entries(BULK_LABELS) as [BulkOp['action'], string][]) {
      const text = `${label} on ${n} selected`;
      if (matchesWords(text, query)) items.push({ key: `bulk:${action}`, group: 'Selection', label: text, run: () => input.runBulk(action) });
    }
    const rollout = `Start firmware rollout on ${n} selected`;
    if (input.startRollout && matchesWords(rollout, query)) items.push({ key: 'bulk:rollout', group: 'Selection', label: rollout, run: input.startRollout });
  }
  for (const d of input.devices) {
    items.push({ key: `device:${d.id}`, group: 'Devices', label: d.name || d.id, hint: d.name ? d.id : d.ip ?? undefined, run: () => input.openDevice(d.id) });
  }
  for (const page of PAGES) {
    if (matchesWords(`go to ${page.label}`, query)) items.push({ key: `go:${page.path}`, group: 'Go to', label: page.label, run: () => input.go(page.path) });
  }
  return items;
}
