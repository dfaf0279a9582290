import type { ServerInfo } from '../../shared/api';
import type { Fleet } from '../core';
import type { LaunchOptions } from './options';

/** What the operator needs after start: where devices reach us, and how to open the UI. */
export function printBanner(fleet: Fleet, options: LaunchOptions): void {
  const loginUrl = fleet.createLoginUrl();
  const deviceUrls = fleet.deviceAddress.urls;
  if (options.json) {
    const ready = {
      event: 'ready',
      deviceUrl: `http://127.0.0.1:${fleet.deviceAddress.port}`,
      deviceUrls,
      adminUrl: fleet.adminUrl,
      loginUrl,
      adminToken: fleet.adminToken,
      metricsPort: fleet.metricsLanAddress?.port ?? null,
      dataDir: options.dataDir,
    };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
    return;
  }
  const lines = [
    'FleetDesk is running headless.',
    '',
    `  Devices reach it at  ${deviceUrls.join('  ') || `port ${fleet.deviceAddress.port}`}`,
    `  mDNS                 ${describeMdns(fleet.discoveryState(), options.mdns)}`,
    `  Data directory       ${options.dataDir}`,
    `  Metrics (Prometheus) ${describeMetrics(fleet)}`,
    '',
    `  Open the admin UI:   ${loginUrl}`,
    '  (one-time link; run again or restart for a new one)',
    '',
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describeMdns(mdns: ServerInfo['mdns'], wanted: boolean): string {
  if (!wanted) return 'off (--no-mdns): devices need the URL above';
  if (mdns.state === 'advertising') {
    const where = mdns.interfaces.map((i) => `${i.name} ${i.address}`).join(', ');
    return `"${mdns.name}" (_fleetdesk._tcp) on ${where}`;
  }
  return `${mdns.state}${mdns.message ? `: ${mdns.message}` : ''} — devices need the URL above`;
}

function describeMetrics(fleet: Fleet): string {
  const lan = fleet.metricsLanAddress;
  const admin = `${fleet.adminUrl}/metrics (admin token)`;
  return lan ? `${admin}; on the LAN at ${lan.host}:${lan.port}/metrics (metrics token)` : admin;
}
