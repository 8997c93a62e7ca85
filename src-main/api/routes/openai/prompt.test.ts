/**
 * A `prompt` far over Whisper's budget through the real OpenAI-compatible endpoint: only its end
 * counts (as OpenAI documents), so it is cut before it reaches whisper.cpp. A 40,000-character
 * prompt used to crash the worker process (SIGSEGV in whisper.cpp's tokenizer) and 20,000
 * characters tied it up for about a minute.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { speech, testModels } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { startServer, type RunningServer } from '../../server';

const work = mkdtempSync(join(tmpdir(), 'studio-openai-prompt-'));
let engine: Engine;
let server: RunningServer;
let token: string;
/** The first 2 s of jfk.wav: little work for the test model, so the prompt's cost shows. */
let audio: Buffer;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  await engine.models.importFile(testModels.sileroVad);
  engine.settings.update({ defaultModel: 'tiny-random', workers: 1 });
  server = await startServer({ engine });
  token = engine.tokens.createToken({ name: 'openai', scopes: ['transcribe'] }).token;
  const clip = join(work, 'clip.wav');
  const { ffmpeg } = await engine.media.tools();
  execFileSync(ffmpeg, ['-v', 'error', '-i', speech.jfk, '-t', '2', clip]);
  audio = readFileSync(clip);
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

async function transcribe(prompt: string): Promise<{ status: number; body: string; ms: number }> {
  const form = new FormData();
  form.set('file', new Blob([audio], { type: 'audio/wav' }), 'clip.wav');
  form.set('model', 'whisper-1');
  form.set('prompt', prompt);
  const started = performance.now();
  const response = await fetch(`${server.url}/v1/audio/transcriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}

const workerPids = () => engine.whisper.status().workers.map((w) => w.pid);

describe('POST /v1/audio/transcriptions with a very long prompt', () => {
  it('answers normally and quickly, on the same worker process', async () => {
    const warm = await transcribe('Kubernetes, Helm.');
    expect(warm.status, warm.body).toBe(200);
    const pids = workerPids();
    expect(pids.length).toBeGreaterThan(0);
    const baseline = (await transcribe('Kubernetes, Helm.')).ms;

    const words = Array.from({ length: 6000 }, (_, i) => `word${i}`).join(' ');
    for (const prompt of ['a'.repeat(40_000), 'a'.repeat(20_000), words.slice(-40_000)]) {
      expect(prompt.length).toBeGreaterThanOrEqual(20_000);
      const answer = await transcribe(prompt);
      expect(answer.status, answer.body.slice(0, 500)).toBe(200);
      expect(JSON.parse(answer.body)).toHaveProperty('text');
      // The prompt's cut end costs tokenizing, not a minute.
      expect(answer.ms).toBeLessThan(baseline + 5000);
      expect(workerPids()).toEqual(pids);
    }
  }, 240_000);
});
