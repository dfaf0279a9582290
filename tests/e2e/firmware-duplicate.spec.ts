import { expect, open, test } from './support/fixtures';

test('uploading the same image twice is refused, naming the image already there', async ({ page }) => {
  const version = `3.${Date.now() % 100000}.0`;
  const image = Buffer.alloc(4096, 0x5a);
  await open(page, '/firmware');
  const upload = async () => {
    await page.getByTestId('firmware-file').setInputFiles({ name: `twice-${version}.bin`, mimeType: 'application/octet-stream', buffer: image });
    await expect(page.getByTestId('firmware-version').locator('input')).toHaveValue(version);
    await page.getByTestId('firmware-upload').click();
  };
  await upload();
  await expect(page.locator(`[data-firmware="twice@${version}"]`)).toBeVisible();
  await upload();
  const alert = page.getByTestId('upload-duplicate');
  await expect(alert).toContainText('Already uploaded');
  await expect(alert).toContainText(`twice ${version} with this MD5 is already uploaded (image #`);
  await expect(page.locator(`[data-firmware="twice@${version}"]`)).toHaveCount(1);
});
