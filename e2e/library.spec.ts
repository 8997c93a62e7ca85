import { expect, test, type Page } from '@playwright/test';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaList } from '../src-main/contract/media';
import { searchResult } from '../src-main/contract/search';
import { transcriptView } from '../src-main/contract/transcripts';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const speech = join(root, 'test-data', 'fixtures', 'speech');
const jfk = join(speech, 'jfk.wav');
const byPath = join(speech, 'goforward.wav');
const screens = join(root, 'test-results', 'screens');

let serve: ServeProcess;
let dataDir: string;

/** A synthetic Whisper model (real shapes, random weights), imported before `serve` starts. */
test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = mkdtempSync(join(tmpdir(), 'studio-e2e-library-'));
  await importTestModel(dataDir);
  serve = await startServe({ dataDir });
  mkdirSync(screens, { recursive: true });
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

const api = async <T>(page: Page, path: string, parse: (body: unknown) => T): Promise<T> => {
  const response = await page.request.get(`${serve.url}${path}`, { headers: serve.auth });
  expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
  return parse(await response.json());
};

test('import, transcribe, search, open a hit and delete from the library', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await expect(page.getByText('Your library is empty')).toBeVisible();

  // Upload through the file input: a progress row, then the offer to transcribe.
  await page.getByLabel('Choose files to import').setInputFiles(jfk);
  const imports = page.getByRole('region', { name: 'Imports' });
  await expect(imports.locator('[data-import-state="added"]')).toContainText('jfk.wav');
  await imports.getByRole('button', { name: 'Transcribe jfk.wav' }).click();
  // The row follows its job: queued, then transcribing, then transcribed.
  await expect(imports).toContainText(/transcription queued|transcribing|transcribed/);

  const jfkRow = page.locator('tbody tr', { hasText: 'jfk.wav' });
  await expect(jfkRow).toHaveAttribute('data-status', 'transcribed', { timeout: 180_000 });
  await expect(jfkRow.locator('td').nth(1)).toHaveText('0:00:11');
  await expect(jfkRow).toContainText('Transcribed');
  await expect(jfkRow.locator('td').nth(3)).toHaveText(/^([a-z]{2,3}|—)$/);

  // Add a second file by path on the engine's machine.
  await page.getByRole('button', { name: 'Add by path…' }).first().click();
  const addDialog = page.getByRole('dialog', { name: 'Add a file by path' });
  await addDialog.getByLabel('Absolute path on the engine’s machine').fill(byPath);
  await addDialog.getByRole('button', { name: 'Add', exact: true }).click();
  const pathRow = page.locator('tbody tr', { hasText: 'goforward.wav' });
  await expect(pathRow).toHaveAttribute('data-status', 'untranscribed');
  await expect(page.locator('tbody tr')).toHaveCount(2);
  await imports.getByRole('button', { name: 'Clear finished' }).click();

  // Sort and filter.
  await page.getByLabel('Sort').selectOption('name');
  await expect(page.locator('tbody tr').first()).toContainText('goforward.wav');
  await page.getByLabel('Status').selectOption('transcribed');
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Status').selectOption('any');
  await page.getByLabel('Filter by name').fill('JFK');
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Filter by name').fill('');
  await expect(page.locator('tbody tr')).toHaveCount(2);
  await page.mouse.move(800, 700);
  await page.screenshot({ path: join(screens, 'library.png') });

  await page.getByRole('button', { name: 'Grid' }).click();
  await expect(page.locator('.lib-card')).toHaveCount(2);
  await page.screenshot({ path: join(screens, 'library-grid.png') });
  await page.getByRole('button', { name: 'List' }).click();

  // A word of the (synthetic, meaningless) transcript, read through the API.
  const { media } = await api(page, '/v1/media', (b) => mediaList.parse(b));
  const transcriptId = media.find((m) => m.name === 'jfk.wav')?.transcript?.id;
  expect(transcriptId).toBeTruthy();
  const transcript = await api(page, `/v1/transcripts/${transcriptId}`, (b) =>
    transcriptView.parse(b),
  );
  const words = transcript.document.segments.flatMap((s) =>
    s.lines.flatMap((l) => l.words.map((w) => w.text.replace(/[^\p{L}]/gu, ''))),
  );
  const word = words.find((w) => w.length >= 3) ?? words.find((w) => w.length > 0);
  expect(word, 'the transcript has a searchable word').toBeTruthy();
  const expected = await api(page, `/v1/search?q=${encodeURIComponent(word!)}&limit=50`, (b) =>
    searchResult.parse(b),
  );
  const first = expected.hits[0]!;

  // `/` focuses the search; hits show file, time and the word marked.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('/');
  const search = page.getByRole('combobox', { name: 'Search all transcripts' });
  await expect(search).toBeFocused();
  await search.fill(word!);
  const hits = page.getByRole('listbox', { name: 'Search hits' }).getByRole('option');
  await expect(hits).toHaveCount(expected.hits.length);
  await expect(hits.first()).toContainText(first.mediaName);
  await expect(hits.first().locator('mark').first()).toHaveText(new RegExp(word!, 'i'));
  await page.screenshot({ path: join(screens, 'library-search.png') });
  await page.keyboard.press('ArrowDown');
  if (expected.hits.length > 1) await expect(hits.nth(1)).toHaveAttribute('aria-selected', 'true');
  await hits.first().click();
  await expect(page).toHaveURL(new RegExp(`#/editor/${transcriptId}\\?t=${first.startMs}$`));

  // Back in the library: delete the file added by path; the file itself stays.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await pathRow.getByRole('button', { name: 'Delete goforward.wav' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete “goforward.wav”?' });
  await expect(confirm).toContainText('stays where it is');
  await expect(confirm).toContainText(byPath);
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Deleted goforward.wav.')).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(1);
  expect(existsSync(byPath)).toBe(true);

  // Drop a file on the view: the drop zone shows while it hovers; the upload is imported.
  const bytes = [...readFileSync(byPath)];
  const drop = await page.evaluateHandle((data) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], 'dropped.wav', { type: 'audio/wav' }));
    return transfer;
  }, bytes);
  const zone = page.locator('.lib-dropzone');
  await zone.dispatchEvent('dragenter', { dataTransfer: drop });
  await expect(zone).toHaveAttribute('data-dropping', 'true');
  await expect(
    page.getByText('Drop files or folders to import them into the library'),
  ).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer: drop });
  await expect(zone).not.toHaveAttribute('data-dropping');
  const droppedRow = page.locator('tbody tr', { hasText: 'dropped.wav' });
  await expect(droppedRow).toHaveAttribute('data-status', 'untranscribed');

  // Deleting an upload deletes its copy in the data folder too.
  const dropped = (await api(page, '/v1/media', (b) => mediaList.parse(b))).media.find(
    (m) => m.name === 'dropped.wav',
  );
  expect(dropped && existsSync(dropped.path)).toBe(true);
  await droppedRow.getByRole('button', { name: 'Delete dropped.wav' }).click();
  const confirmUpload = page.getByRole('dialog', { name: 'Delete “dropped.wav”?' });
  await expect(confirmUpload).toContainText('the uploaded copy of the file in the data folder');
  await confirmUpload.getByRole('button', { name: 'Delete' }).click();
  await expect(droppedRow).toHaveCount(0);
  expect(existsSync(dropped!.path)).toBe(false);

  // "Transcribe automatically" is remembered across a reload.
  const auto = page.getByLabel('Transcribe automatically after import');
  await auto.check();
  await page.reload();
  await expect(auto).toBeChecked();

  // Import a folder: its audio and video files, nothing else, transcribed right away.
  const folder = join(dataDir, 'to-import');
  mkdirSync(join(folder, 'nested'), { recursive: true });
  copyFileSync(byPath, join(folder, 'nested', 'folder-take.wav'));
  writeFileSync(join(folder, 'notes.txt'), 'not media');
  await page.getByLabel('Choose a folder to import').setInputFiles(folder);
  await expect(imports.getByRole('listitem')).toHaveCount(1);
  await expect(imports).toContainText('folder-take.wav');
  // The row follows its job: queued, then transcribing, then transcribed.
  await expect(imports).toContainText(/transcription queued|transcribing|transcribed/);
  const folderRow = page.locator('tbody tr', { hasText: 'folder-take.wav' });
  await expect(folderRow).toHaveAttribute('data-status', 'transcribed', { timeout: 120_000 });
  await expect(page.locator('tbody tr')).toHaveCount(2);
});
