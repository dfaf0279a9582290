/**
 * A rollout campaign end to end, live on screen: 40 simulated devices, 10 % of which crash when
 * they boot the new image and come back on the old one. The canary catches it and the rollout
 * pauses; the operator sees the rolled-back devices on their old version, excludes them and
 * resumes; the rest of the fleet updates (its own bad boots roll back under the phase's
 * threshold) and the rollout ends done — without a reload of the page.
 */
import type { Page } from '@playwright/test';
import type { RolloutDetail } from '../../src/shared/api/rollouts';
import type { DeviceFaults } from '../../src/simulator/device';
import { adminApi, appInfo, expect, newDevice, open, test } from './support/fixtures';
import { snapWidthsAndThemes } from './support/screens';

const FLEET = 40;

async function uploadImage(name: string, version: string, bytes: Buffer): Promise<{ id: number }> {
  const { adminUrl, adminToken } = appInfo();
  const response = await fetch(`${adminUrl}/api/firmware?name=${name}&version=${version}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
}

/** Picks an option of a naive-ui select from the keyboard: type part of its label, Enter. */
async function choose(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  await select.click();
  await page.keyboard.type(text);
  await expect(page.locator('.n-base-select-option--pending').filter({ visible: true })).toContainText(text);
  await page.keyboard.press('Enter');
  await expect(select).toContainText(text);
}

test.describe('rollout campaign', () => {
  test('40 devices, 10 % bad boots: pauses at the canary, excluded, resumed, everyone else updated', async ({ page }) => {
    test.setTimeout(240_000);
    const stamp = Date.now().toString(36);
    const fwName = `probe-${stamp}`;
    const profile = await adminApi<{ id: number; name: string }>('POST', '/api/profiles', { name: `campaign-${stamp}` });
    // devices long-poll a few seconds at a time, so a freed download slot is picked up quickly
    // each device's faults object is read when it boots an image, so the bad ones can be chosen
    // once the plan says which phase each device is in
    const faults = new Map<string, DeviceFaults>();
    const devices = Array.from({ length: FLEET }, () => {
      const own: DeviceFaults = {};
      const device = newDevice({ fwName, fwVersion: '1.0.0', wait: 3, faults: own });
      faults.set(device.mac, own);
      return device;
    });
    for (const device of devices) {
      await device.register();
      await device.checkin();
    }
    await adminApi('POST', '/api/devices/bulk', { target: { ids: devices.map((d) => d.mac) }, op: { action: 'setProfile', profileId: profile.id } });
    const image = await uploadImage(fwName, '2.0.0', Buffer.alloc(48 * 1024, 9));

    // the operator creates the rollout from the form, with the keyboard where it matters
    await open(page, '/');
    await page.getByTestId('nav-rollouts').click();
    await page.getByTestId('rollout-new').click();
    const form = page.getByTestId('rollout-form');
    await form.getByTestId('rollout-start').click(); // nothing chosen yet: the form says what is missing
    await expect(form).toContainText('Choose the image to roll out.');
    await choose(page, 'rollout-image', `${fwName} 2.0.0`);
    await expect(form).not.toContainText('Choose the image to roll out.');
    await form.getByText('A profile', { exact: true }).click();
    await choose(page, 'rollout-profile', profile.name);
    await form.getByTestId('phase-value-0').locator('input').fill('0');
    await expect(form).toContainText('A whole number of devices, 1 to 10 000.');
    await form.getByTestId('phase-value-0').locator('input').fill('5');
    await form.getByTestId('rollout-observe').locator('input').fill('0');
    await snapWidthsAndThemes(page, 'rollout-new');
    await form.getByTestId('rollout-observe').locator('input').press('Control+Enter');
    await expect(page).toHaveURL(/#\/rollouts\/\d+$/);
    const rolloutId = Number(/rollouts\/(\d+)$/.exec(page.url())![1]);

    // 10 % bad boots: one in the canary (its first failure pauses: the others' offers wait), three
    // in "the rest", whose default threshold (10 % of 31) tolerates them
    const plan = await adminApi<RolloutDetail>('GET', `/api/rollouts/${rolloutId}`);
    expect(plan.phases.map((p) => p.devices.length)).toEqual([5, 4, 31]);
    const canary = plan.phases[0]!.devices.map((d) => d.mac);
    const rest = plan.phases[2]!.devices.map((d) => d.mac);
    const bad = new Set([canary[2]!, rest[3]!, rest[15]!, rest[27]!]);
    for (const mac of bad) faults.get(mac)!.bootFailure = true;
    for (const device of devices) device.start();

    try {
      const state = page.getByTestId('rollout-state');
      const phase = (i: number) => page.locator(`[data-phase="${i}"]`);
      const row = (i: number, mac: string) => phase(i).locator(`[data-device="${mac}"]`);
      const canaryBad = canary.filter((mac) => bad.has(mac));

      // the canary gate stops the rollout by itself; the page follows live
      await expect(state).toHaveText('paused', { timeout: 60_000 });
      await expect(page.getByTestId('paused-reason')).toContainText('1 of 5 canary devices failed or rolled back (threshold 0)');
      for (const mac of canaryBad) {
        await expect(row(0, mac).getByTestId('device-state')).toHaveText('rolled back');
        await expect(row(0, mac).getByTestId('device-version')).toContainText('1.0.0');
        await expect(page.getByTestId('rollout-failures').locator(`[data-device="${mac}"]`)).toContainText('on 1.0.0');
      }
      await expect(phase(0).getByTestId('progress-legend')).toContainText('1 failed or rolled back');
      await expect(page.getByTestId('rollout-failures').locator('li')).toHaveCount(1);
      await expect(phase(1).getByTestId('phase-state')).toHaveText('not started');
      await snapWidthsAndThemes(page, 'rollout-paused');

      // exclude it, resume
      for (const mac of canaryBad) await row(0, mac).getByTestId('exclude-tick').click();
      await page.getByTestId('rollout-exclude').click();
      for (const mac of canaryBad) await expect(row(0, mac).getByTestId('device-state')).toHaveText('excluded');
      await page.getByTestId('rollout-resume').click();
      await expect(state).toHaveText('running');

      // the rest goes through; its three bad boots roll back without pausing (threshold 3 of 31)
      await expect(state).toHaveText('done', { timeout: 150_000 });
      const legend = page.locator('.total').getByTestId('progress-legend');
      await expect(legend).toContainText(`${FLEET - 4} updated`);
      await expect(legend).toContainText('3 failed or rolled back');
      await expect(legend).toContainText('1 skipped');
      for (const mac of rest.filter((m) => bad.has(m))) {
        await expect(row(2, mac).getByTestId('device-state')).toHaveText('rolled back');
        await expect(row(2, mac).getByTestId('device-version')).toContainText('1.0.0');
      }
      await expect(page.getByTestId('rollout-failures').locator('li')).toHaveCount(3);
      await snapWidthsAndThemes(page, 'rollout-done');

      const final = await adminApi<RolloutDetail>('GET', `/api/rollouts/${rolloutId}`);
      expect(final.counts).toMatchObject({ updated: FLEET - 4, rolled_back: 3, skipped: 1 });
      for (const device of devices) expect(device.fwVersion).toBe(bad.has(device.mac) ? '1.0.0' : '2.0.0');

      // the list shows it done, and a rolled-back device's page tells its update history
      await page.getByTestId('nav-rollouts').click();
      await expect(page.locator(`[data-rollout="${rolloutId}"]`)).toContainText('done');
      await snapWidthsAndThemes(page, 'rollout-list');
      await page.goto(`${appInfo().adminUrl}/#/devices/${encodeURIComponent(canaryBad[0]!)}?tab=updates`);
      const history = page.getByTestId('update-history');
      await expect(history.locator('[data-state="rolled_back"]')).toContainText('exception at boot');
      await expect(history.locator('[data-state="rolled_back"]')).toContainText(`rollout #${rolloutId}`);
      await expect(history.locator('[data-state="skipped"]')).toContainText('1.0.0 → 2.0.0');
      await expect(history.locator('[data-state="skipped"]')).toContainText('excluded');
      await snapWidthsAndThemes(page, 'device-updates');
      expect(image.id).toBe(final.firmwareId);
    } finally {
      await Promise.all(devices.map((d) => d.stop()));
    }
  });
});

test('a legacy-protocol device in a rollout\'s target reads "cannot update", not waiting', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const profile = await adminApi<{ id: number }>('POST', '/api/profiles', { name: `legacy-campaign-${stamp}` });
  const old = newDevice({ legacy: true });
  const current = newDevice({ fwName: `legacy-${stamp}`, fwVersion: '1.0.0' });
  for (const device of [old, current]) {
    await device.register();
    await device.checkin();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { profileId: profile.id });
  }
  const image = await uploadImage(`legacy-${stamp}`, '2.0.0', Buffer.alloc(4096, 3));
  const rollout = await adminApi<RolloutDetail>('POST', '/api/rollouts', { firmwareId: image.id, target: { profileId: profile.id }, phases: [{ percent: 100 }] });

  await open(page, `/rollouts/${rollout.id}`);
  const unassigned = page.getByTestId('rollout-unassigned');
  await expect(unassigned.locator(`[data-device="${old.mac}"]`).getByTestId('device-state')).toHaveText('cannot update: legacy protocol');
  await expect(page.locator('[data-phase="0"]').locator(`[data-device="${current.mac}"]`)).toBeVisible();
  await expect(unassigned.locator(`[data-device="${current.mac}"]`)).toHaveCount(0);
});
