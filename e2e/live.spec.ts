import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { MediaItem } from '../src-main/contract/media';
import type { TranscriptView } from '../src-main/contract/transcripts';
import { speech } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import config from '../playwright.config';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');
const screens = join(root, 'test-results', 'screens');
let serve: ServeProcess;
let dataDir: string;

// Chromium's fake microphone plays jfk.wav (16 kHz mono PCM16, looped) into getUserMedia, and
// its fake permission prompt allows it.
const launchOptions = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...launchOptions,
    args: [
      ...(launchOptions.args ?? []),
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${speech.jfk}`,
    ],
  },
});

// A synthetic model (real shapes, random weights): its captions are noise words, but they come.
test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = mkdtempSync(join(tmpdir(), 'studio-live-e2e-'));
  await importTestModel(dataDir, { vad: true });
  serve = await startServe({ dataDir });
  mkdirSync(screens, { recursive: true });
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

async function openLive(page: Page) {
  page.on('pageerror', (error) => console.log(`page error: ${error.stack ?? error.message}`));
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await page.getByRole('link', { name: 'Live' }).click();
  await expect(page.getByRole('heading', { name: 'Live captions' })).toBeVisible();
  // The only ready model is the default.
  await expect(page.getByLabel('Model')).toHaveValue('tiny-random');
}

const meterValue = async (page: Page) =>
  Number(await page.getByRole('meter', { name: 'Microphone level' }).getAttribute('aria-valuenow'));

/** The caption text on screen: committed and tentative words, without the placeholder. */
const captionText = (page: Page) =>
  page
    .getByRole('log', { name: 'Captions' })
    .locator('p:not(.caption-placeholder)')
    .allInnerTexts()
    .then((texts) => texts.join(' ').trim());

const toasts = (page: Page) => page.getByRole('region', { name: 'Notifications' });

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

test('captions the microphone live; Stop saves the session and opens it in the editor', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openLive(page);
  await expect(page.getByRole('checkbox', { name: /^Save the recording/ })).toBeChecked();
  await page.getByRole('button', { name: 'Start' }).click();

  // The fake microphone's speech moves the level meter, and the engine answers.
  await expect.poll(() => meterValue(page), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled();
  await expect(page.getByLabel('Elapsed time')).toHaveText(/^0:\d\d$/);
  // The sidebar says captions are running (they keep running in other sections).
  await expect(page.getByRole('link', { name: /^Live\W+captions running$/ })).toBeVisible();

  // Caption text (a partial or a final) appears; the 2-core machine decodes a window in ~1 s.
  await expect.poll(() => captionText(page), { timeout: 90_000 }).not.toBe('');
  await page.screenshot({ path: join(screens, 'live.png') });

  // The running view passes axe in both themes.
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    found.push(...(await axeViolations(page)).map((v) => `[live running, ${colorScheme}] ${v}`));
  }
  expect(found, found.join('\n')).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });

  // Leaving the view keeps the session running; coming back shows it still going.
  await page.getByRole('link', { name: /^Queue/ }).click();
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  await page.getByRole('link', { name: /^Live/ }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled();
  const before = await page.getByLabel('Elapsed time').textContent();

  // Stop: the engine finishes and saves the session, and the editor opens on its transcript.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page).toHaveURL(/#\/editor\/[^/?]+$/, { timeout: 120_000 });
  await expect(toasts(page)).toContainText('saved to the library');
  const transcriptId = decodeURIComponent(page.url().split('#/editor/')[1]!);
  const transcript = await serve.api<TranscriptView>(`/v1/transcripts/${transcriptId}`);
  const { media } = await serve.api<{ media: MediaItem[] }>('/v1/media');
  expect(media).toHaveLength(1);
  expect(media[0]!.id).toBe(transcript.mediaId);
  expect(media[0]!.durationSec).toBeGreaterThan(0);
  expect(before).toMatch(/^\d+:\d\d$/);
  await expect(page.locator('.transcript')).toBeVisible();

  // The library lists the recording.
  await page.getByRole('link', { name: 'Library' }).click();
  await expect(page.locator(`tbody tr[data-media-id="${media[0]!.id}"]`)).toBeVisible();
});

test('the caption overlay shows what the live view captions; unsaved sessions leave nothing', async ({
  context,
  page,
}) => {
  test.setTimeout(240_000);
  const { media: mediaBefore } = await serve.api<{ media: MediaItem[] }>('/v1/media');
  await openLive(page);
  const save = page.getByRole('checkbox', { name: /^Save the recording/ });
  await save.uncheck();

  // An overlay opened before the session (a second window on #/overlay) waits for captions.
  const overlay = await context.newPage();
  await overlay.setViewportSize({ width: 960, height: 220 });
  await overlay.goto(`${serve.url}/#/overlay`);
  const overlayText = overlay.getByTestId('overlay-captions');
  await expect(overlayText).toHaveText(/Captions appear here/);
  // The overlay is the only thing in its window.
  await expect(overlay.getByRole('navigation')).toHaveCount(0);

  // Start from the keyboard (the shortcut in the cheat sheet).
  await page.keyboard.press('?');
  const cheatSheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(cheatSheet.getByText('Start or stop live captions')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();

  await expect.poll(() => captionText(page), { timeout: 90_000 }).not.toBe('');
  await expect(overlayText).not.toHaveText(/Captions appear here|Listening…/, { timeout: 30_000 });
  const shown = (await overlayText.innerText()).trim();
  expect(shown.length).toBeGreaterThan(0);
  // What the overlay shows is the end of the live view's captions.
  const lastWord = shown.split(/\s+/).at(-1)!;
  expect(await captionText(page)).toContain(lastWord);
  await overlay.screenshot({ path: join(screens, 'overlay.png') });

  // Its size control applies (and is remembered for every overlay).
  const fontSize = () =>
    overlayText.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
  const sizeBefore = await fontSize();
  await overlay.getByRole('button', { name: 'Larger captions' }).click();
  expect(await fontSize()).toBeGreaterThan(sizeBefore);
  const found = (await axeViolations(overlay)).map((v) => `[overlay] ${v}`);
  expect(found, found.join('\n')).toEqual([]);
  await overlay.getByRole('button', { name: 'Smaller captions' }).click();

  // Present captions: in Chromium a Picture-in-Picture window (always on top) shows the overlay.
  await page.getByRole('button', { name: 'Present captions' }).click();
  const pipText = () =>
    page.evaluate(() => {
      type Pip = { documentPictureInPicture?: { window: Window | null } };
      const pip = (window as unknown as Pip).documentPictureInPicture?.window;
      return pip?.document.querySelector('[data-testid="overlay-captions"]')?.textContent ?? null;
    });
  await expect.poll(pipText, { timeout: 30_000 }).toMatch(/\S/);
  expect(await pipText()).not.toMatch(/Captions appear here/);

  // Stop with the shortcut: without saving, nothing is added and the view stays.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('button', { name: 'Start' })).toBeVisible({ timeout: 120_000 });
  await expect(toasts(page)).toContainText('Nothing was saved');
  await expect(page).toHaveURL(/#\/live$/);
  const { media } = await serve.api<{ media: MediaItem[] }>('/v1/media');
  expect(media).toHaveLength(mediaBefore.length);
  // The captions stay on screen after the session.
  expect(await captionText(page)).not.toBe('');
});

test('a blocked microphone is explained, with how to allow it', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await openLive(page);
  await page.getByRole('button', { name: 'Start' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The microphone is blocked' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('address bar');
  await expect(alert).toContainText('Allow');
  // Nothing runs, and Start can be pressed again.
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await expect(page.getByRole('status').filter({ hasText: 'Not running' })).toBeVisible();
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toBeHidden();
});
