import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { TranscriptView } from '../src-main/contract/transcripts';
import { speech } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const screens = join(root, 'test-results', 'screens');
let serve: ServeProcess;
let dataDir: string;
let transcriptId: string;

const api = <T>(path: string, init?: RequestInit) => serve.api<T>(path, init);

// A synthetic model (real shapes, random weights: the words are noise) transcribes jfk.wav.
test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), 'studio-editor-e2e-'));
  await importTestModel(dataDir);
  serve = await startServe({ dataDir });
  ({ transcriptId } = await serve.transcribe(speech.jfk));
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

const words = (page: Page) => page.locator('.transcript [data-word-id]');

async function openEditor(page: Page) {
  page.on('pageerror', (error) => console.log(`page error: ${error.stack ?? error.message}`));
  await page.goto(serve.uiUrl);
  await page.evaluate((id) => (window.location.hash = `#/editor/${id}`), transcriptId);
  await expect(words(page).first()).toBeVisible();
}

test('edit a word, undo and redo, name a speaker, and the edits survive a reload', async ({
  page,
}) => {
  await openEditor(page);
  const first = words(page).first();
  const wordId = await first.getAttribute('data-word-id');
  const original = (await first.textContent())!.trim();
  await expect(page.getByLabel('Save status')).toHaveText('Saved');

  // Inline edit: double-click, type, Enter.
  await first.dblclick();
  const input = page.getByRole('textbox', { name: /^Edit word/ });
  await input.fill('Edited');
  await input.press('Enter');
  const word = page.locator(`[data-word-id="${wordId}"]`);
  await expect(word).toHaveText('Edited');
  await expect(word).toHaveClass(/flag-edited/);

  // Undo and redo with the keyboard (focus is on the word again, not in a text field).
  await page.keyboard.press('Control+z');
  await expect(word).toHaveText(original);
  await page.keyboard.press('Control+Shift+z');
  await expect(word).toHaveText('Edited');

  // The speaker control: add a speaker for the first segment, then rename it everywhere.
  const segment = page.locator('.segment').first();
  await segment.getByRole('button', { name: /^Speaker:/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Speaker of this segment' });
  await dialog.getByLabel('New speaker name').fill('Host');
  await dialog.getByRole('button', { name: 'Add and assign' }).click();
  await expect(dialog).toBeHidden();
  await segment.getByRole('button', { name: 'Speaker: Host. Change or rename' }).click();
  await dialog.getByLabel('Speaker name', { exact: true }).fill('Narrator');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(segment.getByRole('button', { name: /^Speaker: Narrator/ })).toBeVisible();

  // Autosave (about a second after the last change) then a reload shows the saved document.
  await expect(page.getByLabel('Save status')).toHaveText('Saved', { timeout: 10_000 });
  const saved = await api<TranscriptView>(`/v1/transcripts/${transcriptId}`);
  expect(saved.version).toBeGreaterThan(1);
  expect(saved.document.speakers).toEqual([expect.objectContaining({ name: 'Narrator' })]);
  await page.reload();
  await expect(page.locator(`[data-word-id="${wordId}"]`)).toHaveText('Edited');
  await expect(
    page
      .locator('.segment')
      .first()
      .getByRole('button', { name: /^Speaker: Narrator/ }),
  ).toBeVisible();

  mkdirSync(screens, { recursive: true });
  await page.locator(`[data-word-id="${wordId}"]`).click();
  await page.screenshot({ path: join(screens, 'editor.png') });
});

test('split and merge segments, find and replace, retime a word on the waveform', async ({
  page,
}) => {
  await openEditor(page);
  const segments = page.locator('.transcript .segment');
  const count = await segments.count();
  const firstSegmentWords = segments.first().locator('[data-word-id]');

  // Keyboard only: Tab into the transcript, arrow to the second word, Shift+Enter splits there.
  await firstSegmentWords.first().focus();
  await page.keyboard.press('ArrowRight');
  const second = await firstSegmentWords.nth(1).getAttribute('data-word-id');
  await expect(page.locator(`[data-word-id="${second}"]`)).toBeFocused();
  await page.keyboard.press('Shift+Enter');
  await expect(segments).toHaveCount(count + 1);
  await expect(segments.nth(1).locator('[data-word-id]').first()).toHaveAttribute(
    'data-word-id',
    second!,
  );
  await segments
    .first()
    .getByRole('button', { name: /^Merge segment 1/ })
    .click();
  await expect(segments).toHaveCount(count);
  await page.keyboard.press('Control+z');
  await expect(segments).toHaveCount(count + 1);
  await page.keyboard.press('Control+z');
  await expect(segments).toHaveCount(count);

  // Find and replace: the first word's text, replaced everywhere it occurs as a whole word.
  const target = (await firstSegmentWords.first().textContent())!.trim();
  await page.keyboard.press('Control+f');
  await page.getByLabel('Find', { exact: true }).fill(target);
  await expect(page.locator('.find-count')).toHaveText(/^1 of \d+$/);
  await page.getByLabel('Replace with').fill('Replaced');
  await page.getByRole('button', { name: 'Replace all' }).click();
  await expect(firstSegmentWords.first()).toHaveText(/Replaced/);
  await page.getByRole('button', { name: 'Close find' }).click();

  // Retime: drag the selected (first) word's start edge on the waveform to the left.
  const word = firstSegmentWords.first();
  const wordId = await word.getAttribute('data-word-id');
  await word.click();
  const before = (await api<TranscriptView>(`/v1/transcripts/${transcriptId}`)).document;
  const handle = page.locator('.waveform [part~="region-handle-left"]');
  await expect(handle).toBeVisible();
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 12, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByLabel('Save status')).toHaveText('Saved', { timeout: 10_000 });
  const find = (doc: TranscriptView['document']) =>
    doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words)).find((w) => w.id === wordId)!;
  await expect
    .poll(
      async () =>
        find((await api<TranscriptView>(`/v1/transcripts/${transcriptId}`)).document).start,
    )
    .toBeLessThan(find(before).start);
  await page.screenshot({ path: join(screens, 'editor-retime.png') });
});

test('a save against a stale version shows the conflict instead of overwriting', async ({
  page,
}) => {
  await openEditor(page);
  // Someone else saves first.
  const current = await api<TranscriptView>(`/v1/transcripts/${transcriptId}`);
  const theirs = structuredClone(current.document);
  theirs.segments[0]!.lines[0]!.words[0]!.text = 'Theirs';
  await api(`/v1/transcripts/${transcriptId}`, {
    method: 'PATCH',
    body: JSON.stringify({ version: current.version, document: theirs }),
  });

  await words(page).nth(1).dblclick();
  await page.getByRole('textbox', { name: /^Edit word/ }).fill('Mine');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('changed elsewhere');
  await expect(page.getByLabel('Save status')).toHaveText('Conflict');
  const after = await api<TranscriptView>(`/v1/transcripts/${transcriptId}`);
  expect(after.document.segments[0]!.lines[0]!.words[0]!.text).toBe('Theirs');

  await page.getByRole('button', { name: 'Load theirs' }).click();
  await expect(words(page).first()).toHaveText('Theirs');
  await expect(page.getByLabel('Save status')).toHaveText('Saved');
});

test('exports SRT and WebVTT through the dialog; the WebVTT loads in a <track>', async ({
  page,
}) => {
  await openEditor(page);
  await page.getByRole('button', { name: 'Speakers' }).click();
  await expect(page.getByRole('complementary', { name: 'Speakers' })).toContainText('words');
  const exportAs = async (label: RegExp) => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.getByLabel(label).check();
    if (label.source === 'SubRip')
      await page.screenshot({ path: join(screens, 'editor-export.png') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click(),
    ]);
    await expect(dialog).toBeHidden();
    return {
      name: download.suggestedFilename(),
      text: readFileSync(await download.path(), 'utf8'),
    };
  };

  const srt = await exportAs(/SubRip/);
  expect(srt.name).toMatch(/\.srt$/);
  expect(srt.text).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\r?\n/);
  const vtt = await exportAs(/WebVTT/);
  expect(vtt.name).toMatch(/\.vtt$/);
  expect(vtt.text).toMatch(/^WEBVTT\r?\n/);

  // Chromium's own WebVTT parser, through a <track>, on a blank test page: away from the app's
  // origin, whose CSP would govern the track's URL.
  await page.goto('about:blank');
  await page.setContent('<video id="v" muted></video>');
  const cues = await page.evaluate(async (text) => {
    const track = document.createElement('track');
    track.kind = 'subtitles';
    track.srclang = 'en';
    track.default = true;
    const loaded = new Promise<void>((resolve, reject) => {
      track.addEventListener('load', () => resolve(), { once: true });
      track.addEventListener('error', () => reject(new Error('the track failed to load')), {
        once: true,
      });
    });
    track.src = `data:text/vtt;charset=utf-8,${encodeURIComponent(text)}`;
    document.getElementById('v')!.append(track);
    track.track.mode = 'hidden';
    await loaded;
    return [...(track.track.cues ?? [])].map((cue) => ({
      start: cue.startTime,
      end: cue.endTime,
    }));
  }, vtt.text);
  expect(cues.length).toBeGreaterThan(0);
  for (const cue of cues) expect(cue.end).toBeGreaterThanOrEqual(cue.start);
});
