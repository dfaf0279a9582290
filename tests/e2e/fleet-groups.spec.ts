import type { Page } from '@playwright/test';
import { adminApi, expect, newDevice, open, test } from './support/fixtures';
import { snapWidthsAndThemes } from './support/screens';

/** Presses Tab until the focused element matches. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${max} Tabs did not reach ${selector}`);
}

async function activeRowText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const id = document.querySelector('[data-testid="fleet-grid"]')?.getAttribute('aria-activedescendant');
    return id ? document.getElementById(id)?.textContent ?? '' : '';
  });
}

test.describe('fleet grouped by profile or location', () => {
  test('collapsible groups with counts, with search syntax, sorting, selection and the keyboard; the choice is remembered', async ({ page }) => {
    test.setTimeout(240_000); // eight screenshots on a shared, loaded machine
    const stamp = Date.now().toString(36);
    const attic = await adminApi<{ id: number; name: string }>('POST', '/api/profiles', { name: `grp-${stamp}-attic` });
    const boiler = await adminApi<{ id: number; name: string }>('POST', '/api/profiles', { name: `grp-${stamp}-boiler` });
    const plan = [
      { profileId: attic.id, location: 'Roof' }, { profileId: attic.id, location: 'Roof' }, { profileId: attic.id, location: 'Cellar' },
      { profileId: boiler.id, location: 'Cellar' }, { profileId: boiler.id, location: '' },
      { profileId: null, location: 'roof ' },
    ];
    for (const [i, p] of plan.entries()) {
      const d = newDevice();
      await d.register();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `grp-${stamp}-${i}`, ...p });
    }
    await open(page, '/');
    await page.getByTestId('fleet-search').locator('input').fill(`grp-${stamp}`);
    await expect(page.locator('.fleet-row')).toHaveCount(6);

    // group by profile: headers in name order, "No profile" last, each with its own count
    await page.getByTestId('group-by').click();
    await page.locator('.n-base-select-option').filter({ hasText: 'Group by profile' }).click();
    const heads = page.getByTestId('group-head');
    await expect(heads).toHaveCount(3);
    await expect(heads.locator('.group-label')).toHaveText([`grp-${stamp}-attic`, `grp-${stamp}-boiler`, 'No profile']);
    await expect(heads.getByTestId('group-count')).toHaveText(['3 devices', '2 devices', '1 device']);
    await snapWidthsAndThemes(page, 'fleet-groups');

    // sorting applies inside each group (a fresh browser sorts by name, ascending)
    await expect(page.locator('.fleet-row .cell-name')).toHaveText([0, 1, 2, 3, 4, 5].map((i) => `grp-${stamp}-${i}`));
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    await expect(page.locator('.fleet-row .cell-name')).toHaveText([2, 1, 0, 4, 3, 5].map((i) => `grp-${stamp}-${i}`));

    // the keyboard: one Tab stop, the first row is the first group's header
    await tabTo(page, '[data-testid="fleet-grid"]');
    expect(await activeRowText(page)).toContain(`grp-${stamp}-attic`);
    await page.keyboard.press('Enter'); // folds it
    await expect(page.locator('.fleet-row')).toHaveCount(3);
    await expect(page.locator('.group-row').first()).toHaveAttribute('aria-expanded', 'false');
    await expect(heads.first().getByTestId('group-count')).toHaveText('3 devices'); // a folded group still says what it holds
    await page.keyboard.press('ArrowDown'); // straight to the next header: the folded rows are skipped
    expect(await activeRowText(page)).toContain(`grp-${stamp}-boiler`);
    await page.keyboard.press('ArrowLeft'); // folds
    await expect(page.locator('.fleet-row')).toHaveCount(1);
    await page.keyboard.press('ArrowRight'); // opens
    await expect(page.locator('.fleet-row')).toHaveCount(3);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space'); // selects the boiler group's first device
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+Space'); // a range, in the order shown
    await expect(page.getByTestId('selected-count')).toHaveText('2');
    await expect(page.locator('.fleet-row[aria-selected="true"] .cell-name')).toHaveText([`grp-${stamp}-4`, `grp-${stamp}-3`]);
    await page.keyboard.press('Home');
    await page.keyboard.press('Space'); // Space on a header toggles it too
    await expect(page.locator('.fleet-row')).toHaveCount(6);

    // the search syntax narrows the groups (and their counts)
    await page.getByTestId('fleet-search').locator('input').fill(`grp-${stamp} location:roof`);
    await expect(heads.locator('.group-label')).toHaveText([`grp-${stamp}-attic`, 'No profile']);
    await expect(heads.getByTestId('group-count')).toHaveText(['2 devices', '1 device']);

    // by location: "Roof" and "roof " are one place
    await page.getByTestId('fleet-search').locator('input').fill(`grp-${stamp}`);
    await page.getByTestId('group-by').click();
    await page.locator('.n-base-select-option').filter({ hasText: 'Group by location' }).click();
    await expect(heads.locator('.group-label')).toHaveText(['Cellar', 'Roof', 'No location']);
    await expect(heads.getByTestId('group-count')).toHaveText(['2 devices', '3 devices', '1 device']);
    await page.locator('.group-row').nth(1).click(); // a click folds too
    await expect(page.locator('.fleet-row')).toHaveCount(3);

    // remembered: grouping and the folded group survive a reload
    await page.reload();
    await page.getByTestId('fleet-search').locator('input').fill(`grp-${stamp}`);
    await expect(heads.locator('.group-label')).toHaveText(['Cellar', 'Roof', 'No location']);
    await expect(page.locator('.group-row').nth(1)).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('group-by')).toContainText('Group by location');
  });
});
