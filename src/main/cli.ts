// Headless entry: the same core as the desktop app, without Electron. Used by `npm run serve`,
// by `npm start` where no window can open, by the e2e tests and by the benchmark.
import { plural } from '../shared/plural';
import { existsSync, readFileSync } from 'node:fs';
import { version } from '../../package.json';
import { fileURLToPath } from 'node:url';
import { createFleet, DatabaseDamagedError, DataDirLockedError, FleetStartError, type Fleet } from './core';
import { restoreDataDir } from './core/backups/restore-data-dir';
import { printBanner } from './launch/banner';
import { createLogger } from './launch/logger';
import { parseLaunchOptions, toFleetOptions, type LaunchOptions } from './launch/options';

/** The built UI sits next to the built entry (out/main → out/renderer). */
function rendererDir(): string | undefined {
  const dir = fileURLToPath(new URL('../renderer', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

/** `--restore FILE`: put the backup in place before the fleet opens the data dir. */
async function restoreIfAsked(options: LaunchOptions): Promise<void> {
  if (!options.restore) return;
  try {
    const { restored, safetyBackup } = await restoreDataDir({
      dataDir: options.dataDir, file: options.restore, appVersion: version, now: Date.now(),
    });
    if (safetyBackup) console.error(`fleetdesk: the previous state was saved to ${safetyBackup.file}`);
    const { devices, profiles, revisions, images } = restored.contents;
    console.error(`fleetdesk: restored ${options.restore} (${plural(devices, 'device')}, ${plural(profiles, 'profile')}, ${plural(revisions, 'revision')}, ${plural(images, 'image')})`);
  } catch (err) {
    console.error(`fleetdesk: restore failed: ${(err as Error).message}`);
    process.exit(2);
  }
}

/** `--import-seed restDB.sqlite`: the original server's devices into the running fleet. */
function importSeedIfAsked(fleet: Fleet, options: LaunchOptions): void {
  if (!options.importSeed) return;
  try {
    const report = fleet.transfer.importSeed(readFileSync(options.importSeed), false, 'cli');
    console.error(`fleetdesk: ${options.importSeed}: ${plural(report.created, 'device')} created, ${plural(report.merged, 'duplicate row')} merged, ${report.skipped} skipped`);
    for (const p of report.problems) console.error(`  ${p.deviceid}: ${p.problem}`);
  } catch (err) {
    console.error(`fleetdesk: import of ${options.importSeed} failed: ${(err as Error).message}`);
  }
}

async function main(): Promise<void> {
  const options = parseLaunchOptions(process.argv.slice(2));
  await restoreIfAsked(options);
  const logger = createLogger();
  const fleet = createFleet(toFleetOptions(options, { logger, rendererDir: rendererDir() }));

  try {
    await fleet.start();
  } catch (err) {
    if (err instanceof FleetStartError || err instanceof DataDirLockedError || err instanceof DatabaseDamagedError) {
      console.error(`fleetdesk: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  importSeedIfAsked(fleet, options);
  printBanner(fleet, options);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      console.error(`fleetdesk: ${signal} again, exiting without a clean stop`);
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    fleet.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('fleetdesk: failed to start:', err);
  process.exit(1);
});
