/**
 * The new-rollout form: every field's inline message names the fix, and the request it sends is
 * accepted by the server's own schema (the contract both sides share).
 */
import { describe, expect, it } from 'vitest';
import { RolloutCreateSchema } from '../../../src/shared/api/rollouts';
import { emptyRolloutForm, hasErrors, rolloutRequest, validateRolloutForm } from '../../../src/renderer/src/components/rollout/rollout-form';
import { barSegments, deviceLabel, phaseTitle } from '../../../src/renderer/src/components/rollout/rollout-look';

const filled = () => ({ ...emptyRolloutForm(), firmwareId: 3 });

describe('new rollout form', () => {
  it('starts with a canary, 10 % and the rest, and asks only for the image', () => {
    const errors = validateRolloutForm(emptyRolloutForm());
    expect(Object.keys(errors)).toEqual(['firmwareId']);
    expect(errors.firmwareId).toMatch(/choose the image/i);
    expect(hasErrors(validateRolloutForm(filled()))).toBe(false);
  });

  it('says what is wrong with each field', () => {
    const form = {
      ...filled(), target: 'profile' as const, phases: [{ kind: 'size' as const, value: 0 }, { kind: 'percent' as const, value: 150 }],
      maxConcurrent: 0, confirmWithinSec: 5, observeSec: -1, heapFloor: -1, maxFailures: 1.5,
    };
    const errors = validateRolloutForm(form);
    expect(errors.target).toMatch(/choose a profile/i);
    expect(errors.phaseRows).toEqual([expect.stringMatching(/at least 1|1 to/), expect.stringMatching(/between 0.1 and 100/)]);
    expect(errors.maxConcurrent).toMatch(/1 to 1000/);
    expect(errors.confirmWithinSec).toMatch(/10 to/);
    expect(errors.observeSec).toMatch(/0 to 86 400/);
    expect(errors.heapFloor).toMatch(/empty for no floor/);
    expect(errors.maxFailures).toMatch(/whole number/);
    expect(validateRolloutForm({ ...filled(), target: 'tag', tag: '  ' }).target).toMatch(/type the tag/i);
    expect(validateRolloutForm({ ...filled(), target: 'devices', devices: [] }).target).toMatch(/pick at least one device/i);
    expect(validateRolloutForm({ ...filled(), phases: Array.from({ length: 10 }, () => ({ kind: 'size' as const, value: 1 })) }).phases).toMatch(/at most 9/i);
  });

  it('builds a request the server schema accepts, for every kind of target', () => {
    const targets = [
      { target: 'outdated' as const }, { target: 'profile' as const, profileId: 4 }, { target: 'tag' as const, tag: ' lab ' },
      { target: 'devices' as const, devices: ['aa:bb:cc:dd:ee:ff'] },
    ];
    for (const t of targets) {
      const form = { ...filled(), ...t, heapFloor: 12000, maxFailures: 2, allowDowngrade: true };
      expect(hasErrors(validateRolloutForm(form))).toBe(false);
      const parsed = RolloutCreateSchema.parse(rolloutRequest(form));
      expect(parsed.phases).toEqual([{ size: 1 }, { percent: 10 }]);
      expect(parsed.gate).toMatchObject({ confirmWithinSec: 600, observeSec: 30, heapFloor: 12000, maxFailures: 2 });
      expect(parsed.allowDowngrade).toBe(true);
    }
    expect(rolloutRequest({ ...filled(), target: 'tag', tag: ' lab ' }).target).toEqual({ tag: 'lab' });
    // no phase listed: one phase with every device
    expect(RolloutCreateSchema.parse(rolloutRequest({ ...filled(), phases: [] })).phases).toEqual([{ percent: 100 }]);
    // an empty threshold leaves the server's default (the canary pauses on any failure)
    expect(rolloutRequest(filled()).gate).not.toHaveProperty('maxFailures');
  });
});

describe('rollout looks', () => {
  it('names legacy devices "cannot update" and orders the bar done → failed → busy → waiting', () => {
    expect(deviceLabel({ state: 'skipped', reason: 'legacy_cannot_update' }).label).toBe('cannot update: legacy protocol');
    expect(deviceLabel({ state: 'rolled_back', reason: 'boot_failed' })).toEqual({ label: 'rolled back', type: 'error' });
    const counts = { queued: 3, offered: 1, downloading: 1, verifying: 0, rebooting: 0, on_trial: 1, updated: 4, rolled_back: 2, failed: 0, skipped: 0 };
    expect(barSegments(counts).map((s) => [s.key, s.count])).toEqual([['updated', 4], ['on_trial', 1], ['busy', 2], ['failed', 2], ['queued', 3]]);
    expect(phaseTitle({ index: 0, size: 5, percent: null }, 3)).toBe('Canary · 5 devices');
    expect(phaseTitle({ index: 1, size: null, percent: 10 }, 3)).toBe('Phase 2 · 10 %');
    expect(phaseTitle({ index: 2, size: null, percent: null }, 3)).toBe('The rest');
  });
});
