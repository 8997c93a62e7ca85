import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { JobView } from '../src-main/contract/jobs';
import { speech } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { importTestModel, startServe, type ServeProcess } from './serve-process';

// One serve for the whole file (a restart keeps its data folder and port), so run in order.
test.describe.configure({ mode: 'serial' });

let serve: ServeProcess;
let dataDir: string;
let mediaId: string;
let transcriptId: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), 'studio-session-e2e-'));
  await importTestModel(dataDir);
  serve = await startServe({ dataDir });
  ({ mediaId, transcriptId } = await serve.transcribe(speech.jfk));
});

test.afterAll(async () => {
  expect(await serve.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

const signInHeading = (page: Page) =>
  page.getByRole('heading', { name: 'Sign in to Transcription Studio' });
const engineStatus = (page: Page) => page.getByRole('banner').getByRole('status');

/** Nothing of the signed-in studio is on screen: no raw API text, no status that contradicts it. */
async function expectOnlySignIn(page: Page) {
  await expect(signInHeading(page)).toBeVisible();
  await expect(page.getByText(/Authorization: Bearer/)).toHaveCount(0);
  await expect(page.getByText('Engine ready')).toHaveCount(0);
  await expect(page.getByText(/Offline/)).toHaveCount(0);
  await expect(page.getByRole('navigation')).toHaveCount(0);
}

test('a browser without a session gets the sign-in screen; the printed link pasted there signs it in', async ({
  page,
}) => {
  // The banner names a command that exists, as every face does.
  expect(serve.output()).toContain('`npx studio token create --scopes read,transcribe`');
  expect(serve.output()).not.toMatch(/[^x] studio token create|`studio token create/);
  await page.goto(`${serve.url}/`);
  await expectOnlySignIn(page);
  // It says where the link comes from.
  await expect(page.getByText('Open the studio:', { exact: false }).first()).toBeVisible();
  await expect(page.getByText(/terminal/).first()).toBeVisible();

  // A wrong token is refused in place.
  await page.getByLabel('Link or token').fill('sts_this-is-not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/not valid/);
  await expect(signInHeading(page)).toBeVisible();

  // The whole printed line's link, pasted.
  await page.getByLabel('Link or token').fill(serve.uiUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(engineStatus(page)).toHaveText('Engine ready');
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();

  // The session is an HttpOnly, SameSite=Strict cookie: page scripts never see it.
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name.startsWith('studio_session_'))).toMatchObject({
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
  });
  expect(await page.evaluate(() => document.cookie)).toBe('');
});

test('the printed link opened in a tab showing the sign-in screen signs it in and leaves the address bar', async ({
  page,
}) => {
  await page.goto(`${serve.url}/`);
  await expect(signInHeading(page)).toBeVisible();
  // Only the fragment changes: the same document, told by `hashchange`.
  await page.goto(serve.uiUrl);
  await expect(engineStatus(page)).toHaveText('Engine ready');
  await expect(signInHeading(page)).toHaveCount(0);
  expect(page.url()).toBe(`${serve.url}/`);
});

test('signed in once, a second tab opens an editor link', async ({ context }) => {
  const first = await context.newPage();
  await first.goto(serve.uiUrl);
  await expect(engineStatus(first)).toHaveText('Engine ready');

  const second = await context.newPage();
  await second.goto(`${serve.url}/#/editor/${transcriptId}`);
  await expect(second.locator('.transcript [data-word-id]').first()).toBeVisible();
  await expect(second.getByText('This transcript could not be opened')).toHaveCount(0);
  // A reload keeps it too (the cookie, not the tab's storage).
  await second.reload();
  await expect(second.locator('.transcript [data-word-id]').first()).toBeVisible();
});

test('signing out in one tab signs out every tab of this browser, each saying why', async ({
  context,
}) => {
  const first = await context.newPage();
  await first.goto(serve.uiUrl);
  await expect(engineStatus(first)).toHaveText('Engine ready');
  const second = await context.newPage();
  await second.goto(`${serve.url}/#/queue`);
  await expect(second.getByRole('heading', { name: 'Queue' })).toBeVisible();

  await first.getByRole('button', { name: 'Sign out' }).click();
  await expect(signInHeading(first)).toBeVisible();
  await expect(first.getByRole('alert')).toContainText('You signed out');
  // The other tab's live connection ends with the session: it shows the sign-in screen by itself.
  await expect(signInHeading(second)).toBeVisible({ timeout: 20_000 });
  await expect(second.getByRole('alert')).toContainText("This browser's session ended");
  await expectOnlySignIn(second);
});

test('after serve restarts on the same data folder and port, the open tab recovers by itself', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(serve.uiUrl);
  await expect(engineStatus(page)).toHaveText('Engine ready');
  await page.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();

  const port = Number(new URL(serve.url).port);
  expect(await serve.stop()).toBe(0);

  // While it is away the page says so plainly, and its controls are not live.
  const away = page.getByRole('alert').filter({ hasText: 'not answering' });
  await expect(away).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.main-column')).toHaveAttribute('inert', '');

  serve = await startServe({ dataDir, port });
  expect(serve.url).toBe(`http://127.0.0.1:${port}`);

  await expect(away).toHaveCount(0, { timeout: 30_000 });
  await expect(engineStatus(page)).toHaveText('Engine ready');
  await expect(page.getByText(/Offline/)).toHaveCount(0);
  await expect(page.locator('.main-column')).not.toHaveAttribute('inert', '');
  // Live again: a job submitted now shows up in the open Queue.
  const job = await serve.api<JobView>('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify({
      kind: 'transcribe',
      mediaId,
      params: { modelId: 'tiny-random', language: 'en' },
    }),
  });
  await expect(page.locator(`li[data-job-id="${job.id}"]`)).toBeVisible();
});

test('when the session did not survive a restart, the tab says the studio restarted and how to get back in', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(serve.uiUrl);
  await expect(engineStatus(page)).toHaveText('Engine ready');

  const port = Number(new URL(serve.url).port);
  expect(await serve.stop()).toBe(0);
  // Deleting the key ends every browser session (as a new data folder would).
  rmSync(join(dataDir, 'browser-session.key'));
  serve = await startServe({ dataDir, port });

  await expect(signInHeading(page)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('alert')).toContainText('The studio restarted');
  await expectOnlySignIn(page);
  await page.getByLabel('Link or token').fill(serve.uiUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(engineStatus(page)).toHaveText('Engine ready');
});
