/**
 * Desktop channel: the core never imports electron, so the shell registers a listener and shows
 * the notification (honouring its own pause switch). Headless, nobody listens and the delivery
 * log says so. A fleet-wide outage must not bury the desktop in notifications: past a few within
 * a short window the rest are left to the notification centre.
 */
import type { ChannelKindImpl } from './channel-kind';

export type DesktopListener = (title: string, body: string) => void;

export const DESKTOP_BURST = 5;
export const DESKTOP_BURST_WINDOW_MS = 10_000;

export function desktopKind(listeners: Set<DesktopListener>, now: () => number = Date.now): ChannelKindImpl {
  const shown: number[] = [];
  return {
    retries: () => 0,
    send(_channel, payload) {
      if (listeners.size === 0) return Promise.resolve({ ok: false, status: null, error: 'no desktop shell attached (headless server)' });
      const at = now();
      while (shown.length > 0 && shown[0]! <= at - DESKTOP_BURST_WINDOW_MS) shown.shift();
      if (shown.length >= DESKTOP_BURST) {
        return Promise.resolve({ ok: false, status: null, error: `not shown: more than ${DESKTOP_BURST} desktop notifications within ${DESKTOP_BURST_WINDOW_MS / 1000} s (see the notification centre)` });
      }
      shown.push(at);
      const title = payload.state === 'firing' ? `Alert: ${payload.rule.name}` : `Recovered: ${payload.rule.name}`;
      for (const listener of listeners) listener(title, payload.message);
      return Promise.resolve({ ok: true, status: null, error: null });
    },
  };
}
