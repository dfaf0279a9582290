/** Screenshots of one view at the two widths the UI is checked at, light and dark. */
import type { Page } from '@playwright/test';
import { snap } from './fixtures';

export async function snapWidthsAndThemes(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 1440, height: 900 };
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: original.height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await snap(page, `${name}-${width}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(original);
}
