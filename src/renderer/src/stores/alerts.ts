/** Alerts: the notification centre (unread count in the navigation), rules, channels, maintenance windows. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AlertChannel, AlertDelivery, AlertNotification, AlertRule, AlertRuleInput, AlertWindow, AlertWindowInput, AlertsOverview,
  ChannelInput, DeviceAlertState,
} from '../../../shared/api/alerts';
import type { FleetDelta } from '../../../shared/api';
import { alertsApi } from '../api/alerts';
import { liveWiring } from './live';

export const useAlertsStore = defineStore('alerts', () => {
  const unread = ref(0);
  const notifications = ref<AlertNotification[]>([]);
  const overview = ref<AlertsOverview>({ firing: [], recent: [] });
  const rules = ref<AlertRule[]>([]);
  const channels = ref<AlertChannel[]>([]);
  const windows = ref<AlertWindow[]>([]);
  const deliveries = ref<Record<number, AlertDelivery[]>>({});

  async function loadNotifications(): Promise<void> {
    const list = await alertsApi.notifications();
    notifications.value = list.items;
    unread.value = list.unread;
  }
  async function loadOverview(): Promise<void> {
    overview.value = await alertsApi.overview();
  }
  async function loadSetup(): Promise<void> {
    [rules.value, channels.value, windows.value] = await Promise.all([alertsApi.rules(), alertsApi.channels(), alertsApi.windows()]);
  }
  async function markRead(): Promise<void> {
    unread.value = (await alertsApi.markRead()).unread;
    for (const n of notifications.value) n.read = true;
  }

  async function createRule(input: AlertRuleInput): Promise<void> {
    rules.value.push(await alertsApi.createRule(input));
  }
  async function setRuleEnabled(id: number, enabled: boolean): Promise<void> {
    const rule = await alertsApi.patchRule(id, { enabled });
    rules.value = rules.value.map((r) => (r.id === id ? rule : r));
  }
  async function removeRule(id: number): Promise<void> {
    await alertsApi.removeRule(id);
    rules.value = rules.value.filter((r) => r.id !== id);
  }
  async function createChannel(input: ChannelInput): Promise<void> {
    channels.value.push(await alertsApi.createChannel(input));
  }
  async function removeChannel(id: number): Promise<void> {
    await alertsApi.removeChannel(id);
    channels.value = channels.value.filter((c) => c.id !== id);
    rules.value = await alertsApi.rules();
  }
  async function loadDeliveries(id: number): Promise<void> {
    deliveries.value = { ...deliveries.value, [id]: await alertsApi.deliveries(id) };
  }
  async function testChannel(id: number): Promise<AlertDelivery> {
    const delivery = await alertsApi.testChannel(id);
    await loadDeliveries(id);
    return delivery;
  }
  async function createWindow(input: AlertWindowInput): Promise<void> {
    await alertsApi.createWindow(input);
    windows.value = await alertsApi.windows();
  }
  async function removeWindow(id: number): Promise<void> {
    await alertsApi.removeWindow(id);
    windows.value = windows.value.filter((w) => w.id !== id);
  }

  const deviceState = (id: string): Promise<DeviceAlertState> => alertsApi.device(id);
  const setMuted = (id: string, muted: boolean): Promise<DeviceAlertState> => alertsApi.setMuted(id, muted);

  const refresh = (): void => {
    void loadNotifications().catch(() => undefined);
    void loadOverview().catch(() => undefined);
  };
  const wire = liveWiring((deltas: FleetDelta[]) => {
    const alertEvent = deltas.some((d) => (d.type === 'event' && d.event.kind.startsWith('alert_')) || d.type === 'alerts');
    if (alertEvent) refresh();
  }, refresh);

  return {
    unread, notifications, overview, rules, channels, windows, deliveries,
    loadNotifications, loadOverview, loadSetup, markRead, createRule, setRuleEnabled, removeRule,
    createChannel, removeChannel, loadDeliveries, testChannel, createWindow, removeWindow, deviceState, setMuted, wire, refresh,
  };
});
