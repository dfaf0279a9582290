/**
 * `npm run simulate -- --devices N [--server URL] …`: try FleetDesk without hardware.
 * N virtual ESP8266 devices find the app (mDNS unless --server), register, check in, long-poll,
 * apply config, run commands and take firmware updates, with one live summary line.
 */
import { plural } from '../shared/plural';
import { Command, InvalidArgumentError } from 'commander';
import { AdminClient } from './admin-client';
import { discoverServer } from './discover';
import { SimulatedFleet, formatSummary } from './fleet';
import { defaultStatePath, loadState, saveState } from './state-file';
import { seededRandom } from './telemetry';

interface SimulateOptions {
  devices: number;
  server?: string;
  interval: number;
  wait: number | false;
  profile?: string;
  adminUrl: string;
  adminToken?: string;
  legacy: boolean;
  state: string;
  flaky: number;
  key?: string;
  fwVersion: string;
  spread?: number;
  seed?: number;
  verbose: boolean;
  bootFailureRate: number;
  downloadFailureRate: number;
  slowDownload?: string | true;
}

const integer = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number ${min}–${max}`);
  return n;
};
const probability = (value: string) => {
  const p = Number(value);
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError('expected a probability 0–1');
  return p;
};

/** `--slow-download` alone is a weak link of 20 kB/s; with a number, that many bytes a second. */
function slowDownloadRate(value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === true) return 20_000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 100) throw new InvalidArgumentError('--slow-download: expected bytes per second, at least 100');
  return n;
}

function parseOptions(argv: string[]): SimulateOptions {
  return new Command()
    .name('npm run simulate --')
    .description('Virtual ESP8266 devices that speak the FleetDesk protocol: try FleetDesk without hardware.')
    .option('--devices <n>', 'how many devices', integer(1, 100_000), 10)
    .option('--server <url>', 'device URL of the app, e.g. http://127.0.0.1:3000 (default: find it by mDNS)')
    .option('--interval <seconds>', 'check-in interval until the server says otherwise', integer(1, 86_400), 30)
    .option('--wait <seconds>', 'long-poll seconds per check-in (default: the interval, at most 60)', integer(1, 60))
    .option('--no-wait', 'plain periodic check-ins, no long-poll')
    .option('--profile <name>', 'put the devices into this profile (needs --admin-token; always sent as a register hint)')
    .option('--admin-url <url>', 'admin API of the app, for --profile', 'http://127.0.0.1:3001')
    .option('--admin-token <token>', 'admin bearer token, for --profile (or FLEETDESK_ADMIN_TOKEN)', process.env.FLEETDESK_ADMIN_TOKEN)
    .option('--legacy', 'speak the original protocol (POST/GET /api/devices/{id})', false)
    .option('--state <file>', 'keeps MACs and tokens across restarts', defaultStatePath())
    .option('--flaky <p>', 'probability per check-in that a device drops off for a while', probability, 0)
    .option('--key <key>', 'enrollment key (registration policy "key")')
    .option('--fw-version <version>', 'firmware version new devices report', '1.0.0')
    .option('--spread <seconds>', 'spread the first check-ins over this many seconds (default: min(interval, 10))', integer(0, 86_400))
    .option('--boot-failure-rate <r>', 'share of devices whose new firmware crashes at boot (they come back on the old slot and report the rollback); every k-th device, repeatable', probability, 0)
    .option('--download-failure-rate <r>', 'share of devices whose firmware downloads break off halfway', probability, 0)
    .option('--slow-download [bytesPerSecond]', 'read firmware downloads slowly (default 20000 bytes/s)')
    .option('--seed <n>', 'seed for telemetry and timing, to repeat a run', integer(0, 2 ** 31))
    .option('--verbose', 'print every device event (default when --devices ≤ 10)', false)
    .showHelpAfterError()
    .parse(argv, { from: 'user' })
    .opts<SimulateOptions>();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const state = loadState(options.state, random);
  const tty = process.stdout.isTTY === true;
  const verbose = options.verbose || options.devices <= 10;
  let summaryShown = false;
  const print = (line: string) => {
    if (tty && summaryShown) process.stdout.write('\r\x1b[2K');
    process.stdout.write(`${line}\n`);
    summaryShown = false;
  };

  let server = options.server;
  if (!server) {
    print(`Looking for FleetDesk on the LAN (mDNS _fleetdesk._tcp${state.serverId ? `, preferring id ${state.serverId}` : ''})…`);
    const found = await discoverServer({ preferId: state.serverId });
    server = found.url;
    if (found.id) state.serverId = found.id;
    print(`Found "${found.name}" at ${server}`);
  }

  const wait = options.wait === false ? 0 : options.wait ?? Math.min(options.interval, 60);
  const fleet = new SimulatedFleet({
    server, count: options.devices, state, statePath: options.state, interval: options.interval, wait,
    legacy: options.legacy, key: options.key, flaky: options.flaky, fwVersion: options.fwVersion, random,
    hint: options.profile ? { profile: options.profile } : undefined,
    bootFailureRate: options.bootFailureRate, downloadFailureRate: options.downloadFailureRate,
    downloadBytesPerSecond: slowDownloadRate(options.slowDownload),
    log: verbose ? print : undefined,
  });
  saveState(options.state, state);
  print(`${plural(options.devices, 'simulated device')} → ${server} (${options.legacy ? 'legacy protocol' : wait ? `long-poll ${wait} s` : `every ${options.interval} s`}); state in ${options.state}`);
  fleet.start(options.spread ?? Math.min(options.interval, 10));

  if (options.profile) void assignProfile(fleet, options, print);

  const draw = () => {
    const line = formatSummary(fleet.summary());
    if (tty) {
      process.stdout.write(`\r\x1b[2K${line}`);
      summaryShown = true;
    } else print(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  };
  const ticker = setInterval(draw, tty ? 500 : 10_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    clearInterval(ticker);
    const last = formatSummary(fleet.summary());
    await fleet.stop();
    print(`stopped: ${last}`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/**
 * The device protocol has no profile field (profiles are the operator's decision), so the
 * simulator does what an operator would: once the devices are registered it assigns them through
 * the admin API. Without an admin token it only sends the name as a register hint and says so.
 */
async function assignProfile(fleet: SimulatedFleet, options: SimulateOptions, print: (line: string) => void): Promise<void> {
  const name = options.profile!;
  if (!options.adminToken) {
    print(`--profile ${name}: sent as a register hint only; to assign it, also pass --admin-token (printed by the app) or set FLEETDESK_ADMIN_TOKEN`);
    return;
  }
  const admin = new AdminClient(options.adminUrl, options.adminToken);
  const deadline = Date.now() + 60_000;
  while (fleet.summary().registered < fleet.devices.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  const ids = fleet.devices.filter((d) => d.state !== 'unregistered').map((d) => d.mac);
  try {
    const profile = await admin.ensureProfile(name);
    const result = await admin.assignProfile(profile.id, ids);
    print(`profile "${name}" (#${profile.id}) assigned to ${plural(result.affected, 'device')}`);
  } catch (error) {
    print(`--profile ${name}: could not assign through ${options.adminUrl}: ${(error as Error).message}`);
  }
}

main().catch((error: unknown) => {
  console.error(`simulate: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
});
