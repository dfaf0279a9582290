/**
 * Devices that advertise themselves: our firmware's `_fleetdesk-dev._tcp` (TXT mac, fw), plus
 * `_arduino._tcp` (ArduinoOTA) and `_http._tcp` hosts that look like ESP boards. bonjour-service's
 * browser does the work on each link's socket; we keep a map keyed by fqdn.
 */
import type { Browser, Service } from 'bonjour-service';
import type { SeenDevice, SeenDeviceKind } from '../../../shared/api';
import { normalizeMac } from '../../../shared/device-id';
import type { LinkResponder } from './link';

const BROWSED: { type: string; kind: SeenDeviceKind }[] = [
  { type: 'fleetdesk-dev', kind: 'fleetdesk-dev' },
  { type: 'arduino', kind: 'arduino' },
  { type: 'http', kind: 'http' },
];

/** ESP firmwares' usual default names (Sming, NodeMCU, Tasmota, ESPHome, ESPurna, Shelly, Sonoff, Wemos). */
const ESP_LIKE = /^(esp|sming|nodemcu|tasmota|esphome|espurna|shelly|sonoff|wemos|d1[-_])/i;

export function looksLikeEsp(service: Pick<Service, 'name' | 'host' | 'txt'>): boolean {
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  return ESP_LIKE.test(service.name) || ESP_LIKE.test(service.host ?? '') || typeof txt.mac === 'string' || typeof txt.board === 'string';
}

export function toSeenDevice(service: Service, kind: SeenDeviceKind, iface: string, now: number): SeenDevice {
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const addresses = service.addresses?.length ? service.addresses : service.referer ? [service.referer.address] : [];
  return {
    fqdn: service.fqdn,
    name: service.name,
    kind,
    host: service.host,
    port: service.port,
    addresses: [...new Set(addresses)].filter((a) => !a.includes(':')),
    mac: typeof txt.mac === 'string' ? normalizeMac(txt.mac) : null,
    fw: typeof txt.fw === 'string' ? txt.fw : null,
    interface: iface,
    lastSeenAt: now,
  };
}

export class SeenDevices {
  private readonly devices = new Map<string, SeenDevice>();
  private readonly browsers = new Map<LinkResponder, Browser[]>();

  constructor(private readonly now: () => number, private readonly onChange: () => void) {}

  attach(link: LinkResponder): void {
    const browsers = BROWSED.map(({ type, kind }) => {
      const browser = link.find({ type });
      const upsert = (service: Service): void => {
        if (kind === 'http' && !looksLikeEsp(service)) return;
        this.devices.set(service.fqdn.toLowerCase(), toSeenDevice(service, kind, link.lan.name, this.now()));
        this.onChange();
      };
      browser.on('up', upsert);
      browser.on('srv-update', upsert);
      browser.on('txt-update', upsert);
      browser.on('down', (service) => {
        if (this.devices.delete(service.fqdn.toLowerCase())) this.onChange();
      });
      return browser;
    });
    this.browsers.set(link, browsers);
  }

  /**
   * Drop what outlived its TTL without a goodbye (a device unplugged), then ask again (PTR
   * queries): devices still there answer and come back, new quiet ones are found.
   */
  refresh(): void {
    for (const browsers of this.browsers.values()) {
      for (const b of browsers) {
        b.expire();
        b.update();
      }
    }
  }

  detach(link: LinkResponder): void {
    for (const b of this.browsers.get(link) ?? []) b.stop();
    this.browsers.delete(link);
    let changed = false;
    for (const [key, d] of this.devices) {
      if (d.interface === link.lan.name) changed = this.devices.delete(key) || changed;
    }
    if (changed) this.onChange();
  }

  list(): SeenDevice[] {
    return [...this.devices.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
