import type { Settings, SettingsPatch } from '../../../../shared/api';
import { BUDGET_SETTING_KEYS, DEFAULT_ADMISSION_SETTINGS } from '../../../../shared/api/claims';
import { settingsConflicts, type SettingsPreview, type StatusMove } from '../../../../shared/settings-rules';
import { DEFAULT_THRESHOLDS, livenessOf } from '../../../../shared/status';
import { FleetError } from '../../errors';
import { intervalOf } from '../../state/runtime';
import type { SettingsRepo } from '../../db/repos/settings-repo';
import type { ServiceContext } from '../context';
import type { Author, SettingsService } from '../contracts';

export const DEFAULT_SETTINGS: Settings = {
  registrationPolicy: 'open',
  enrollmentKey: '',
  legacyProtocol: true,
  defaultCheckinInterval: 30,
  thresholds: { ...DEFAULT_THRESHOLDS },
  commandTtlSeconds: 3600,
  mdnsName: '',
  mdnsInterfaces: [],
  devicePort: 3000,
  // raw samples cost ~60× the hourly buckets per day (docs/history.md): kept briefly
  telemetryRetentionDays: 2,
  historyRetentionDays: 180,
  ...DEFAULT_ADMISSION_SETTINGS,
};

/** Stored values over the defaults; a stored value of the wrong type is ignored. */
export function loadSettings(repo: SettingsRepo): Settings {
  const stored = repo.load();
  const settings: Settings = structuredClone(DEFAULT_SETTINGS);
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const value = stored.get(key);
    if (value === undefined) continue;
    const fallback = DEFAULT_SETTINGS[key];
    const sameShape = Array.isArray(fallback) ? Array.isArray(value) : typeof value === typeof fallback && value !== null;
    if (sameShape) (settings as unknown as Record<string, unknown>)[key] = value;
  }
  return settings;
}

/** The settings a patch would give, refused when its fields contradict each other. */
function mergedSettings(ctx: ServiceContext, patch: SettingsPatch): Settings {
  const next: Settings = { ...structuredClone(ctx.state.settings), ...structuredClone(patch) };
  const conflicts = Object.entries(settingsConflicts(next));
  if (conflicts.length > 0) {
    throw new FleetError('bad_request', conflicts.map(([path, message]) => `${path}: ${message}`).join('; '),
      conflicts.map(([path, message]) => ({ path, message })));
  }
  return next;
}

export function createSettingsService(ctx: ServiceContext): SettingsService {
  return {
    get: () => structuredClone(ctx.state.settings),

    /** Which devices would change status at once if the patch were saved now (for the confirmation). */
    preview(patch: SettingsPatch): SettingsPreview {
      const next = mergedSettings(ctx, patch);
      const now = ctx.clock.now();
      const moves = new Map<string, StatusMove>();
      for (const device of ctx.state.devices.values()) {
        if (device.state !== 'active') continue;
        const to = livenessOf(device.lastSeenAt, intervalOf(device, next), now, next.thresholds);
        if (to === device.status) continue;
        const key = `${device.status}>${to}`;
        const move = moves.get(key) ?? { from: device.status, to, count: 0 };
        move.count += 1;
        moves.set(key, move);
      }
      const list = [...moves.values()].sort((a, b) => b.count - a.count);
      return { changes: list.reduce((sum, m) => sum + m.count, 0), moves: list };
    },

    patch(patch: SettingsPatch, author: Author): Settings {
      const next = mergedSettings(ctx, patch);
      const changed = (Object.keys(patch) as (keyof Settings)[]).filter(
        (key) => JSON.stringify(patch[key]) !== JSON.stringify(ctx.state.settings[key]),
      );
      if (changed.length === 0) return structuredClone(ctx.state.settings);
      ctx.atomically(() => {
        for (const key of changed) ctx.repos.settings.save(key, next[key]);
        // The key itself is a secret: the audit log names what changed, not the value.
        ctx.events.record('settings_changed', null, `settings changed by ${author}: ${changed.join(', ')}`, { author, keys: changed });
        ctx.undo.keep(ctx.state);
        ctx.state.settings = next;
        ctx.bus.emit({ type: 'settings' });
      });
      if (changed.includes('defaultCheckinInterval')) ctx.waiters.notifyAll();
      // new budgets start a fresh minute; new caps show at once in the limits banner
      if (BUDGET_SETTING_KEYS.some((key) => changed.includes(key))) ctx.admission.budgets.reset();
      if (changed.some((key) => key === 'fleetCap' || key === 'pendingCap')) ctx.admission.limits.announce(ctx);
      return structuredClone(next);
    },
  };
}
