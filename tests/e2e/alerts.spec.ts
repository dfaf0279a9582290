import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { adminApi, expect, newDevice, open, snap, test, useColourScheme } from './support/fixtures';

/** The check-in interval the devices are given: the shortest the app allows, so missed check-ins come quickly. */
const INTERVAL = 5;

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

const bodiesFor = (mac: string) => receiver.received.map((r) => r.json as { device: { mac: string }; state: string }).filter((b) => b.device.mac === mac);

test('a device stops: the offline alert fires after N missed check-ins, reaches the webhook and the notification centre; it recovers after M; a muted device raises nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const boiler = newDevice({ interval: INTERVAL });
  const quiet = newDevice({ interval: INTERVAL });
  for (const [device, name] of [[boiler, 'Boiler e2e'], [quiet, 'Muted e2e']] as const) {
    await device.register();
    await adminApi('PATCH', `/api/devices/${device.mac}`, { name, location: 'Cellar', checkinInterval: INTERVAL });
  }
  await adminApi('PATCH', `/api/devices/${quiet.mac}`, { muted: true });
  const channel = await adminApi<{ id: number }>('POST', '/api/alerts/channels', { kind: 'webhook', name: 'e2e receiver', url: receiver.url });
  await adminApi('POST', '/api/alerts/rules', {
    kind: 'offline', name: 'Boiler room offline', missedCheckins: 2, recoverAfter: 2,
    scope: { devices: [boiler.mac, quiet.mac] }, channels: [channel.id],
  });

  boiler.start();
  quiet.start();
  await open(page, '/alerts');
  await expect.poll(async () => (await adminApi<{ lastSeenAt: number | null }>('GET', `/api/devices/${boiler.mac}`)).lastSeenAt).not.toBeNull();
  await Promise.all([boiler.stop(), quiet.stop()]);

  // two missed check-ins (2.5 intervals of silence) and the webhook has the documented body
  await expect.poll(() => bodiesFor(boiler.mac).length, { timeout: 40_000 }).toBe(1);
  const firing = bodiesFor(boiler.mac)[0] as unknown as Record<string, unknown>;
  expect(firing).toMatchObject({
    device: { mac: boiler.mac, name: 'Boiler e2e', location: 'Cellar' },
    rule: { name: 'Boiler room offline', kind: 'offline' }, state: 'firing', value: 2, test: false,
  });
  expect(Date.parse(firing.at as string)).toBeGreaterThan(Date.now() - 60_000);
  expect(firing.link).toContain(`/#/devices/${encodeURIComponent(boiler.mac)}`);

  // the notification centre shows it, with the unread count in the navigation
  const list = page.getByTestId('notification-list');
  await expect(list.locator('[data-state="firing"]', { hasText: 'Boiler e2e' })).toBeVisible();
  await expect(page.getByTestId('alerts-unread')).toBeVisible();
  await expect(page.getByTestId('firing-list')).toContainText('Boiler e2e');

  // the muted device went down just as long: its alert is open but silenced, nobody was told
  await expect.poll(async () => (await adminApi<{ firing: { deviceId: string; silent: boolean }[] }>('GET', '/api/alerts'))
    .firing.filter((a) => a.deviceId === quiet.mac).map((a) => a.silent)).toEqual([true]);
  expect(bodiesFor(quiet.mac)).toEqual([]);
  await expect(list).not.toContainText('Muted e2e');

  for (const scheme of ['light', 'dark'] as const) {
    await useColourScheme(page, scheme);
    await snap(page, `alerts-notifications-${scheme}`);
  }

  // the device returns: resolved only after two good check-ins
  await boiler.checkin();
  await expect.poll(async () => (await adminApi<{ firing: { deviceId: string }[] }>('GET', '/api/alerts')).firing.some((a) => a.deviceId === boiler.mac)).toBe(true);
  expect(bodiesFor(boiler.mac)).toHaveLength(1);
  await boiler.checkin();
  await expect.poll(() => bodiesFor(boiler.mac).map((b) => b.state), { timeout: 15_000 }).toEqual(['firing', 'resolved']);
  await expect(list.locator('[data-state="resolved"]', { hasText: 'Boiler e2e' })).toBeVisible();
  await page.getByTestId('mark-read').click();
  await expect(page.getByTestId('alerts-unread')).toBeHidden();

  // the channels tab: test button and delivery log with the receiver's code
  await page.getByRole('tab', { name: 'Channels' }).click();
  await page.getByTestId(`test-${channel.id}`).click();
  await expect(page.getByTestId(`log-${channel.id}`)).toContainText('(test)');
  await expect(page.getByTestId(`log-${channel.id}`)).toContainText('200');
  for (const scheme of ['light', 'dark'] as const) {
    await useColourScheme(page, scheme);
    await snap(page, `alerts-channels-${scheme}`);
  }
  await page.getByRole('tab', { name: 'Rules' }).click();
  await expect(page.getByTestId('rule-list')).toContainText('Boiler room offline');
  await snap(page, 'alerts-rules-dark');
  await page.setViewportSize({ width: 1024, height: 768 });
  await useColourScheme(page, 'light');
  await snap(page, 'alerts-rules-light-1024');
  await open(page, `/devices/${quiet.mac}`);
  await expect(page.getByTestId('mute-toggle')).toHaveAttribute('aria-checked', 'true');
  await snap(page, 'alerts-device-muted-light-1024');
});
