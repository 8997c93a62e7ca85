import { expect, test } from '@playwright/test';
import { startServe, type ServeProcess } from './serve-process';

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
});

test('the UI served by `serve` connects to the engine and shows the model catalog', async ({
  page,
}) => {
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('Engine ready');
  // The UI keeps the token in sessionStorage and takes it out of the address bar.
  expect(page.url()).toBe(`${serve.url}/`);
  await page.getByRole('navigation').getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();

  // The star marks the model recommended for this machine (and this browser's English).
  const advice = await serve.api<{ id: string }>('/v1/models/recommendation?language=en');
  const recommended = page.locator(`tr[data-model-id="${advice.id}"]`);
  await expect(recommended).toContainText('Not installed');
  await expect(recommended).toContainText('★');
  await expect(recommended.getByRole('button', { name: 'Download' })).toBeVisible();
  await expect(page.getByText('No speech-recognition model is installed yet')).toBeVisible();
  expect(await page.locator('tbody tr').count()).toBeGreaterThan(30);
});

test('the System view reports the ffmpeg the engine found', async ({ page }) => {
  await page.goto(serve.uiUrl);
  await page.getByRole('navigation').getByRole('link', { name: 'System' }).click();
  await expect(page.getByRole('heading', { name: 'System' })).toBeVisible();
  await expect(page.locator('.facts')).toContainText('ffmpeg');
  await expect(page.locator('.facts code').last()).toHaveText(/ffmpeg$/);
  await expect(page.locator('.facts')).toContainText(serve.dataDir);
});
