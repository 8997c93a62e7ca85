/**
 * After Stop, no caption window keeps showing the last caption: the Picture-in-Picture window
 * and a pop-up the studio opened close, and an overlay the person opened themselves (which a
 * page may not close) goes back to its waiting text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { speech } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import config from '../playwright.config';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

let serve: ServeProcess;
let dataDir: string;

// Chromium's fake microphone plays jfk.wav into getUserMedia; its fake prompt allows it.
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

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = mkdtempSync(join(tmpdir(), 'studio-live-captions-e2e-'));
  await importTestModel(dataDir, { vad: true });
  serve = await startServe({ dataDir });
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

/** The caption text of the live view (committed and tentative words). */
const captionText = (page: Page) =>
  page
    .getByRole('log', { name: 'Captions' })
    .locator('p:not(.caption-placeholder)')
    .allInnerTexts()
    .then((texts) => texts.join(' ').trim());

/** The text of the overlay in the Picture-in-Picture window, or null when there is none. */
const pipText = (page: Page) =>
  page.evaluate(() => {
    type Api = { window: Window | null };
    type Pip = { documentPictureInPicture?: Api; hiddenPictureInPicture?: Api };
    const api = (window as unknown as Pip).hiddenPictureInPicture;
    const pip = (api ?? (window as unknown as Pip).documentPictureInPicture)?.window;
    return pip?.document.querySelector('[data-testid="overlay-captions"]')?.textContent ?? null;
  });

test('Stop closes the caption windows; an overlay that cannot be closed stops showing the last caption', async ({
  context,
  page,
}) => {
  test.setTimeout(240_000);
  page.on('pageerror', (error) => console.log(`page error: ${error.stack ?? error.message}`));
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(serve.uiUrl);
  await page.getByRole('link', { name: 'Live' }).click();
  await expect(page.getByRole('heading', { name: 'Live captions' })).toBeVisible();
  await page.getByRole('checkbox', { name: /^Save the recording/ }).uncheck();

  // An overlay the person opened in a tab of their own.
  const tab = await context.newPage();
  await tab.goto(`${serve.url}/#/overlay`);
  const tabText = tab.getByTestId('overlay-captions');
  await expect(tabText).toHaveText(/Captions appear here/);

  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(() => captionText(page), { timeout: 90_000 }).not.toBe('');

  // Present captions: the Picture-in-Picture window; then, with the API hidden as in browsers
  // without it, the pop-up on #/overlay those get.
  await page.getByRole('button', { name: 'Present captions' }).click();
  await expect.poll(() => pipText(page), { timeout: 30_000 }).toMatch(/\S/);
  await page.evaluate(() => {
    const api: unknown = Reflect.get(window, 'documentPictureInPicture');
    Object.defineProperty(window, 'hiddenPictureInPicture', { value: api });
    Object.defineProperty(window, 'documentPictureInPicture', { value: undefined });
  });
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: 'Present captions' }).click(),
  ]);
  const popupText = popup.getByTestId('overlay-captions');
  await expect(popupText).not.toHaveText(/Captions appear here|Listening…/, { timeout: 30_000 });
  await expect(tabText).not.toHaveText(/Captions appear here|Listening…/, { timeout: 30_000 });
  const lastCaption = (await tabText.innerText()).trim();
  expect(lastCaption.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Start' })).toBeVisible({ timeout: 120_000 });
  // The live view keeps its captions…
  expect(await captionText(page)).not.toBe('');
  // …but the caption windows close,
  await expect.poll(() => pipText(page), { timeout: 10_000 }).toBeNull();
  await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
  // and the tab the studio may not close waits for the next session instead.
  await expect(tabText).toHaveText(/Captions appear here/, { timeout: 10_000 });
});
