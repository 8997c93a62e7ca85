/**
 * Speakers through the API, on a real engine: transcription jobs with speaker detection (the
 * synthetic Whisper model, the real Silero VAD and the built-in fallback diarizer), the speaker
 * list, remembering a voice, the suggestion in another transcript of the same voices,
 * confirming it, forgetting the voice, and the errors.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../../contract/document';
import type { JobView } from '../../../contract/jobs';
import type { MediaItem } from '../../../contract/media';
import type { TranscriptSpeaker } from '../../../contract/speakers';
import type { TranscriptView } from '../../../contract/transcripts';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { jobFinished } from '../../../engine/test-support/job-finished';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { diarizationDir } from '../../../engine/diarization/__fixtures__/diarization-fixtures';
import { FALLBACK_DIARIZER_NOTE } from '../../../engine/diarization/fallback-diarizer';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-speakers-'));
let engine: Engine;
let app: FastifyInstance;
let auth: Record<string, string>;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  app = await buildApp({ engine });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
}, 120_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  return app.inject({ method, url, headers: auth, ...(payload && { payload }) });
}

async function addMedia(source: string, name: string): Promise<MediaItem> {
  const file = join(work, name);
  copyFileSync(source, file);
  const added = await call('POST', '/v1/media', { path: file });
  expect(added.statusCode).toBe(201);
  return added.json() as MediaItem;
}

async function transcribe(mediaId: string, params: object): Promise<JobView> {
  const submitted = await call('POST', '/v1/jobs', {
    kind: 'transcribe',
    mediaId,
    params: { modelId: 'tiny-random', ...params },
  });
  expect(submitted.statusCode).toBe(202);
  const id = (submitted.json() as JobView).id;
  for (;;) {
    const job = (await call('GET', `/v1/jobs/${id}`)).json() as JobView;
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const transcriptOf = (job: JobView) => (job.result as { transcriptId: string }).transcriptId;
const getTranscript = async (id: string) =>
  (await call('GET', `/v1/transcripts/${id}`)).json() as TranscriptView;
const getSpeakers = async (id: string) => {
  const response = await call('GET', `/v1/transcripts/${id}/speakers`);
  expect(response.statusCode).toBe(200);
  return response.json() as { speakers: TranscriptSpeaker[]; diarizer: string | null };
};
const words = (doc: TranscriptDocument) =>
  doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));

describe('speakers and the voice library', () => {
  let first: string;
  let voiceId: string;

  it('finds the speakers of a two-speaker recording as a stage of the job', async () => {
    const media = await addMedia(join(diarizationDir, 'sample.wav'), 'interview.wav');
    const job = await transcribe(media.id, { speakers: { mode: 'auto', count: 2 } });
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    first = transcriptOf(job);
    const { document } = await getTranscript(first);
    expect(document.notes).toContain(FALLBACK_DIARIZER_NOTE);
    expect(document.speakers.length).toBeGreaterThanOrEqual(1);
    const ids = new Set(document.speakers.map((s) => s.id));
    expect(words(document).length).toBeGreaterThan(0);
    for (const word of words(document)) expect(ids.has(word.speaker ?? '')).toBe(true);
    // Segments (captions) never mix speakers.
    for (const segment of document.segments) {
      for (const line of segment.lines) {
        for (const word of line.words) expect(word.speaker).toBe(segment.speaker);
      }
    }

    const { speakers, diarizer } = await getSpeakers(first);
    expect(diarizer).toBe('fallback');
    expect(speakers.map((s) => s.id)).toEqual(document.speakers.map((s) => s.id));
    for (const speaker of speakers) {
      expect(speaker).toMatchObject({ canRemember: true, voiceId: null, suggestion: null });
      expect(speaker.talkMs).toBeGreaterThan(0);
      expect(speaker.sample).not.toBeNull();
      expect(speaker.sample!.end - speaker.sample!.start).toBeLessThanOrEqual(5000);
    }
  }, 120_000);

  it('remembers a voice by name, which renames the speaker', async () => {
    const before = await getTranscript(first);
    const created = await call('POST', '/v1/voices', {
      transcriptId: first,
      speakerId: 'spk1',
      name: 'Alice',
    });
    expect(created.statusCode).toBe(201);
    const voice = created.json() as { id: string; name: string; transcripts: number };
    expect(voice).toMatchObject({ name: 'Alice', kind: 'fallback-spectrum-v1', transcripts: 1 });
    expect(voice).not.toHaveProperty('print');
    voiceId = voice.id;
    const after = await getTranscript(first);
    expect(after.version).toBe(before.version + 1);
    expect(after.document.speakers.find((s) => s.id === 'spk1')?.name).toBe('Alice');
    expect((await getSpeakers(first)).speakers[0]).toMatchObject({ name: 'Alice', voiceId });
    const list = (await call('GET', '/v1/voices')).json() as { voices: { id: string }[] };
    expect(list.voices.map((v) => v.id)).toEqual([voiceId]);
  });

  it('suggests the voice in another recording of it, and takes its name when confirmed', async () => {
    const copy = await addMedia(join(diarizationDir, 'sample.wav'), 'interview again.wav');
    // Another language setting: a new transcription, not an answer from the result cache.
    const job = await transcribe(copy.id, { language: 'en', speakers: { mode: 'auto', count: 2 } });
    expect(job.state).toBe('completed');
    const second = transcriptOf(job);
    const { speakers } = await getSpeakers(second);
    const suggested = speakers.filter((s) => s.suggestion !== null);
    expect(suggested.map((s) => s.id)).toEqual(['spk1']);
    expect(suggested[0]!.suggestion).toMatchObject({ voiceId, name: 'Alice', distance: 0 });

    const confirmed = await call('POST', `/v1/transcripts/${second}/speakers/spk1/confirm`, {
      voiceId,
    });
    expect(confirmed.statusCode).toBe(200);
    const after = (confirmed.json() as { speakers: TranscriptSpeaker[] }).speakers[0]!;
    expect(after).toMatchObject({ name: 'Alice', voiceId, suggestion: null });
    expect((await getTranscript(second)).document.speakers[0]!.name).toBe('Alice');
    const list = (await call('GET', '/v1/voices')).json() as { voices: { transcripts: number }[] };
    expect(list.voices[0]!.transcripts).toBe(2);

    // Forgetting the voice deletes it and its links; the names it gave stay.
    expect((await call('DELETE', `/v1/voices/${voiceId}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/v1/voices/${voiceId}`)).statusCode).toBe(404);
    expect(((await call('GET', '/v1/voices')).json() as { voices: unknown[] }).voices).toEqual([]);
    const forgotten = (await getSpeakers(second)).speakers[0]!;
    expect(forgotten).toMatchObject({ name: 'Alice', voiceId: null, suggestion: null });
    // Nothing left to suggest in the first transcript either.
    expect((await getSpeakers(first)).speakers.every((s) => s.suggestion === null)).toBe(true);
  }, 120_000);

  it('gives each channel its own speaker when asked, named after the channel', async () => {
    const stereo = await addMedia(speech.stereo, 'two microphones.wav');
    const job = await transcribe(stereo.id, { speakers: { mode: 'channels' } });
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    const id = transcriptOf(job);
    const { document } = await getTranscript(id);
    expect(document.speakers.map((s) => s.name).sort()).toEqual(
      expect.arrayContaining(document.speakers.length === 2 ? ['Left', 'Right'] : ['Left']),
    );
    const { speakers, diarizer } = await getSpeakers(id);
    expect(diarizer).toBe('channels');
    // No voice print is measured per channel: such speakers cannot be remembered.
    expect(speakers.every((s) => !s.canRemember)).toBe(true);
    const refused = await call('POST', '/v1/voices', {
      transcriptId: id,
      speakerId: document.speakers[0]!.id,
      name: 'Bob',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: { message: expect.stringMatching(/voice print/) },
    });
  }, 120_000);

  it('refuses what cannot work before transcribing, saying what to do', async () => {
    const mono = await addMedia(speech.jfk, 'mono.wav');
    const channels = await transcribe(mono.id, { speakers: { mode: 'channels' } });
    expect(channels.state).toBe('failed');
    expect(channels.error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/two or more channels.*find automatically/),
    });
    const both = await call('POST', '/v1/jobs', {
      kind: 'transcribe',
      mediaId: mono.id,
      params: { speakers: { mode: 'auto', count: 2, max: 3 } },
    });
    expect(both.statusCode).toBe(400);
    expect((await call('GET', '/v1/transcripts/nope/speakers')).statusCode).toBe(404);
    const unknown = await call('POST', '/v1/voices', {
      transcriptId: first,
      speakerId: 'spk99',
      name: 'X',
    });
    expect(unknown.statusCode).toBe(404);
  }, 60_000);

  it('needs the VAD model for speakers, and says where to get it', async () => {
    const bare = createEngine({ dataDir: join(work, 'bare') });
    await bare.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
    await bare.jobs.start();
    try {
      const item = await bare.media.add(speech.jfk);
      const job = bare.jobs.submit({
        kind: 'transcribe',
        mediaId: item.id,
        params: { modelId: 'tiny-random', speakers: { mode: 'auto' } },
      });
      const done = await jobFinished(bare, job.id);
      expect(done.state).toBe('failed');
      expect(done.error).toMatchObject({
        code: 'MODEL_NOT_READY',
        message: expect.stringMatching(/voice-activity model "silero-vad-v6\.2\.0"/),
        // Where to get it is worded by each face from these (src-main/common/remedies.ts).
        details: { modelId: 'silero-vad-v6.2.0', fix: 'download-model' },
      });
    } finally {
      await bare.shutdown();
    }
  }, 60_000);
});
