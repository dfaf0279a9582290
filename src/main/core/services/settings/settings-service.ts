import type { Settings, SettingsPatch } from '../../../../shared/api';
import { BUDGET_SETTING_KEYS, DEFAULT_ADMISSION_SETTINGS } from '../../../../shared/api/claims';
import { DEFAULT_THRESHOLDS } from '../../../../shared/status';
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
  telemetryRetentionDays: 7,
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

export function createSettingsService(ctx: ServiceContext): SettingsService {
  return {
    get: () => structuredClone(ctx.state.settings),

    /** The `key` policy with an empty enrollment key is allowed: it admits no new device until a key is set. */
    patch(patch: SettingsPatch, author: Author): Settings {
      const next: Settings = { ...structuredClone(ctx.state.settings), ...structuredClone(patch) };
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
