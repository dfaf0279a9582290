/** Typed calls of the alerts admin API (contract: src/shared/api/alerts.ts). Stores call these. */
import type {
  AlertChannel, AlertDelivery, AlertRule, AlertRuleInput, AlertRulePatch, AlertWindow, AlertWindowInput, AlertsOverview,
  ChannelInput, ChannelPatch, DeviceAlertState, NotificationList,
} from '../../../shared/api/alerts';
import { request } from './http';

const enc = encodeURIComponent;

export const alertsApi = {
  overview: () => request<AlertsOverview>('GET', '/api/alerts'),
  rules: () => request<AlertRule[]>('GET', '/api/alerts/rules'),
  createRule: (body: AlertRuleInput) => request<AlertRule>('POST', '/api/alerts/rules', { body }),
  patchRule: (id: number, body: AlertRulePatch) => request<AlertRule>('PATCH', `/api/alerts/rules/${id}`, { body }),
  removeRule: (id: number) => request<void>('DELETE', `/api/alerts/rules/${id}`),
  channels: () => request<AlertChannel[]>('GET', '/api/alerts/channels'),
  createChannel: (body: ChannelInput) => request<AlertChannel>('POST', '/api/alerts/channels', { body }),
  patchChannel: (id: number, body: ChannelPatch) => request<AlertChannel>('PATCH', `/api/alerts/channels/${id}`, { body }),
  removeChannel: (id: number) => request<void>('DELETE', `/api/alerts/channels/${id}`),
  testChannel: (id: number) => request<AlertDelivery>('POST', `/api/alerts/channels/${id}/test`),
  deliveries: (id: number) => request<AlertDelivery[]>('GET', `/api/alerts/channels/${id}/deliveries`),
  windows: () => request<AlertWindow[]>('GET', '/api/alerts/windows'),
  createWindow: (body: AlertWindowInput) => request<AlertWindow>('POST', '/api/alerts/windows', { body }),
  removeWindow: (id: number) => request<void>('DELETE', `/api/alerts/windows/${id}`),
  notifications: () => request<NotificationList>('GET', '/api/alerts/notifications'),
  markRead: () => request<{ unread: number }>('POST', '/api/alerts/notifications/read', { body: {} }),
  device: (id: string) => request<DeviceAlertState>('GET', `/api/alerts/devices/${enc(id)}`),
  setMuted: (id: string, muted: boolean) => request<DeviceAlertState>('PUT', `/api/alerts/devices/${enc(id)}/mute`, { body: { muted } }),
};
