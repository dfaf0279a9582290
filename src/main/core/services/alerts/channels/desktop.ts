/**
 * Desktop channel: the core never imports electron, so the shell registers a listener and shows
 * the notification (honouring its own pause switch). Headless, nobody listens and the delivery
 * log says so.
 */
import type { ChannelKindImpl } from './channel-kind';

export type DesktopListener = (title: string, body: string) => void;

export function desktopKind(listeners: Set<DesktopListener>): ChannelKindImpl {
  return {
    retries: () => 0,
    send(_channel, payload) {
      if (listeners.size === 0) return Promise.resolve({ ok: false, status: null, error: 'no desktop shell attached (headless server)' });
      const title = payload.state === 'firing' ? `Alert: ${payload.rule.name}` : `Recovered: ${payload.rule.name}`;
      for (const listener of listeners) listener(title, payload.message);
      return Promise.resolve({ ok: true, status: null, error: null });
    },
  };
}
