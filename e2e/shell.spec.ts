import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JobView } from '../src-main/contract/jobs';
import type { MediaItem } from '../src-main/contract/media';
import { ensureTestModel } from '../src-main/engine/whisper/test-model/make-test-model';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const jfk = join(root, 'test-data', 'fixtures', 'speech', 'jfk.wav');
const screens = join(root, 'test-results', 'screens');
const run = promisify(execFile);

test.use({ viewport: { width: 1280, height: 820 } });

let serve: ServeProcess;
let work: string;
let longWavs: string[];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  mkdirSync(screens, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'studio-shell-'));
  // Long files (jfk.wav looped to ~11 minutes) keep jobs running long enough to cancel. The
  // engine runs two jobs at a time, so two of them fill it and the next job waits in line.
  longWavs = ['long-interview.wav', 'long-meeting.wav'].map((name) => join(work, name));
  for (const [i, path] of longWavs.entries()) {
    await run('ffmpeg', [
      '-v',
      'error',
      '-stream_loop',
      String(59 - i),
      '-i',
      jfk,
      '-c',
      'copy',
      path,
    ]);
  }
  const dataDir = join(work, 'data');
  await importTestModel(dataDir);
  serve = await startServe({ dataDir });
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(work, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${serve.url}${path}`, {
    method,
    headers: { ...serve.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const transcribe = async (path: string) => {
  const media = await api<MediaItem>('POST', '/v1/media', { path });
  return api<JobView>('POST', '/v1/jobs', {
    kind: 'transcribe',
    mediaId: media.id,
    params: { modelId: 'tiny-random', language: 'en' },
  });
};

/** Moves focus off any control, so single-key shortcuts reach the page. */
const blur = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

const open = async (page: Page) => {
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('Engine ready');
};

test('sections open by click, by `g` shortcuts and by back/forward', async ({ page }) => {
  await open(page);
  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const name of ['Library', 'Live', 'Queue', 'Models', 'Settings', 'System']) {
    await expect(nav.getByRole('link', { name })).toBeVisible();
  }
  await nav.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Models' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Models' })).toHaveAttribute('aria-current', 'page');
  expect(new URL(page.url()).hash).toBe('#/models');

  await nav.getByRole('link', { name: 'Live' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Live captions' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/live');

  await blur(page);
  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await expect(page.getByRole('heading', { level: 2, name: 'Queue' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/queue');
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page.getByRole('heading', { level: 2, name: 'Settings' })).toBeVisible();

  await page.goBack();
  await expect(page.getByRole('heading', { level: 2, name: 'Queue' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 2, name: 'Live' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 2, name: 'Queue' })).toBeVisible();

  // A typed address works too.
  await page.goto(`${serve.url}/#/models`);
  await expect(page.getByRole('heading', { level: 2, name: 'Models' })).toBeVisible();
});

test('`?` opens the shortcut cheat sheet; focus stays inside and Esc closes it', async ({
  page,
}) => {
  await open(page);
  const opener = page.getByRole('button', { name: 'Keyboard shortcuts' });
  await blur(page);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Go to Queue');
  await expect(dialog).toContainText('Show keyboard shortcuts');
  await page.screenshot({ path: join(screens, 'shortcuts.png') });
  for (let i = 0; i < 4; i += 1) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  // Shortcuts of the page wait while the dialog is open.
  await page.keyboard.press('g');
  await page.keyboard.press('m');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(new URL(page.url()).hash).not.toBe('#/models');

  await opener.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test('light and dark follow the system', async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  expect(await background()).toBe('rgb(246, 247, 249)');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).toBe('rgb(19, 21, 25)');
  await page.goto(`${serve.url}/#/models`);
  await expect(page.getByRole('heading', { level: 2, name: 'Models' })).toBeVisible();
  await expect(page.locator('tr[data-model-id="tiny-random"]')).toBeVisible();
  await page.screenshot({ path: join(screens, 'models-dark.png') });
});

test('the queue shows live progress to done, queue position, and cancels a running job', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByText('No jobs yet')).toBeVisible();

  const [long, other] = [await transcribe(longWavs[0]!), await transcribe(longWavs[1]!)];
  const short = await transcribe(jfk);
  const longRow = page.locator(`li[data-job-id="${long.id}"]`);
  const otherRow = page.locator(`li[data-job-id="${other.id}"]`);
  const shortRow = page.locator(`li[data-job-id="${short.id}"]`);

  await expect(longRow).toContainText('long-interview.wav');
  await expect(longRow).toContainText('Running', { timeout: 30_000 });
  await expect(otherRow).toContainText('Running', { timeout: 30_000 });
  await expect(longRow.getByRole('progressbar')).toHaveAccessibleName(/long-interview\.wav/);
  await expect(shortRow).toContainText('jfk.wav');
  await expect(shortRow).toContainText('Waiting · #1 in line');
  await expect(shortRow.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '0');
  await expect(page.getByRole('link', { name: /Queue.*3 active jobs/ })).toBeVisible();
  // The long job moves (its stage and progress come over the events socket).
  await expect(longRow).toContainText(/Transcribing|Finding speech/);
  await page.screenshot({ path: join(screens, 'queue.png') });

  await longRow.getByRole('button', { name: 'Cancel' }).click();
  await expect(longRow).toContainText('Cancelled', { timeout: 30_000 });
  await expect(longRow.getByRole('button', { name: 'Retry' })).toBeVisible();

  // The short one starts; once the other long job is cancelled too (it holds the Whisper
  // worker on a small machine), it runs to done, its bar showing on the way.
  await expect(shortRow).toContainText('Running', { timeout: 30_000 });
  await expect(shortRow.getByRole('progressbar')).toBeVisible();
  await otherRow.getByRole('button', { name: 'Cancel' }).click();
  await expect(otherRow).toContainText('Cancelled', { timeout: 30_000 });
  await expect(shortRow).toContainText('Done', { timeout: 120_000 });
  await expect(shortRow.getByRole('progressbar')).toHaveCount(0);
  await expect(shortRow.getByRole('button', { name: 'Open in editor' })).toBeVisible();
  await expect(page.getByRole('link', { name: /active job/ })).toHaveCount(0);
  const states = new Map(
    (await api<{ jobs: JobView[] }>('GET', '/v1/jobs')).jobs.map((j) => [j.id, j.state]),
  );
  expect([states.get(long.id), states.get(other.id), states.get(short.id)]).toEqual([
    'cancelled',
    'cancelled',
    'completed',
  ]);
  await page.screenshot({ path: join(screens, 'queue-done.png') });

  // Retry queues the cancelled job again.
  await longRow.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByText('The job is queued again.')).toBeVisible();
  const retried = (await api<{ jobs: JobView[] }>('GET', '/v1/jobs')).jobs.find(
    (j) => ![long.id, other.id, short.id].includes(j.id),
  );
  expect(retried).toBeDefined();
  await api('DELETE', `/v1/jobs/${retried!.id}`);
});

test('models: import a file by path, make it the default, delete it with confirmation', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const second = await ensureTestModel('tiny', 2);
  await page.goto(`${serve.uiUrl}`);
  await page.getByRole('navigation').getByRole('link', { name: 'Models' }).click();
  await expect(page.locator('tr[data-model-id="tiny-random"]')).toContainText('Installed');

  await page.getByRole('button', { name: 'Import a model file…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a model file' });
  await dialog.getByLabel('Path on the engine’s machine').check();
  await dialog.getByLabel('File path').fill('relative/model.bin');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('alert')).toContainText('absolute path');
  await dialog.getByLabel('File path').fill(second.path);
  await dialog.getByLabel('Model id').fill('tiny-second');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  const row = page.locator('tr[data-model-id="tiny-second"]');
  await expect(row).toContainText('Installed');

  await row.getByRole('button', { name: 'Make default' }).click();
  await expect(row).toContainText('Default');
  expect((await api<{ defaultModel: string | null }>('GET', '/v1/settings')).defaultModel).toBe(
    'tiny-second',
  );
  await page.getByLabel('Installed only').check();
  await page.screenshot({ path: join(screens, 'models.png') });

  await row.getByRole('button', { name: /Delete/ }).click();
  const confirm = page.getByRole('dialog', { name: /Delete/ });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Delete model' }).click();
  await expect(row).toHaveCount(0);
});

test('settings: inline validation, save, and API tokens created and revoked', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(serve.uiUrl);
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Settings' })).toBeVisible();
  await expect(page.getByText(serve.dataDir, { exact: true })).toBeVisible();

  const queued = page.getByLabel('Jobs that may wait');
  const exportFolders = page.getByLabel('Folders export jobs may write to');
  await queued.fill('0');
  await exportFolders.fill('Subtitles');
  // Refused as typed: the errors show beside their fields and Save waits for valid values.
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await expect(queued).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter a whole number from 1 to 100 000.')).toBeVisible();
  await expect(exportFolders).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/Enter one absolute folder path per line/)).toBeVisible();
  await exportFolders.fill(serve.dataDir);
  await queued.fill('250');
  // 'en': tiny-random is English-only, so another language is refused as the default.
  await page.getByLabel('Default language').fill('en');
  await page.getByLabel('Default caption preset').selectOption('social');
  await page.getByLabel('Skip silence (voice activity detection)').uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  expect(await api<Record<string, unknown>>('GET', '/v1/settings')).toMatchObject({
    maxQueuedJobs: 250,
    defaultLanguage: 'en',
    defaultPreset: 'social',
    vad: false,
    exportFolders: [serve.dataDir],
  });

  await page.getByRole('button', { name: 'New token…' }).click();
  const create = page.getByRole('dialog', { name: 'New API token' });
  await create.getByLabel('Name', { exact: true }).fill('CI script');
  await create.getByRole('checkbox', { name: /^transcribe/ }).check();
  await create.getByRole('button', { name: 'Create token' }).click();
  const created = page.getByRole('dialog', { name: 'Token created' });
  const secret = await created.getByLabel('Token').inputValue();
  expect(secret).toMatch(/^sts_/);
  const withToken = (token: string) =>
    fetch(`${serve.url}/v1/jobs`, { headers: { authorization: `Bearer ${token}` } });
  expect((await withToken(secret)).status).toBe(200);
  await created.getByRole('button', { name: 'Done' }).click();

  const row = page.locator('tr', { hasText: 'CI script' });
  await expect(row).toContainText('transcribe');
  await page.setViewportSize({ width: 1280, height: 1700 });
  await page.screenshot({ path: join(screens, 'settings.png') });
  await page.setViewportSize({ width: 1280, height: 820 });
  await row.getByRole('button', { name: 'Revoke CI script' }).click();
  await page
    .getByRole('dialog', { name: /Revoke CI script/ })
    .getByRole('button', { name: 'Revoke token' })
    .click();
  await expect(row).toContainText('Revoked');
  expect((await withToken(secret)).status).toBe(401);
});
