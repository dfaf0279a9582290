// Headless entry: the same core as the desktop app, without Electron. Used by `npm run serve`,
// by `npm start` where no window can open, by the e2e tests and by the benchmark.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createFleet, DatabaseDamagedError, DataDirLockedError, FleetStartError } from './core';
import { printBanner } from './launch/banner';
import { createLogger } from './launch/logger';
import { parseLaunchOptions, toFleetOptions } from './launch/options';

/** The built UI sits next to the built entry (out/main → out/renderer). */
function rendererDir(): string | undefined {
  const dir = fileURLToPath(new URL('../renderer', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

async function main(): Promise<void> {
  const options = parseLaunchOptions(process.argv.slice(2));
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
