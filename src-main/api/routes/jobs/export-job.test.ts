import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../contract/jobs';
import { makeDocument, timedWords } from '../../../common/captions/__fixtures__/make-document';
import { broadcastRules } from '../../../engine/captions/presets';
import { wrapDocument } from '../../../common/captions/wrap';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { jobFinished } from '../../../engine/test-support/job-finished';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-export-job-'));
const dataDir = join(work, 'data');
/** Stands for the user's home: nothing here may be written by an API export. */
const home = join(work, 'home');
const bashrc = join(home, '.bashrc');
/** A folder the user allowed in Settings. */
const subtitles = join(work, 'Subtitles');
let engine: Engine;
let app: FastifyInstance;
let transcriber: Record<string, string>;
let admin: Record<string, string>;
let transcriptId: string;

beforeAll(async () => {
  mkdirSync(home, { recursive: true });
  mkdirSync(subtitles, { recursive: true });
  writeFileSync(bashrc, 'export PATH=$HOME/bin:$PATH\n');
  engine = createEngine({ dataDir });
  await engine.jobs.start();
  app = await buildApp({ engine });
  transcriber = {
    authorization: `Bearer ${engine.tokens.createToken({ scopes: ['read', 'transcribe'] }).token}`,
  };
  admin = { authorization: `Bearer ${engine.tokens.createToken({ scopes: ['admin'] }).token}` };
  const file = join(work, 'Interview.wav');
  copyFileSync(speech.jfk, file);
  const media = await engine.media.add(file);
  transcriptId = engine.repos.transcripts.insert({
    mediaId: media.id,
    modelId: 'test',
    language: 'en',
    document: wrapDocument(
      makeDocument([timedWords('Ask not what your country can do.')]),
      broadcastRules(),
    ),
  }).id;
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const exportJob = (params: Record<string, unknown>, headers = transcriber) =>
  app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers,
    payload: { kind: 'export', params: { transcriptId, format: 'srt', ...params } },
  });

const run = async (params: Record<string, unknown>, headers = transcriber) => {
  const response = await exportJob(params, headers);
  expect(response.statusCode, response.body).toBe(202);
  return jobFinished(engine, (response.json() as JobView).id);
};

describe('export jobs write only where the studio may write', () => {
  it('refuses a path outside the exports folders at submit, and never touches the file', async () => {
    const response = await exportJob({ format: 'txt', path: bashrc });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      code: 'PATH_NOT_ALLOWED',
      message: expect.stringMatching(/exports/),
    });
    expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
  });

  it('refuses a bad format, a relative path and traversal at submit with 400', async () => {
    for (const params of [
      { format: 'pdf' },
      { path: 'subs/x.srt' },
      { path: 'C:/../../x.srt' },
      { path: `${join(dataDir, 'exports')}/../library.db` },
      { path: `${join(dataDir, 'exports')}/a\u0000.srt` },
    ]) {
      const response = await exportJob(params);
      expect(response.statusCode, JSON.stringify(params)).toBe(400);
      expect(response.json().error.code).toBe('INVALID_ARGUMENT');
    }
    expect(existsSync(join(dataDir, 'library.db'))).toBe(true);
  });

  it('writes into the exports folder of the data folder by default, named after the media', async () => {
    const done = await run({});
    expect(done.state).toBe('completed');
    const file = join(dataDir, 'exports', 'Interview.srt');
    expect(done.result).toMatchObject({ path: file, format: 'srt' });
    expect(readFileSync(file, 'utf8')).toMatch(/^1\n00:00:00,000 --> /);

    // A file the studio made may be replaced by the next export of the same name.
    const again = await run({ path: file });
    expect(again.state).toBe('completed');
  });

  it('never follows a symbolic link out of the exports folder', async () => {
    const exportsDir = join(dataDir, 'exports');
    mkdirSync(exportsDir, { recursive: true });
    symlinkSync(bashrc, join(exportsDir, 'link.srt'));
    symlinkSync(home, join(exportsDir, 'home-link'));

    const viaFile = await exportJob({ path: join(exportsDir, 'link.srt') });
    expect(viaFile.statusCode).toBe(403);
    const viaFolder = await exportJob({ path: join(exportsDir, 'home-link', '.bashrc') });
    expect(viaFolder.statusCode).toBe(403);
    expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
  });

  it('checks again when the job runs: a link planted after the submit is not followed', async () => {
    const second = createEngine({ dataDir: join(work, 'data-2') });
    const secondApp = await buildApp({ engine: second });
    try {
      const token = second.tokens.createToken({ scopes: ['transcribe'] }).token;
      const media = await second.media.add(join(work, 'Interview.wav'));
      const id = second.repos.transcripts.insert({
        mediaId: media.id,
        modelId: 'test',
        language: 'en',
        document: engine.repos.transcripts.get(transcriptId)!.document,
      }).id;
      const target = join(work, 'data-2', 'exports', 'planted.srt');
      // The runner is not started yet, so the job waits between the check and the write.
      const response = await secondApp.inject({
        method: 'POST',
        url: '/v1/jobs',
        headers: { authorization: `Bearer ${token}` },
        payload: { kind: 'export', params: { transcriptId: id, format: 'srt', path: target } },
      });
      expect(response.statusCode, response.body).toBe(202);
      symlinkSync(bashrc, target);
      await second.jobs.start();
      const done = await jobFinished(second, (response.json() as JobView).id);
      expect(done).toMatchObject({ state: 'failed', error: { code: 'PATH_NOT_ALLOWED' } });
      expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
    } finally {
      await secondApp.close();
      await second.shutdown();
    }
  });

  it('writes into folders allowed in Settings, and replaces a file it did not make only with overwrite and admin', async () => {
    const mine = join(subtitles, 'Interview.srt');
    writeFileSync(mine, 'my own subtitles\n');
    const refused = await exportJob({ path: mine });
    expect(refused.statusCode).toBe(403); // not allowed yet
    engine.settings.update({ exportFolders: [subtitles] });

    const exists = await exportJob({ path: mine });
    expect(exists.statusCode).toBe(409);
    expect(exists.json().error.message).toMatch(/overwrite/);
    const notAdmin = await exportJob({ path: mine, overwrite: true });
    expect(notAdmin.statusCode).toBe(403);
    expect(notAdmin.json().error.code).toBe('FORBIDDEN_SCOPE');
    expect(readFileSync(mine, 'utf8')).toBe('my own subtitles\n');

    const fresh = await run({ path: join(subtitles, 'new.srt') });
    expect(fresh.state).toBe('completed');
    const replaced = await run({ path: mine, overwrite: true }, admin);
    expect(replaced.state).toBe('completed');
    expect(readFileSync(mine, 'utf8')).toMatch(/^1\n/);
  });
});
