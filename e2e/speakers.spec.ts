/**
 * Speakers in the studio against a real `serve`: transcribe a two-speaker recording with
 * "exactly 2 speakers" chosen in the library, see the speakers with talk time, play a voice
 * sample, remember a voice by name, get it suggested in a second copy of the recording, confirm
 * it, and forget it in the Settings. The built-in fallback diarizer does the work (no neural
 * weights here); it needs the real Silero VAD model.
 */
import AxeBuilder from '@axe-core/playwright';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { transcribeJobResult, type JobView } from '../src-main/contract/jobs';
import type { MediaItem } from '../src-main/contract/media';
import type { Settings } from '../src-main/contract/settings';
import type { TranscriptSpeaker } from '../src-main/contract/speakers';
import type { TranscriptView } from '../src-main/contract/transcripts';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const screens = join(root, 'test-results', 'screens');
const sample = join(root, 'test-data', 'fixtures', 'diarization', 'sample.wav');
let serve: ServeProcess;
let dataDir: string;
let work: string;

const api = <T>(path: string, init?: RequestInit) => serve.api<T>(path, init);

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), 'studio-speakers-e2e-'));
  work = mkdtempSync(join(tmpdir(), 'studio-speakers-media-'));
  await importTestModel(dataDir, { vad: true });
  serve = await startServe({ dataDir });
  mkdirSync(screens, { recursive: true });
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** WCAG 2 A/AA violations on the page as it is, one readable line each. */
async function axe(page: Page, screen: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.map(
    (v) => `[${screen}] ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Adds `path` from the library's "Add by path…", transcribes it there, and opens the editor. */
async function transcribeThroughTheUi(page: Page, path: string, name: string) {
  await page.evaluate(() => (window.location.hash = '#/library'));
  await page.getByRole('button', { name: 'Add by path…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a file by path' });
  await dialog.getByRole('textbox').fill(path);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await page
    .getByRole('region', { name: 'Imports' })
    .getByRole('button', { name: `Transcribe ${name}` })
    .click();
  const { media } = await api<{ media: MediaItem[] }>('/v1/media');
  const item = media.find((m) => m.path === path)!;
  const row = page.locator(`tbody tr[data-media-id="${item.id}"]`);
  await expect(row).toHaveAttribute('data-status', 'transcribed', { timeout: 180_000 });
  await row.getByRole('button', { name: `Open ${name}` }).click();
  await expect(page.locator('.transcript [data-word-id]').first()).toBeVisible();
  const { jobs } = await api<{ jobs: JobView[] }>('/v1/jobs');
  const job = jobs.find((j) => j.mediaId === item.id)!;
  return { job, transcriptId: transcribeJobResult.parse(job.result).transcriptId };
}

const speakersOf = (transcriptId: string) =>
  api<{ speakers: TranscriptSpeaker[]; diarizer: string | null }>(
    `/v1/transcripts/${transcriptId}/speakers`,
  );

test('find, hear, name, remember, recognise and forget speakers', async ({ page }) => {
  test.setTimeout(480_000);
  page.on('pageerror', (error) => console.log(`page error: ${error.stack ?? error.message}`));
  await page.setViewportSize({ width: 1360, height: 860 });
  const violations: string[] = [];
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();

  // The speakers choice for what the library transcribes: exactly 2 (remembered).
  const choice = page.getByRole('combobox', { name: 'Speakers', exact: true });
  await expect(choice).toHaveValue('default');
  await choice.selectOption({ label: 'Exactly N speakers' });
  await expect(page.getByRole('textbox', { name: 'Number of speakers' })).toHaveValue('2');
  violations.push(...(await axe(page, 'library with the speakers choice')));

  const first = await transcribeThroughTheUi(page, sample, 'sample.wav');
  expect(first.job.params).toMatchObject({ speakers: { mode: 'auto', count: 2 } });

  // The panel opens by itself: two speakers, each with talk time, words and a sample.
  const panel = page.getByRole('complementary', { name: 'Speakers' });
  const { speakers, diarizer } = await speakersOf(first.transcriptId);
  expect(diarizer).toBe('fallback');
  expect(speakers.map((s) => s.id)).toEqual(['spk1', 'spk2']);
  const rows = panel.locator('li[data-speaker-id]');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    await expect(row).toContainText(/\d+:\d\d\.\d · \d+ words/);
  }
  // The fallback diarizer says so, quietly.
  await expect(page.getByRole('list', { name: 'Notes on this transcript' })).toBeVisible();

  // Play Speaker 1's sample: the media plays it and stops on its end.
  const spk1 = panel.locator('li[data-speaker-id="spk1"]');
  const clip = speakers[0]!.sample!;
  await spk1.getByRole('button', { name: /^Play the voice sample of / }).click();
  const audio = page.locator('audio');
  await expect
    .poll(() => audio.evaluate((a: HTMLAudioElement) => a.paused && a.currentTime > 0), {
      timeout: 15_000,
    })
    .toBe(true);
  const stoppedMs = await audio.evaluate((a: HTMLAudioElement) => a.currentTime * 1000);
  expect(stoppedMs).toBeGreaterThanOrEqual(clip.start);
  expect(stoppedMs).toBeLessThanOrEqual(clip.end + 1);
  // It played through to the end of the clip (the stop puts the playhead there).
  expect(stoppedMs).toBeGreaterThan(clip.end - 50);

  // Remember Speaker 1 as Alice: the speaker takes the name, in the editor and on the server.
  await spk1.getByRole('button', { name: 'Remember voice…' }).click();
  const remember = page.getByRole('dialog', { name: 'Remember this voice' });
  const name = remember.getByRole('textbox', { name: 'Name' });
  await expect(name).toHaveValue(speakers[0]!.name);
  await expect(name).toBeFocused();
  violations.push(...(await axe(page, 'remember dialog')));
  await name.fill('Alice');
  await remember.getByRole('button', { name: 'Remember voice' }).click();
  await expect(remember).toBeHidden();
  await expect(spk1.getByRole('textbox', { name: /^Name of speaker/ })).toHaveValue('Alice');
  await expect(spk1).toContainText('Known voice');
  await expect(page.getByRole('button', { name: /^Speaker: Alice/ }).first()).toBeVisible();
  await expect(page.getByLabel('Save status')).toHaveText('Saved');

  // The next edit saves on the server's new version: no conflict.
  const spk2Name = panel
    .locator('li[data-speaker-id="spk2"]')
    .getByRole('textbox', { name: /^Name of speaker/ });
  await spk2Name.fill('Bob');
  await spk2Name.press('Enter');
  await expect(page.getByLabel('Save status')).toHaveText('Saved', { timeout: 10_000 });
  await expect(page.getByRole('button', { name: 'Load theirs' })).toHaveCount(0);
  const saved = await api<TranscriptView>(`/v1/transcripts/${first.transcriptId}`);
  expect(saved.document.speakers.map((s) => s.name)).toEqual(['Alice', 'Bob']);
  // Bob is remembered too (the dialog starts from his name).
  await panel
    .locator('li[data-speaker-id="spk2"]')
    .getByRole('button', { name: 'Remember voice…' })
    .click();
  await expect(remember.getByRole('textbox', { name: 'Name' })).toHaveValue('Bob');
  await remember.getByRole('button', { name: 'Remember voice' }).click();
  await expect(remember).toBeHidden();
  await expect(panel.locator('li[data-speaker-id="spk2"]')).toContainText('Known voice');
  violations.push(...(await axe(page, 'editor with speakers')));

  // Settings: the default speakers, validated and saved. The default language changes too, so
  // the second copy below is transcribed anew rather than answered from the result cache (which
  // would hand it a copy of the first transcript, names included).
  await page.evaluate(() => (window.location.hash = '#/settings'));
  const defaults = page.getByRole('combobox', { name: 'Default speakers' });
  await defaults.selectOption({ label: 'Between min and max' });
  await page.getByRole('textbox', { name: 'Fewest speakers' }).fill('5');
  await page.getByRole('textbox', { name: 'Most speakers' }).fill('3');
  // A combobox: the field offers the engine's languages.
  await page.getByRole('combobox', { name: 'Default language' }).fill('en');
  // Refused as typed: the error shows beside the field and Save waits.
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await expect(page.getByText('The fewest speakers cannot be more than the most.')).toBeVisible();
  await page.getByRole('textbox', { name: 'Fewest speakers' }).fill('2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  const settings = await api<Settings>('/v1/settings');
  expect(settings.defaultSpeakers).toEqual({ mode: 'auto', min: 2, max: 3 });
  expect(settings.defaultLanguage).toBe('en');

  // A second copy of the recording, a separate library item: Alice is suggested.
  const copy = join(work, 'sample copy.wav');
  copyFileSync(sample, copy);
  await page.evaluate(() => (window.location.hash = '#/library'));
  await page.screenshot({ path: join(screens, 'speakers-library.png') });
  const second = await transcribeThroughTheUi(page, copy, 'sample copy.wav');
  // The library's own choice (exactly 2) goes with the job, over the new default.
  expect(second.job.params).toMatchObject({ speakers: { mode: 'auto', count: 2 } });
  expect(second.job.note ?? '').not.toMatch(/result cache/);
  const fresh = (await speakersOf(second.transcriptId)).speakers;
  expect(fresh.map((s) => [s.id, s.suggestion?.name])).toEqual([
    ['spk1', 'Alice'],
    ['spk2', 'Bob'],
  ]);
  const match = panel.locator('li[data-speaker-id="spk1"]');
  const matchName = match.getByRole('textbox', { name: /^Name of speaker/ });
  await expect(matchName).toHaveValue(fresh[0]!.name);
  expect(fresh[0]!.name).not.toBe('Alice');
  const suggestion = match.getByRole('group', { name: /^Suggestion for / });
  await expect(suggestion).toContainText('Sounds like Alice');
  violations.push(...(await axe(page, 'editor with a suggestion')));
  await page.screenshot({ path: join(screens, 'speakers.png') });

  // "Not them" hides Bob's suggestion for the session; nothing is sent or renamed.
  const other = panel.locator('li[data-speaker-id="spk2"]');
  const notBob = other.getByRole('group', { name: /^Suggestion for / });
  await expect(notBob).toContainText('Sounds like Bob');
  await notBob.getByRole('button', { name: /^Not them: / }).click();
  await expect(notBob).toBeHidden();
  await expect(other.getByRole('textbox', { name: /^Name of speaker/ })).toHaveValue(
    fresh[1]!.name,
  );
  await suggestion.getByRole('button', { name: /^Confirm: .* is Alice$/ }).click();
  await expect(suggestion).toBeHidden();
  await expect(matchName).toHaveValue('Alice');
  await expect(match).toContainText('Known voice');
  await expect(page.getByLabel('Save status')).toHaveText('Saved');
  const confirmed = await api<TranscriptView>(`/v1/transcripts/${second.transcriptId}`);
  expect(confirmed.document.speakers.find((s) => s.id === 'spk1')?.name).toBe('Alice');

  // Back in the first transcript: it opens as saved (names included), and an edit saves.
  await page.evaluate(() => (window.location.hash = '#/library'));
  await page.getByRole('button', { name: 'Open sample.wav', exact: true }).click();
  const names = panel.getByRole('textbox', { name: /^Name of speaker/ });
  await expect(names).toHaveCount(2);
  await expect(names.first()).toHaveValue('Alice');
  await expect(names.nth(1)).toHaveValue('Bob');
  await names.nth(1).fill('Robert');
  await names.nth(1).press('Enter');
  await expect(page.getByLabel('Save status')).toHaveText('Saved', { timeout: 10_000 });
  await expect(page.getByRole('button', { name: 'Load theirs' })).toHaveCount(0);
  const reopened = await api<TranscriptView>(`/v1/transcripts/${first.transcriptId}`);
  expect(reopened.document.speakers.map((s) => s.name)).toEqual(['Alice', 'Robert']);

  await page.evaluate(() => (window.location.hash = '#/settings'));
  const voices = page.locator('section[aria-labelledby="voices-title"]');
  const alice = voices.getByRole('row', { name: /Alice/ });
  await expect(alice.getByRole('cell').nth(1)).toHaveText('2');
  violations.push(...(await axe(page, 'settings with voices')));
  await voices.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screens, 'speakers-voices.png') });
  await voices.getByRole('button', { name: 'Forget Alice' }).click();
  const forget = page.getByRole('dialog', { name: 'Forget the voice of Alice?' });
  await expect(forget).toContainText('voice print is deleted');
  await expect(forget).toContainText('keep that name');
  await forget.getByRole('button', { name: 'Forget voice' }).click();
  await expect(forget).toBeHidden();
  await expect(alice).toHaveCount(0);
  await expect(voices.getByRole('row', { name: /Bob/ })).toBeVisible();
  const left = await api<{ voices: { name: string }[] }>('/v1/voices');
  expect(left.voices.map((v) => v.name)).toEqual(['Bob']);
  // The names it gave stay.
  const named = await api<TranscriptView>(`/v1/transcripts/${second.transcriptId}`);
  expect(named.document.speakers.find((s) => s.id === 'spk1')?.name).toBe('Alice');

  // Merging two speakers: Robert's words become Alice's, and Robert is gone (saved, undoable).
  await page.evaluate(() => (window.location.hash = '#/library'));
  await page.getByRole('button', { name: 'Open sample.wav', exact: true }).click();
  await expect(names).toHaveCount(2);
  const before = await speakersOf(first.transcriptId);
  const totalWords = before.speakers.reduce((sum, s) => sum + s.words, 0);
  const robert = panel.locator('li[data-speaker-id="spk2"]');
  await robert
    .getByRole('combobox', { name: 'Merge Robert into' })
    .selectOption({ label: 'Alice' });
  await robert.getByRole('button', { name: 'Merge', exact: true }).click();
  await expect(names).toHaveCount(1);
  await expect(page.getByLabel('Save status')).toHaveText('Saved', { timeout: 10_000 });
  const merged = await speakersOf(first.transcriptId);
  const assigned = merged.speakers.filter((s) => s.id !== null);
  expect(assigned.map((s) => s.name)).toEqual(['Alice']);
  expect(merged.speakers.reduce((sum, s) => sum + s.words, 0)).toBe(totalWords);
  expect(assigned[0]!.words).toBe(
    before.speakers.filter((s) => s.id !== null).reduce((sum, s) => sum + s.words, 0),
  );
  await page.keyboard.press('Control+z');
  await expect(names).toHaveCount(2);

  expect(violations, `axe found:\n${violations.join('\n')}`).toEqual([]);
});
