/**
 * A fleet in its own process, for tests that kill it (tests/integration/crash.test.ts).
 * Usage: node --import tsx tests/helpers/crash-child.ts <dataDir>
 * Prints one JSON line {deviceUrl, adminUrl, adminToken} once it listens, then serves until killed.
 */
import { pino } from 'pino';
import { createFleet } from '../../src/main/core';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: crash-child.ts <dataDir>\n');
  process.exit(2);
}
const fleet = createFleet({
  dataDir,
  device: { host: '127.0.0.1', port: 0 },
  admin: { port: 0 },
  mdns: false,
  logger: pino({ level: 'silent' }),
});
await fleet.start();
process.stdout.write(
  `${JSON.stringify({ deviceUrl: `http://127.0.0.1:${fleet.deviceAddress.port}`, adminUrl: fleet.adminUrl, adminToken: fleet.adminToken })}\n`,
);
