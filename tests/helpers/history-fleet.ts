/**
 * A data dir whose devices have a month of history, made by the real services on a hand-moved
 * clock (register, then check in every few minutes for 30 days): a device that gets weaker every
 * evening, one whose heap leaks until it reboots, one that was away for half a day, firmware
 * versions that change over the month. For the chart screens and their e2e tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../../src/main/core/db/open';
import { createServices } from '../../src/main/core/services';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const silent = { info() {}, warn() {}, error() {} };

export interface HistoryDevice { mac: string; name: string; token: string }

export function buildHistoryDataDir(now = Date.now(), days = 30): { dataDir: string; devices: HistoryDevice[] } {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetdesk-history-'));
  const db = openDatabase(join(dataDir, 'fleetdesk.db'));
  let t = now - days * DAY;
  const clock = { now: () => t };
  const services = createServices({ db, dataDir, clock, logger: silent, budgetExempt: () => true });
  try {
    services.settings.patch({ defaultCheckinInterval: 300 }, 'generator');
    const specs = [
      { mac: '02:aa:00:00:00:01', name: 'Greenhouse sensor', location: 'Greenhouse' },
      { mac: '02:aa:00:00:00:02', name: 'Boiler room relay', location: 'Basement' },
      { mac: '02:aa:00:00:00:03', name: 'Garage door', location: 'Garage' },
      { mac: '02:aa:00:00:00:04', name: 'Attic fan', location: 'Attic' },
      { mac: '02:aa:00:00:00:05', name: 'Porch light', location: 'Porch' },
    ];
    const devices = specs.map((s, i) => {
      const { reply } = services.protocol.register(s.mac, { ip: `192.168.1.${20 + i}`, fw: { name: 'fleet-app', version: '1.4.2' } }, null, `192.168.1.${20 + i}`);
      services.devices.patch(s.mac, { name: s.name, location: s.location }, 'generator');
      return { mac: s.mac, name: s.name, token: reply.token! };
    });
    const bootAt = devices.map(() => t);
    let lastFleet = t;
    for (let step = 0; t < now - 2 * MINUTE; step++) {
      // the last two hours at one check-in a minute (the raw 1 h chart), before that every 5 minutes
      const every = now - t <= 2 * HOUR ? MINUTE : 5 * MINUTE;
      const hourOfDay = (t / HOUR) % 24;
      const day = Math.floor((t - (now - days * DAY)) / DAY);
      devices.forEach((d, i) => {
        // the garage door was away for half a day on day 3, the porch light is late every few hours
        if (i === 2 && day === 3 && hourOfDay < 12) return;
        if (i === 4 && step % 37 < 3) return;
        // the relay's heap leaks ~300 B an hour and it restarts every 5 days
        if (i === 1 && t - bootAt[i]! > 5 * DAY) bootAt[i] = t;
        if (i === 0 && day % 9 === 4 && hourOfDay > 2 && hourOfDay < 2.2) bootAt[i] = t;
        const uptime = Math.floor((t - bootAt[i]!) / 1000);
        const wave = Math.sin((hourOfDay / 24) * 2 * Math.PI);
        const drift = Math.sin(step / 40 + i) * 2; // slow wander, not sample-to-sample noise
        const rssi = Math.round([-62 + 8 * wave, -70, -58, -81 + 4 * wave, -66][i]! + drift);
        const heap = i === 1 ? 32_000 - Math.floor(uptime / 20) : 28_000 + ((step * 13 + i * 101) % 2500) - i * 900;
        const version = i < 2 && day >= 20 ? '1.5.1' : i === 4 ? '1.3.9' : day >= 10 ? '1.5.0' : '1.4.2';
        services.protocol.checkin(d.mac, d.token, { cfgsn: 1, rssi, heap, uptime, fw: { name: 'fleet-app', version } }, `192.168.1.${20 + i}`);
      });
      if (t - lastFleet >= 5 * MINUTE) {
        lastFleet = t;
        services.tick();
        services.sampleHistory();
      }
      t += every;
    }
    services.flush();
    return { dataDir, devices };
  } finally {
    services.stop();
    closeDatabase(db);
  }
}
