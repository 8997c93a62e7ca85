/**
 * One pipeline: the same media with the same effective settings gives the same document whichever
 * face started it — a job from the API, the CLI, the OpenAI-compatible endpoint, and a span
 * re-transcription over the whole length. The Settings' defaults (language, caption preset) are
 * set away from the built-in ones, so a face that ignores them shows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../contract/document';
import type { OpenaiVerboseTranscription } from '../contract/openai';
import { createEngine, type Engine } from '../engine/create-engine';
import { validateDocument } from '../engine/documents/validate';
import { jobFinished } from '../engine/test-support/job-finished';
import { speech, testModels } from '../engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../engine/whisper/test-model/make-test-model';
import { documentText } from './routes/openai/responses';
import { startServer, type RunningServer } from './server';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'studio-faces-'));
/** Not the built-in defaults ('auto', 'broadcast'): each face must take them from Settings. */
const settings = { defaultLanguage: 'en', defaultPreset: 'social' } as const;
let engine: Engine;
let server: RunningServer;
let token: string;

async function installModels(target: Engine) {
  await target.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  await target.models.importFile(testModels.sileroVad);
  target.settings.update(settings);
}

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'server') });
  await installModels(engine);
  await engine.jobs.start();
  server = await startServer({ engine });
  token = engine.tokens.createToken({ name: 'faces', scopes: ['transcribe'] }).token;
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const api = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
  const body: unknown = await response.json();
  return { status: response.status, body };
};

const postJob = async (body: object) => {
  const { status, body: job } = await api('/v1/jobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(status).toBe(202);
  const finished = await jobFinished(engine, (job as { id: string }).id);
  expect(finished.error).toBeNull();
  expect(finished.state).toBe('completed');
  return engine.transcriptions.transcriptOf(finished)!;
};

const documentOf = (transcriptId: string) => engine.repos.transcripts.get(transcriptId)!.document;

/** The document without what names or dates this copy: ids and the time it was made. */
function comparable(doc: TranscriptDocument) {
  const speakerNames = new Map(doc.speakers.map((s) => [s.id, s.name]));
  return {
    ...doc,
    $schema: undefined,
    speakers: doc.speakers.map((s) => s.name),
    segments: doc.segments.map(({ id: _id, speaker, lines, ...segment }) => ({
      ...segment,
      speaker: speaker && speakerNames.get(speaker),
      lines: lines.map((line) => ({
        ...line,
        words: line.words.map(({ id: _word, speaker: who, ...word }) => ({
          ...word,
          speaker: who && speakerNames.get(who),
        })),
      })),
    })),
    corrections: doc.corrections.map(({ wordId: _wordId, ...correction }) => correction),
    source: { ...doc.source, createdAt: undefined },
  };
}

describe('every face runs the one pipeline', () => {
  it('the API, the CLI, the OpenAI endpoint and a whole-length span give the same document', async () => {
    // The API: a transcription job with nothing but the media.
    const media = await engine.media.add(speech.jfk);
    const fromApi = documentOf(await postJob({ kind: 'transcribe', mediaId: media.id }));
    expect(fromApi.segments.length).toBeGreaterThan(0);
    expect(fromApi.language).toBe('en');
    expect(fromApi.captions.preset).toBe('social');

    // The CLI, on a data folder of its own with the same models and settings, no flags but the
    // output: JSON export of the document it stored.
    const cliData = join(work, 'cli');
    const cliEngine = createEngine({ dataDir: cliData });
    await installModels(cliEngine);
    await cliEngine.shutdown();
    const out = join(work, 'out');
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'src-main/cli/main.ts',
        '--data-dir',
        cliData,
        'transcribe',
        speech.jfk,
        '--format',
        'json',
        '--out',
        out,
      ],
      { cwd: root, timeout: 120_000 },
    );
    const fromCli = validateDocument(JSON.parse(readFileSync(join(out, 'jfk.json'), 'utf8')));

    // The OpenAI endpoint's pipeline (engine level: the whole document) and its answer.
    const oneOff = await engine.transcriptions.transcribeFile({
      file: speech.jfk,
      params: { speakers: { mode: 'off' } },
      signal: new AbortController().signal,
    });
    const form = new FormData();
    form.append('file', new Blob([readFileSync(speech.jfk)]), 'jfk.wav');
    form.append('model', 'whisper-1');
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'word');
    const openai = await api('/v1/audio/transcriptions', { method: 'POST', body: form });
    expect(openai.status).toBe(200);
    const answer = openai.body as OpenaiVerboseTranscription;

    // The editor's "transcribe again" over the whole length of the API's transcript.
    const apiTranscript = engine.repos.transcripts
      .listForMedia(media.id)
      .find((t) => t.status === 'complete')!;
    const spanId = await postJob({
      kind: 'retranscribe-span',
      params: { transcriptId: apiTranscript.id, startMs: 0, endMs: fromApi.durationMs },
    });
    const fromSpan = documentOf(spanId);

    const expected = comparable(fromApi);
    expect(comparable(fromCli)).toEqual(expected);
    expect(comparable(oneOff.document)).toEqual(expected);
    expect(comparable(fromSpan)).toEqual(expected);
    expect(answer.language).toBe('english');
    expect(answer.text).toBe(documentText(fromApi));
    expect(answer.words?.map((w) => w.word)).toEqual(
      fromApi.segments.flatMap((s) => s.lines.flatMap((l) => l.words.map((w) => w.text))),
    );
  }, 240_000);
});
