import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  modelList,
  modelRecommendation,
  modelStatus,
  type ModelRecommendation,
} from '../src-main/contract/models';
import { systemInfo, type SystemInfo } from '../src-main/contract/system';
import { testModels } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { closedLoopbackPort, startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const screens = join(root, 'test-results', 'screens');

let serve: ServeProcess;
let work: string;
let closedPort: number;
let system: SystemInfo;
let advice: ModelRecommendation;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  work = mkdtempSync(join(tmpdir(), 'studio-e2e-models-'));
  mkdirSync(screens, { recursive: true });
  closedPort = await closedLoopbackPort();
  // The shipped catalog, every URL on the closed port: the studio is "offline".
  const catalog = JSON.parse(readFileSync(join(root, 'models', 'catalog.json'), 'utf8')) as {
    models: { url: string; fileName: string }[];
  };
  for (const model of catalog.models) {
    model.url = `http://127.0.0.1:${closedPort}/${model.fileName}`;
  }
  const catalogPath = join(work, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify(catalog));
  serve = await startServe({ dataDir: join(work, 'data'), globalArgs: ['--catalog', catalogPath] });
  system = systemInfo.parse(await serve.api('/v1/system'));
  // The browser's language is English (Chromium's en-US), so the UI asks for language=en.
  advice = modelRecommendation.parse(await serve.api('/v1/models/recommendation?language=en'));
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(work, { recursive: true, force: true });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function openModels(page: Page) {
  await page.getByRole('navigation').getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Models', exact: true })).toBeVisible();
}

test('the first-run guide recommends a model that fits this machine, and says why', async ({
  page,
}) => {
  await page.goto(serve.uiUrl);
  await openModels(page);
  const guide = page.getByRole('region', { name: 'Get started: install a speech model' });
  await expect(guide).toBeVisible();
  await expect(guide).toContainText(advice.reason);
  const gpu = system.whisper.plan.useGpu;
  if (!gpu) {
    const cores = `${system.cpus} ${system.cpus === 1 ? 'core' : 'cores'}, no GPU`;
    await expect(guide).toContainText(`${cores}: ${advice.name} transcribes about`);
  }
  const button = guide.getByRole('button', {
    name: new RegExp(`^Download ${escapeRegExp(advice.name)} \\(`),
  });
  await expect(button).toBeVisible();
  // On a machine of a few cores without a GPU, not the 574 MB large model the catalog stars.
  const chosen = modelStatus.parse(await serve.api(`/v1/models/${advice.id}`));
  if (!gpu && system.cpus <= 4) {
    expect(chosen.sizeBytes).toBeLessThan(200 * 1024 ** 2);
    await expect(guide).not.toContainText('Whisper Large');
  }
  // The table stars the same model.
  await expect(page.locator(`tr[data-model-id="${advice.id}"]`)).toContainText('★');
  await expect(page.locator('tr[data-model-id="whisper-large-v3-turbo-q5_0"]')).not.toContainText(
    '★',
  );
});

test('a failed download says why, with what to do, and keeps saying it', async ({ page }) => {
  await page.goto(serve.uiUrl);
  await openModels(page);
  const guide = page.getByRole('region', { name: 'Get started: install a speech model' });
  await guide
    .getByRole('button', { name: new RegExp(`^Download ${escapeRegExp(advice.name)} \\(`) })
    .click();

  const url = `http://127.0.0.1:${closedPort}/`;
  const row = page.locator(`tr[data-model-id="${advice.id}"]`);
  await expect(row).toContainText(`Cannot reach 127.0.0.1:${closedPort}`);
  await expect(row).toContainText(url);
  await expect(row).toContainText('Import a model file…');
  await expect(row).toContainText('Download failed');
  await expect(guide.getByRole('alert')).toContainText(`Cannot reach 127.0.0.1:${closedPort}`);

  // Still there a while later, and after a reload: the model's status keeps the error.
  await page.waitForTimeout(2_500);
  await expect(row).toContainText(`Cannot reach 127.0.0.1:${closedPort}`);
  await page.reload();
  await openModels(page);
  await expect(page.locator(`tr[data-model-id="${advice.id}"]`)).toContainText(
    `Cannot reach 127.0.0.1:${closedPort}`,
  );
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.screenshot({ path: join(screens, 'models-download-failed.png') });
  const status = modelStatus.parse(await serve.api(`/v1/models/${advice.id}`));
  expect(status.lastError?.code).toBe('MODEL_OFFLINE');
  expect(status.error).toContain(`Cannot reach 127.0.0.1:${closedPort}`);
});

test('an imported model is listed first, by a readable name, with its language', async ({
  page,
}) => {
  // whisper.cpp's English-only base test file under a name of the user's choosing.
  const file = join(work, 'my-english-base.bin');
  copyFileSync(join(dirname(testModels.tinyEn), 'for-tests-ggml-base.en.bin'), file);

  await page.goto(serve.uiUrl);
  await openModels(page);
  await page.getByRole('button', { name: 'Import a model file…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Import a model file' });
  await dialog.getByLabel('Path on the engine’s machine').check();
  await dialog.getByLabel('File path').fill(file);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog).toBeHidden();

  const first = page.locator('tbody tr').first();
  await expect(first).toHaveAttribute('data-model-id', 'my-english-base');
  await expect(first.locator('.model-name')).toContainText(
    'Imported · base (English) · my-english-base.bin',
  );
  await expect(first.locator('td').nth(2)).toHaveText('English');
  await expect(first).toContainText('Installed');
  // A Whisper model is installed now: the guide has gone.
  await expect(
    page.getByRole('region', { name: 'Get started: install a speech model' }),
  ).toHaveCount(0);
});

test('the filters are kept when leaving Models and coming back', async ({ page }) => {
  await page.goto(serve.uiUrl);
  await openModels(page);
  await page.getByLabel('Kind').selectOption('whisper');
  await page.getByLabel('Installed only').check();
  const installed = modelList
    .parse(await serve.api('/v1/models'))
    .models.filter((m) => m.kind === 'whisper' && m.status === 'ready').length;
  await expect(page.locator('tbody tr')).toHaveCount(installed);

  await page.getByRole('navigation').getByRole('link', { name: 'Library' }).click();
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await openModels(page);
  await expect(page.getByLabel('Installed only')).toBeChecked();
  await expect(page.getByLabel('Kind')).toHaveValue('whisper');
  await expect(page.locator('tbody tr')).toHaveCount(installed);

  // And across a reload of the tab.
  await page.reload();
  await openModels(page);
  await expect(page.getByLabel('Installed only')).toBeChecked();
  await expect(page.getByLabel('Kind')).toHaveValue('whisper');
});
