// Errors reach the person who can act (issue 16): an engine error carries a code and facts, and
// the app words the remedy in its own terms ("Open Models and download …"), never the CLI's
// (`npx studio …`, `npm run cli …`) or the API's (`POST /v1/…`).
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import type { JobView } from '../src-main/contract/jobs';
import type { MediaItem } from '../src-main/contract/media';
import { importTestModel, startServe, type ServeProcess } from './serve-process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = join(import.meta.dirname, '..');
const jfk = join(root, 'test-data', 'fixtures', 'speech', 'jfk.wav');
/** Words of the other faces, which the app must not show. */
const otherFaces = /npx studio|npm run|`studio |\/v1\//;

let serve: ServeProcess | undefined;
let dataDir: string | undefined;

test.afterEach(async () => {
  if (serve) expect(await serve.stop()).toBe(0);
  serve = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const nav = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

test('transcribing with no model installed says, in the app, where to get one', async ({
  page,
}) => {
  test.setTimeout(120_000);
  serve = await startServe();
  await page.goto(serve.uiUrl);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();

  await page.getByLabel('Choose files to import').setInputFiles(jfk);
  const imports = page.getByRole('region', { name: 'Imports' });
  await expect(imports.locator('[data-import-state="added"]')).toContainText('jfk.wav');
  await imports.getByRole('button', { name: 'Transcribe jfk.wav' }).click();

  const toast = page
    .getByRole('region', { name: 'Notifications' })
    .locator('.toast.error', { hasText: 'No Whisper model is installed.' });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('Open Models and download a Whisper model');
  await expect(toast).toContainText('or import a ggml file there.');
  expect(await toast.innerText()).not.toMatch(otherFaces);

  // The same refusal through the API words it in HTTP terms, for the same facts.
  const { id: mediaId } = (await serve.api<{ media: MediaItem[] }>('/v1/media')).media[0]!;
  const response = await fetch(`${serve.url}/v1/jobs`, {
    method: 'POST',
    headers: { ...serve.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'transcribe', mediaId }),
  });
  expect(response.status).toBe(409);
  const { error } = (await response.json()) as {
    error: { code: string; message: string; remedy: string; details: { modelId: string } };
  };
  expect(error.code).toBe('MODEL_NOT_READY');
  expect(error.remedy).toContain(`POST /v1/models/${error.details.modelId}/download`);
  expect(error.message).toBe(`No Whisper model is installed. ${error.remedy}`);
});

test('a job that fails for a missing model says in the Queue how to get it', async ({ page }) => {
  test.setTimeout(180_000);
  // The Whisper model but not the voice-activity model finding speakers needs.
  dataDir = mkdtempSync(join(tmpdir(), 'studio-e2e-errors-'));
  await importTestModel(dataDir);
  serve = await startServe({ dataDir });
  const media = await serve.api<MediaItem>('/v1/media', {
    method: 'POST',
    body: JSON.stringify({ path: jfk }),
  });
  const job = await serve.api<JobView>('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify({
      kind: 'transcribe',
      mediaId: media.id,
      params: { modelId: 'tiny-random', language: 'en', speakers: { mode: 'auto' } },
    }),
  });

  await page.goto(serve.uiUrl);
  await nav(page, 'Queue');
  const row = page.locator(`li[data-job-id="${job.id}"]`);
  const reason = row.locator('.job-error');
  await expect(reason).toBeVisible({ timeout: 90_000 });
  await expect(reason).toContainText(
    'Finding speakers needs the voice-activity model "silero-vad-v6.2.0"',
  );
  await expect(reason).toContainText(
    'Open Models and download "silero-vad-v6.2.0", or import its file there.',
  );
  expect(await reason.innerText()).not.toMatch(otherFaces);
});
