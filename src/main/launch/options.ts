import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { version } from '../../../package.json';
import { MIN_ADMIN_TOKEN_LENGTH, MIN_METRICS_TOKEN_LENGTH, type FleetOptions } from '../core';
import { defaultDataDir } from '../data-dir';

export interface LaunchOptions {
  dataDir: string;
  /** undefined: the Device port setting (3000 unless changed in the UI) */
  devicePort?: number;
  adminPort: number;
  bind: string;
  adminToken?: string;
  adminTokenFile?: string;
  policy?: 'open' | 'approve' | 'key';
  mdns: boolean;
  json: boolean;
  /** a backup file to restore into the data dir before starting */
  restore?: string;
  /** the original design's restDB.sqlite to import once the fleet runs */
  importSeed?: string;
  /** GET /metrics on the LAN for a Prometheus server elsewhere (off unless given) */
  metricsPort?: number;
  metricsBind: string;
  metricsToken?: string;
  metricsTokenFile?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0–65535 (0 = any free port)');
  return n;
}

/** Parses the command line of both entries; `--help` and bad flags exit with commander's message. */
export function parseLaunchOptions(
  argv: string[],
  { defaultAdminPort = 3001, ignoreUnknown = false }: { defaultAdminPort?: number; ignoreUnknown?: boolean } = {},
): LaunchOptions {
  const program = new Command()
    .name('npm run serve --')
    .description('Run FleetDesk without a window: the device endpoint on the LAN, the admin UI on loopback.')
    .option('--data-dir <dir>', 'database and firmware images', defaultDataDir())
    .option('--device-port <port>', 'port devices talk to (default: the Device port setting, 3000)', port)
    .option('--admin-port <port>', 'loopback port of the admin UI/API', port, defaultAdminPort)
    .option('--bind <addr>', 'address the device listener binds to', '0.0.0.0')
    .addOption(
      new Option('--admin-token <token>', 'fixed bearer token for scripting the admin API (default: random each start); visible to other local users in the process list, prefer the variable or --admin-token-file')
        .env('FLEETDESK_ADMIN_TOKEN'),
    )
    .option('--admin-token-file <file>', 'read the admin token from this file (first line)')
    .addOption(new Option('--policy <policy>', 'registration policy for new devices').choices(['open', 'approve', 'key']))
    .option('--no-mdns', 'do not advertise on the LAN over mDNS')
    .option('--restore <file>', 'restore this backup (.tar.gz) into the data dir before starting; the current state is backed up first')
    .option('--import-seed <file>', "import the original server's restDB.sqlite (devices already in the fleet are left as they are)")
    .option('--metrics-port <port>', 'also serve GET /metrics on the LAN at this port, for a Prometheus server elsewhere (needs a metrics token)', port)
    .option('--metrics-bind <addr>', 'address the LAN metrics listener binds to', '0.0.0.0')
    .addOption(new Option('--metrics-token <token>', 'bearer token Prometheus sends to the LAN metrics listener (prefer the variable or --metrics-token-file)').env('FLEETDESK_METRICS_TOKEN'))
    .option('--metrics-token-file <file>', 'read the metrics token from this file (first line)')
    .option('--json', 'print one JSON line with the URLs when ready (for scripts and tests)', false)
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError()
    .allowExcessArguments(ignoreUnknown);
  // Electron and Chromium add switches of their own to argv; the desktop entry ignores them.
  if (ignoreUnknown) program.allowUnknownOption();
  program.parse(argv, { from: 'user' });
  const options = program.opts<LaunchOptions>();
  // an exported but empty FLEETDESK_ADMIN_TOKEN means "none", as in most shells' habits
  if (options.adminToken === '' && program.getOptionValueSource('adminToken') === 'env') delete options.adminToken;
  if (options.adminTokenFile !== undefined) {
    if (options.adminToken !== undefined) program.error('error: give the admin token one way: --admin-token-file, or FLEETDESK_ADMIN_TOKEN / --admin-token');
    try {
      options.adminToken = readFileSync(options.adminTokenFile, 'utf8').split(/\r?\n/)[0]!.trim();
    } catch (err) {
      program.error(`error: cannot read --admin-token-file: ${(err as Error).message}`);
    }
  }
  if (options.metricsToken === '' && program.getOptionValueSource('metricsToken') === 'env') delete options.metricsToken;
  if (options.metricsTokenFile !== undefined) {
    if (options.metricsToken !== undefined) program.error('error: give the metrics token one way: --metrics-token-file, or FLEETDESK_METRICS_TOKEN / --metrics-token');
    try {
      options.metricsToken = readFileSync(options.metricsTokenFile, 'utf8').split(/\r?\n/)[0]!.trim();
    } catch (err) {
      program.error(`error: cannot read --metrics-token-file: ${(err as Error).message}`);
    }
  }
  if (options.metricsPort !== undefined) {
    if (options.metricsToken === undefined) program.error('error: --metrics-port needs a token: FLEETDESK_METRICS_TOKEN, --metrics-token-file or --metrics-token (generate one with: openssl rand -base64 32)');
    else if (options.metricsToken.length < MIN_METRICS_TOKEN_LENGTH) {
      program.error(`error: the metrics token must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long (got ${options.metricsToken.length}); generate one with: openssl rand -base64 32`);
    }
  }
  if (options.adminToken !== undefined && options.adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    program.error(`error: the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long (got ${options.adminToken.length}); generate one with: openssl rand -base64 32`);
  }
  return options;
}

/** The core's options as both entries derive them from the command line. */
export function toFleetOptions(options: LaunchOptions, extra: Pick<FleetOptions, 'logger' | 'rendererDir' | 'nativeBinding'>): FleetOptions {
  return {
    dataDir: options.dataDir,
    device: { host: options.bind, port: options.devicePort },
    admin: { port: options.adminPort },
    adminToken: options.adminToken,
    policy: options.policy,
    mdns: options.mdns,
    metricsLan: options.metricsPort === undefined || options.metricsToken === undefined
      ? undefined
      : { host: options.metricsBind, port: options.metricsPort, token: options.metricsToken },
    version,
    ...extra,
  };
}
