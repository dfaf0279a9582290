import { join } from 'node:path';
import { repoRoot } from './headless';

/** Environment variable through which the global setup hands the app's URLs to the tests. */
export const E2E_ENV = 'FLEETDESK_E2E_APP';
export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
export const STATE_DIR = join(repoRoot, 'test-results', 'e2e-state');
