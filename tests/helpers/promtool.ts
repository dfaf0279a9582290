/**
 * Debian's `promtool check metrics` (apt package prometheus) as the independent judge of our
 * exposition text. A missing promtool fails the test that needs it, in CI and on a workstation
 * alike: a check that silently passes without its judge proves nothing.
 */
import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  status: number;
  output: string;
}

export function promtoolCheckMetrics(text: string): PromtoolResult {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? 'promtool is not installed: apt-get install -y prometheus (Debian ships promtool in that package)'
        : `promtool could not run: ${run.error.message}`,
    );
  }
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}`.trim() };
}
