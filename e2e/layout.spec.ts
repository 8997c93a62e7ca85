/**
 * What the lead's fresh-clone walk-through found next: long messages and rows that pushed controls
 * out of view. A failed download's message carries the model's whole URL (a long one, like the
 * real host's `/resolve/<commit>/…` paths); it must wrap inside its box, and the Models table must
 * keep every row's buttons on screen with an imported model (long file name, two buttons) listed
 * first. In Settings, the silence-skipping hint sits under its checkbox, not run into its label.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelStatus } from '../src-main/contract/models';
import {
  closedLoopbackPort,
  importTestModel,
  startServe,
  type ServeProcess,
} from './serve-process';

const root = join(import.meta.dirname, '..');
let serve: ServeProcess;
let work: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  work = mkdtempSync(join(tmpdir(), 'studio-e2e-layout-'));
  const port = await closedLoopbackPort();
  // Every download fails at once (nothing listens), with a URL as long as the real ones.
  const catalog = JSON.parse(readFileSync(join(root, 'models', 'catalog.json'), 'utf8')) as {
    models: { url: string; fileName: string }[];
  };
  const commit = '5359861c739e955e79d9a303bcbc70fb988958b1';
  for (const model of catalog.models) {
    model.url = `http://127.0.0.1:${port}/ggerganov/whisper.cpp/resolve/${commit}/${model.fileName}`;
  }
  writeFileSync(join(work, 'catalog.json'), JSON.stringify(catalog));
  const dataDir = join(work, 'data');
  await importTestModel(dataDir);
  serve = await startServe({ dataDir, globalArgs: ['--catalog', join(work, 'catalog.json')] });
});

test.afterAll(async () => {
  await serve?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The element's box lies inside `container`'s box (1 px of rounding allowed). */
async function expectInside(element: Locator, container: Locator, what: string) {
  const [box, outer] = await Promise.all([element.boundingBox(), container.boundingBox()]);
  if (!box || !outer) throw new Error(`${what}: not laid out`);
  expect(box.x + box.width, `${what} ends past its container`).toBeLessThanOrEqual(
    outer.x + outer.width + 1,
  );
}

async function openModels(page: Page) {
  await page.goto(serve.uiUrl);
  await page.getByRole('navigation').getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Models', exact: true })).toBeVisible();
}

test('a failed download with a long URL keeps the Models table and its buttons on screen', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await serve.api('/v1/models/whisper-base.en/download', { method: 'POST', body: '{}' });
  await expect
    .poll(async () => modelStatus.parse(await serve.api('/v1/models/whisper-base.en')).lastError)
    .not.toBeNull();
  await openModels(page);
  const row = page.locator('tr[data-model-id="whisper-base.en"]');
  await expect(row).toContainText('/resolve/');
  const main = page.locator('main');
  // No sideways scrolling: the table fits the column it is in.
  const overflow = await page
    .locator('table.models')
    .evaluate((table) => table.scrollWidth - (table.parentElement?.clientWidth ?? 0));
  expect(overflow).toBeLessThanOrEqual(1);
  await expectInside(row.getByText('/resolve/'), row.locator('td').first(), 'the failure message');
  for (const id of ['whisper-base.en', 'whisper-tiny', 'tiny-random']) {
    const buttons = page.locator(`tr[data-model-id="${id}"] button`);
    for (let i = 0; i < (await buttons.count()); i++) {
      await expectInside(buttons.nth(i), main, `${id}'s button ${i + 1}`);
    }
  }
});

test("the silence-skipping hint sits under its checkbox, not run into the label's line", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(serve.uiUrl);
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  const label = page.locator('label[for="setting-vad"]');
  const hint = page.locator('#setting-vad-hint');
  const [labelBox, hintBox] = await Promise.all([label.boundingBox(), hint.boundingBox()]);
  if (!labelBox || !hintBox) throw new Error('not laid out');
  expect(hintBox.y).toBeGreaterThanOrEqual(labelBox.y + labelBox.height - 1);
});
