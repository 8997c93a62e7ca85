// The first hour of a new user (issue 16): toasts that never cover controls and go when their
// condition clears, upload rejections that name the user's file, settings refused where they are
// typed, failed jobs that say why without hovering, and the editor's small polish.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestModel } from '../src-main/engine/whisper/test-model/make-test-model';
import { startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const jfk = join(root, 'test-data', 'fixtures', 'speech', 'jfk.wav');
const screens = join(root, 'test-results', 'screens');

let serve: ServeProcess;
let scratch: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  scratch = mkdtempSync(join(tmpdir(), 'studio-e2e-first-hour-'));
  mkdirSync(screens, { recursive: true });
  // No model yet: the first test meets "No Whisper model is installed" as a new user does.
  serve = await startServe();
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(scratch, { recursive: true, force: true });
});

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Fails when any visible button outside the toasts shares a pixel with a toast. */
async function expectToastsCoverNoButton(page: Page): Promise<number> {
  const toasts = page.locator('.toast');
  const toastBoxes = (await Promise.all((await toasts.all()).map((t) => t.boundingBox()))).filter(
    (b): b is Box => b !== null,
  );
  expect(toastBoxes.length).toBeGreaterThan(0);
  const buttons = page.locator('main button:visible');
  let checked = 0;
  for (const button of await buttons.all()) {
    const box = await button.boundingBox();
    if (!box || box.width === 0) continue;
    checked += 1;
    const name = (await button.getAttribute('aria-label')) ?? (await button.innerText());
    for (const toastBox of toastBoxes) {
      expect(intersects(box, toastBox), `a toast covers the button "${name}"`).toBe(false);
    }
  }
  return checked;
}

/** The element the user would hit at the centre of `target` is `target` (or inside it). */
async function expectNotCovered(target: Locator) {
  const hit = await target.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return top !== null && (top === element || element.contains(top));
  });
  expect(hit, 'something covers the control').toBe(true);
}

/** Imports the synthetic model (English-only, random weights) unless it is there already. */
async function ensureModel(): Promise<void> {
  const { models } = await serve.api<{ models: { id: string; status: string }[] }>('/v1/models');
  if (models.some((m) => m.id === 'tiny-random' && m.status === 'ready')) return;
  const model = await ensureTestModel('tiny', 1);
  await serve.api('/v1/models/import', {
    method: 'POST',
    body: JSON.stringify({ path: model.path, id: 'tiny-random' }),
  });
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

test('an error toast covers no control and goes once its condition clears', async ({ page }) => {
  test.setTimeout(120_000);
  // A short window: the library row and the settings' actions sit where a corner toast would.
  await page.setViewportSize({ width: 1100, height: 560 });
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();

  await page.getByLabel('Choose files to import').setInputFiles(jfk);
  const imports = page.getByRole('region', { name: 'Imports' });
  await expect(imports.locator('[data-import-state="added"]')).toContainText('jfk.wav');
  await imports.getByRole('button', { name: 'Transcribe jfk.wav' }).click();

  const notifications = page.getByRole('region', { name: 'Notifications' });
  const noModel = notifications.locator('.toast.error', { hasText: 'No Whisper model' });
  await expect(noModel).toBeVisible();
  // It stays (an error is not timed out)…
  await page.waitForTimeout(6_000);
  await expect(noModel).toBeVisible();
  // …and covers neither the library's buttons nor the import list's.
  await page.screenshot({ path: join(screens, 'first-hour-error-toast.png') });
  expect(await expectToastsCoverNoButton(page)).toBeGreaterThan(2);
  for (const button of await page.locator('tbody button:visible').all()) {
    await expectNotCovered(button);
  }

  // Settings: "Save settings" stays reachable while the error is shown.
  await nav(page, 'Settings');
  const save = page.getByRole('button', { name: 'Save settings' });
  await save.scrollIntoViewIfNeeded();
  await expect(noModel).toBeVisible();
  await expectToastsCoverNoButton(page);
  await expectNotCovered(save);
  await expectNotCovered(page.getByRole('button', { name: 'Discard changes' }));
  await page.screenshot({ path: join(screens, 'first-hour-settings-with-toast.png') });

  // A success closes by itself.
  await page.getByLabel('Jobs that may wait').fill('400');
  await save.click();
  const saved = notifications.locator('.toast.success', { hasText: 'Settings saved.' });
  await expect(saved).toBeVisible();
  await expect(saved).toBeHidden({ timeout: 10_000 });

  // A model arrives (imported through the API, as another window or a script would): the
  // error no longer holds and goes without being dismissed.
  await ensureModel();
  await expect(noModel).toBeHidden({ timeout: 15_000 });
});

test('a rejected upload names the chosen file and looks rejected', async ({ page }) => {
  await page.setViewportSize({ width: 1360, height: 860 });
  const fake = join(scratch, 'fake.wav');
  writeFileSync(fake, 'this is not audio at all\n'.repeat(40));
  await page.goto(serve.uiUrl);
  await page.getByLabel('Choose files to import').setInputFiles(fake);
  const row = page
    .getByRole('region', { name: 'Imports' })
    .locator('[data-import-state="failed"]', { hasText: 'fake.wav' });
  await expect(row).toBeVisible();
  const text = await row.innerText();
  expect(text).toContain('"fake.wav"');
  expect(text).not.toMatch(/fake-[0-9a-f]{12}/);
  await expect(row).toContainText('Rejected');
  // No bar filled to 100 % in green for a file that was not taken.
  await expect(row.getByRole('progressbar')).toHaveCount(0);
  await expect(
    page.getByRole('region', { name: 'Notifications' }).getByText(/fake-[0-9a-f]{12}/),
  ).toHaveCount(0);
});

test('settings refuse a language Whisper does not know, where it is typed', async ({ page }) => {
  await ensureModel();
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(serve.uiUrl);
  await nav(page, 'Settings');
  const language = page.getByLabel('Default language');
  const save = page.getByRole('button', { name: 'Save settings' });
  await language.fill('french');
  const error = page.locator('#setting-defaultLanguage-error');
  await expect(error).toContainText('fr');
  await expect(language).toHaveAttribute('aria-invalid', 'true');
  await expect(save).toBeDisabled();
  // The list the field offers is the engine's: names a person reads, codes it stores.
  const offered = await page
    .locator('#setting-defaultLanguage-list option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toContain('fr');
  expect(offered).toContain('yue');
  await expect(page.locator('#setting-defaultLanguage-list option[value="fr"]')).toHaveAttribute(
    'label',
    'French (fr)',
  );
  await language.fill('en');
  await expect(error).toBeEmpty();
  await expect(save).toBeEnabled();
  // tiny-random, the only model, is English-only: French would fail every transcription.
  await language.fill('fr');
  await expect(error).toContainText('English-only');
  await expect(save).toBeDisabled();
  await language.fill('en');
  await expect(error).toBeEmpty();
  await save.click();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
    'Settings saved.',
  );

  // The API refuses the same, naming the field and what it accepts.
  const response = await page.request.patch(`${serve.url}/v1/settings`, {
    headers: serve.auth,
    data: { defaultLanguage: 'french' },
  });
  expect(response.status()).toBe(400);
  const { error: body } = (await response.json()) as {
    error: { code: string; message: string; details?: { field?: string; accepted?: string[] } };
  };
  expect(body.code).toBe('INVALID_ARGUMENT');
  expect(body.message).toContain('defaultLanguage');
  expect(body.details?.field).toBe('defaultLanguage');
  expect(body.details?.accepted).toContain('fr');
});

test('a failed transcription says why, in the import list, the library and the queue', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await ensureModel();
  await page.setViewportSize({ width: 1360, height: 860 });
  // A file added by path, then removed before it is transcribed: the job fails when it runs.
  const gone = join(scratch, 'vanishing.wav');
  copyFileSync(jfk, gone);
  await page.goto(serve.uiUrl);
  await page.getByRole('button', { name: 'Add by path…' }).first().click();
  const addDialog = page.getByRole('dialog', { name: 'Add a file by path' });
  await addDialog.getByLabel('Absolute path on the engine’s machine').fill(gone);
  await addDialog.getByRole('button', { name: 'Add', exact: true }).click();
  const imports = page.getByRole('region', { name: 'Imports' });
  const entry = imports.locator('li', { hasText: 'vanishing.wav' });
  await expect(entry).toHaveAttribute('data-import-state', 'added');
  rmSync(gone);
  await entry.getByRole('button', { name: 'Transcribe vanishing.wav' }).click();

  // The import list follows the job: no "transcription queued" once it failed.
  await expect(entry).toContainText('Transcription failed', { timeout: 60_000 });
  await expect(entry).not.toContainText('transcription queued');
  const reason = (await entry.locator('.lib-import-reason').innerText()).trim();
  expect(reason.length).toBeGreaterThan(10);

  // The library row shows the reason as text, not only in a tooltip.
  const row = page.locator('tbody tr', { hasText: 'vanishing.wav' });
  await expect(row).toHaveAttribute('data-status', 'failed');
  await expect(row.locator('.lib-status-reason')).toBeVisible();
  await expect(row.locator('.lib-status-reason')).toHaveText(reason);

  await nav(page, 'Queue');
  const job = page.locator('li.job-failed', { hasText: 'vanishing.wav' });
  await expect(job.locator('.job-error')).toBeVisible();
  await expect(job.locator('.job-error')).toContainText(reason.slice(0, 30));
});

/** `medium` date, `short` time in en-US: "Dec 7, 2026, 10:14 PM". */
const sharedDate = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M$/;

let transcribed: { mediaId: string; transcriptId: string } | undefined;
/** jfk.wav transcribed with tiny-random through the API (once for the tests below). */
async function jfkTranscript() {
  await ensureModel();
  transcribed ??= await serve.transcribe(jfk);
  return transcribed;
}

test('library and queue format dates the same way', async ({ page }) => {
  test.setTimeout(240_000);
  await jfkTranscript();
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(serve.uiUrl);
  const row = page.locator('tbody tr', { hasText: 'jfk.wav' }).first();
  await expect(row).toHaveAttribute('data-status', 'transcribed');
  await expect(row.locator('td').nth(5)).toHaveText(sharedDate);

  await nav(page, 'Queue');
  const done = page.locator('li.job-completed').first();
  const finished = (await done.locator('.job-detail').innerText()).replace(/^Finished\s*/, '');
  expect(finished.split(' · ')[0]).toMatch(sharedDate);
});

/** Opens jfk.wav's transcript in the editor. */
async function openEditor(page: Page) {
  const { transcriptId } = await jfkTranscript();
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await page.goto(`${serve.url}/#/editor/${transcriptId}`);
  const segments = page.locator('article.segment');
  await expect(segments.first()).toBeVisible();
  return segments;
}

test('a transcript without speakers shows no "No speaker" chip on its segments', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const segments = await openEditor(page);
  await expect(page.getByText('No speaker', { exact: true })).toHaveCount(0);
  // Setting a speaker stays one click away, for the keyboard too.
  await expect(segments.first().getByRole('button', { name: /^Speaker:/ })).toHaveCount(1);
});

test('Esc closes the find bar wherever the focus is in it', async ({ page }) => {
  test.setTimeout(240_000);
  const segments = await openEditor(page);
  const findBar = page.getByRole('search', { name: 'Find and replace' });
  for (const control of ['Find', 'Replace with', 'Match case', 'Whole words', 'Close find']) {
    await segments.first().locator('.word').first().click();
    await page.keyboard.press('Control+f');
    await expect(findBar).toBeVisible();
    const target =
      control === 'Close find'
        ? findBar.getByRole('button', { name: control })
        : findBar.getByLabel(control, { exact: true });
    await target.focus();
    await page.keyboard.press('Escape');
    await expect(findBar, `Esc from ${control}`).toBeHidden();
  }
});

test('an edited word no longer shows the model confidence', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  const unsure = page.locator('.word.flag-low-confidence').first();
  const wordId = await unsure.getAttribute('data-word-id');
  expect(wordId).not.toBeNull();
  await expect(unsure).toHaveAttribute('title', /confidence \d+%/);
  await unsure.dblclick();
  await page.getByRole('textbox', { name: /^Edit word/ }).fill('corrected');
  await page.keyboard.press('Enter');
  const edited = page.locator(`.word[data-word-id="${wordId}"]`);
  await expect(edited).toHaveText('corrected');
  await expect(edited).not.toHaveClass(/flag-low-confidence/);
  const title = (await edited.getAttribute('title')) ?? '';
  expect(title).not.toMatch(/confidence/i);
  expect(title).toMatch(/edited/i);
});
