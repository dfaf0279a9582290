/** Builds a history data dir (history-fleet.ts) and prints it as JSON: the e2e suite runs this in a child process. */
import { buildHistoryDataDir } from './history-fleet';

process.stdout.write(`${JSON.stringify(buildHistoryDataDir())}\n`);
