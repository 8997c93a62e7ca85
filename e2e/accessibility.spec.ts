import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { MediaItem } from '../src-main/contract/media';
import type { TranscriptView } from '../src-main/contract/transcripts';
import { speech } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const screens = join(root, 'test-results', 'screens');
let serve: ServeProcess;
let dataDir: string;
let mediaId: string;
let transcriptId: string;
/** A word of the (synthetic, meaningless) transcript, so the library search has hits. */
let searchWord: string;

const api = <T>(path: string, init?: RequestInit) => serve.api<T>(path, init);

// A synthetic model (real shapes, random weights: the words are noise) transcribes jfk.wav.
test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), 'studio-a11y-e2e-'));
  await importTestModel(dataDir);
  serve = await startServe({ dataDir });
  ({ mediaId, transcriptId } = await serve.transcribe(speech.jfk));
  const transcript = await api<TranscriptView>(`/v1/transcripts/${transcriptId}`);
  const words = transcript.document.segments.flatMap((s) =>
    s.lines.flatMap((l) => l.words.map((w) => w.text.replace(/[^\p{L}]/gu, ''))),
  );
  searchWord = words.find((w) => w.length >= 3) ?? words.find((w) => w.length > 0)!;
  expect(searchWord, 'the transcript has a searchable word').toBeTruthy();
  mkdirSync(screens, { recursive: true });
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Runs axe (WCAG 2 A and AA) on the page as it is and returns one readable entry per violation:
 * the screen, the rule, its impact and help, and the first elements it found.
 */
async function axeViolations(page: Page, screen: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.map((v) => {
    const targets = v.nodes
      .slice(0, 4)
      .map(
        (n) =>
          `    ${n.target.join(' ')}${n.failureSummary ? ` — ${oneLine(n.failureSummary)}` : ''}`,
      )
      .join('\n');
    return `[${screen}] ${v.id} (${v.impact ?? 'n/a'}): ${v.help}, ${v.nodes.length} element(s)\n${targets}`;
  });
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every main screen passes axe (WCAG 2 A/AA) in ${colorScheme}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1360, height: 860 });
    const found: string[] = [];
    const check = async (screen: string) => {
      found.push(...(await axeViolations(page, `${screen}, ${colorScheme}`)));
      await page.screenshot({ path: join(screens, `a11y-${screen}-${colorScheme}.png`) });
    };
    const go = (hash: string) => page.evaluate((h) => (window.location.hash = h), hash);

    await page.goto(serve.uiUrl);
    const library = page.getByRole('heading', { name: 'Library' });
    await expect(library).toBeVisible();
    await page.getByRole('button', { name: 'List' }).click();
    await expect(page.locator('tbody tr')).toHaveCount(1);
    await check('library-list');
    await page.getByRole('button', { name: 'Grid' }).click();
    await expect(page.locator('.lib-card')).toHaveCount(1);
    await check('library-grid');
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByRole('combobox', { name: 'Search all transcripts' }).fill(searchWord);
    await expect(
      page.getByRole('listbox', { name: 'Search hits' }).getByRole('option').first(),
    ).toBeVisible();
    await check('library-search');
    await page.getByRole('combobox', { name: 'Search all transcripts' }).fill('');
    await page.getByRole('button', { name: 'Add by path…' }).first().click();
    await expect(page.getByRole('dialog', { name: 'Add a file by path' })).toBeVisible();
    await check('library-add-path');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Delete jfk.wav' }).click();
    await expect(page.getByRole('dialog', { name: 'Delete “jfk.wav”?' })).toBeVisible();
    await check('library-delete');
    await page.keyboard.press('Escape');

    await go('#/queue');
    await expect(page.locator('.job-list li').first()).toBeVisible();
    await check('queue');

    await go('#/live');
    await expect(page.getByRole('heading', { name: 'Live captions' })).toBeVisible();
    await expect(page.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
    await check('live');

    // The caption overlay's window, with its display controls showing (they appear on focus).
    await go('#/overlay');
    await expect(page.getByRole('heading', { name: 'Live captions' })).toBeAttached();
    await page.getByRole('button', { name: 'Larger captions' }).focus();
    await expect(page.getByRole('toolbar', { name: 'Caption display' })).toHaveCSS('opacity', '1');
    await check('overlay');

    await go('#/models');
    await expect(page.getByText('tiny-random').first()).toBeVisible();
    await check('models');
    await page.getByRole('button', { name: 'Import a model file…' }).click();
    await expect(page.getByRole('dialog', { name: 'Import a model file' })).toBeVisible();
    await check('models-import');
    await page.keyboard.press('Escape');

    await go('#/settings');
    await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
    await check('settings');
    await page.getByRole('button', { name: 'New token…' }).click();
    await expect(page.getByRole('dialog', { name: 'New API token' })).toBeVisible();
    await check('settings-new-token');
    await page.keyboard.press('Escape');

    await go('#/system');
    await expect(page.getByRole('heading', { name: 'System' })).toBeVisible();
    await check('system');

    await go(`#/editor/${transcriptId}`);
    const firstWord = page.locator('.transcript [data-word-id]').first();
    await expect(firstWord).toBeVisible();
    await firstWord.click();
    await check('editor');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByLabel('Find', { exact: true }).fill(searchWord);
    await expect(page.locator('.find-count')).toHaveText(/of/);
    await check('editor-find');
    await page.getByRole('button', { name: 'Close find' }).click();
    await page.getByRole('button', { name: 'Speakers', exact: true }).click();
    await expect(page.getByRole('complementary', { name: 'Speakers' })).toBeVisible();
    await check('editor-speakers');
    await page
      .locator('.segment')
      .first()
      .getByRole('button', { name: /^Speaker:/ })
      .click();
    await expect(page.getByRole('dialog', { name: 'Speaker of this segment' })).toBeVisible();
    await check('editor-speaker-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
    await check('editor-export');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(page.getByRole('dialog', { name: /shortcuts/i })).toBeVisible();
    await check('shortcuts');

    expect(found, `axe found:\n\n${found.join('\n\n')}\n`).toEqual([]);
  });
}

/** What has the focus, and whether it is visibly marked (an outline or a box shadow). */
interface Focused {
  tag: string;
  /** Its accessible-ish name: aria-label, else its text. */
  name: string;
  role: string | null;
  /** The library row it is in, if any. */
  mediaId: string | null;
  wordId: string | null;
  inDialog: string | null;
  visible: boolean;
  style: string;
}

const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    // Into shadow roots (the waveform's scroller lives in one).
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) {
      return {
        tag: el?.tagName.toLowerCase() ?? 'none',
        name: '',
        role: null,
        mediaId: null,
        wordId: null,
        inDialog: null,
        visible: false,
        style: 'the focus is on the page itself',
      };
    }
    const css = getComputedStyle(el);
    const outline = css.outlineStyle !== 'none' && parseFloat(css.outlineWidth) > 0;
    const shadow = css.boxShadow !== 'none' && css.boxShadow !== '';
    const dialog = el.closest('dialog');
    return {
      tag: `${el.tagName.toLowerCase()}${el.className ? `.${el.className.split(' ').join('.')}` : ''}`,
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      role: el.getAttribute('role') ?? el.getAttribute('type'),
      mediaId: el.closest('tr')?.getAttribute('data-media-id') ?? null,
      wordId: el.getAttribute('data-word-id'),
      inDialog: dialog?.getAttribute('aria-labelledby')
        ? (document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent ?? '')
        : null,
      visible: outline || shadow,
      style: `outline: ${css.outlineStyle} ${css.outlineWidth}; box-shadow: ${css.boxShadow}`,
    };
  });

const describe = (f: Focused) => `<${f.tag}${f.role ? ` ${f.role}` : ''}> “${f.name}”`;

/** Asserts that the focused element shows that it has the focus. */
async function expectFocusVisible(page: Page, step: string): Promise<Focused> {
  const f = await focused(page);
  expect(f.visible, `${step}: the focus on ${describe(f)} is not visible (${f.style})`).toBe(true);
  return f;
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches, checking at every stop that the
 * focus is visible. Fails after `max` presses.
 */
async function tabTo(
  page: Page,
  what: string,
  matches: (f: Focused) => boolean,
  { back = false, max = 60 } = {},
): Promise<Focused> {
  const visited: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await expectFocusVisible(page, `Tabbing to ${what}`);
    if (matches(f)) return f;
    visited.push(describe(f));
  }
  throw new Error(`Tab never reached ${what}; it visited:\n${visited.join('\n')}`);
}

test('keyboard only: add by path, transcribe, edit a word, undo/redo, export WebVTT', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(1);

  // The first Tab stop skips the sidebar and top bar; the next one is inside the view.
  await page.keyboard.press('Tab');
  await expectFocusVisible(page, 'the skip link');
  await expect(page.getByRole('button', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // Add by path: the dialog takes the focus; typing the path and Enter adds it.
  await tabTo(page, 'Add by path…', (f) => f.name === 'Add by path…');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Add a file by path' });
  await expect(dialog).toBeVisible();
  const field = await expectFocusVisible(page, 'the path field');
  expect(field.inDialog).toBe('Add a file by path');
  await page.keyboard.type(speech.jfk);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.locator('tbody tr')).toHaveCount(2);
  const { media } = await api<{ media: MediaItem[] }>('/v1/media');
  const added = media.find((m) => m.id !== mediaId)!;
  expect(added.path).toBe(speech.jfk);
  const addedRow = page.locator(`tbody tr[data-media-id="${added.id}"]`);
  await expect(addedRow).toHaveAttribute('data-status', 'untranscribed');

  // Transcribe it from the imports list.
  await tabTo(page, 'Transcribe jfk.wav', (f) => f.name === 'Transcribe jfk.wav');
  await page.keyboard.press('Enter');
  // The button goes away with the queued job; the focus stays in the entry, on Dismiss.
  await expect(page.getByRole('button', { name: 'Dismiss jfk.wav' })).toBeFocused();
  await expectFocusVisible(page, 'after Transcribe');
  await expect(addedRow).toHaveAttribute('data-status', 'transcribed', { timeout: 120_000 });
  await page.screenshot({ path: join(screens, 'a11y-keyboard-library.png') });

  // Open it in the editor from its row.
  await tabTo(page, 'its Open button', (f) => f.name === 'Open jfk.wav' && f.mediaId === added.id);
  await page.keyboard.press('Enter');
  const words = page.locator('.transcript [data-word-id]');
  await expect(words.first()).toBeVisible();
  await expect(page).toHaveURL(/#\/editor\//);
  // The editor's heading takes the focus from the library's vanished row.
  await expect(page.getByRole('heading', { name: 'jfk.wav' })).toBeFocused();
  await expectFocusVisible(page, 'the opened editor');

  // Into the transcript; → selects the second word; Enter edits it, typing and Enter save.
  await expect(page.locator('.waveform > div')).toBeAttached();
  await tabTo(page, 'the first word', (f) => f.wordId !== null);
  await page.keyboard.press('ArrowRight');
  const second = words.nth(1);
  const wordId = (await second.getAttribute('data-word-id'))!;
  const word = page.locator(`[data-word-id="${wordId}"]`);
  await expect(word).toBeFocused();
  await expect(word).toHaveAttribute('aria-pressed', 'true');
  await expectFocusVisible(page, 'the selected word');
  const original = (await word.textContent())!.trim();
  await page.keyboard.press('Enter');
  const input = page.getByRole('textbox', { name: /^Edit word/ });
  await expect(input).toBeFocused();
  await expectFocusVisible(page, 'the word being edited');
  await page.keyboard.type('Keyboard');
  await page.keyboard.press('Enter');
  await expect(word).toHaveText('Keyboard');
  await expect(word).toBeFocused();
  await expectFocusVisible(page, 'the edited word');

  // Undo and redo.
  await page.keyboard.press('Control+z');
  await expect(word).toHaveText(original);
  await page.keyboard.press('Control+Shift+z');
  await expect(word).toHaveText('Keyboard');
  await expectFocusVisible(page, 'after undo and redo');
  await page.screenshot({ path: join(screens, 'a11y-keyboard-editor.png') });

  // Export: Ctrl+E opens the dialog on the chosen format; ↓ picks WebVTT; Tab to Download.
  await page.keyboard.press('Control+e');
  const exportDialog = page.getByRole('dialog', { name: 'Export' });
  await expect(exportDialog).toBeVisible();
  const format = await expectFocusVisible(page, 'the export format');
  expect(format.inDialog).toBe('Export');
  await page.keyboard.press('ArrowDown');
  await expect(exportDialog.getByLabel(/WebVTT/)).toBeChecked();
  await expectFocusVisible(page, 'the WebVTT choice');
  await tabTo(page, 'Download', (f) => f.name === 'Download');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter'),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.vtt$/);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text).toMatch(/^WEBVTT\r?\n/);
  expect(text).toContain('Keyboard');
  await expect(exportDialog).toBeHidden();
  // The focus goes back to where it was before the dialog.
  await expect(word).toBeFocused();
});
