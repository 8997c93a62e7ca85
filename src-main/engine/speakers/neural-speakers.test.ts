/**
 * Speakers found by the neural path in a real transcription job: the synthetic Whisper model in
 * the whisper worker and sherpa-onnx in the diarization worker, one after the other in one
 * engine, with dummy segmentation and embedding models imported like a user's files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../contract/document';
import type { Engine } from '../create-engine';
import { FALLBACK_DIARIZER_NOTE } from '../diarization/fallback-diarizer';
import { embeddingModel, segmentationModel } from '../diarization/neural/__fixtures__/dummy-models';
import {
  renderTones,
  TWO_TONE_SECONDS,
  TWO_TONE_TURNS,
  writeWav16k,
} from '../diarization/neural/__fixtures__/tone-voices';
import { MAX_NEURAL_AUDIO_SEC } from '../diarization/neural/neural-diarizer';
import { readyNeuralModels } from '../diarization/neural/neural-models';
import { createTestEngine } from '../test-support/test-engine';
import { findSpeakers } from './find-speakers';
import { jobFinished } from '../test-support/job-finished';

const work = mkdtempSync(join(tmpdir(), 'studio-neural-speakers-'));
const recording = join(work, 'two tones.wav');
let engine: Engine;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  writeWav16k(recording, renderTones(TWO_TONE_TURNS, TWO_TONE_SECONDS));
}, 120_000);
afterAll(async () => {
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const finished = (id: string) => jobFinished(engine, id);

async function transcribe(params: Record<string, unknown>) {
  const item = await engine.media.add(recording);
  const job = await engine.jobs.submit({
    kind: 'transcribe',
    mediaId: item.id,
    // No VAD pass: Silero hears no speech in pure tones, and the draft must have words.
    params: { modelId: 'tiny-random', language: 'en', vad: false, ...params },
  });
  const done = await finished(job.id);
  expect(done.state, JSON.stringify(done.error)).toBe('completed');
  const transcriptId = (done.result as { transcriptId: string }).transcriptId;
  return {
    transcriptId,
    doc: engine.repos.transcripts.get(transcriptId)!.document as TranscriptDocument,
  };
}

const importModel = async (name: string, bytes: Uint8Array, kind: 'segmentation' | 'embedding') => {
  const file = join(work, name);
  writeFileSync(file, bytes);
  return engine.models.importFile(file, { id: name.replace('.onnx', ''), kind });
};

describe('speakers with the neural models installed', () => {
  it('uses the fallback while only the segmentation model is installed', async () => {
    await importModel('test-segmentation.onnx', segmentationModel(), 'segmentation');
    const { transcriptId, doc } = await transcribe({ speakers: { mode: 'auto' } });
    expect(doc.notes).toContain(FALLBACK_DIARIZER_NOTE);
    // Silero hears no speech in the tones, so the fallback finds nobody.
    expect(doc.speakers).toEqual([]);
    expect(engine.repos.voices.prints(transcriptId)).toEqual([]);
  }, 120_000);

  it('finds the two voices with the neural models once both are installed', async () => {
    const imported = await importModel('test-embedding.onnx', embeddingModel(), 'embedding');
    expect(imported).toMatchObject({ id: 'test-embedding', kind: 'embedding', status: 'ready' });
    // Same file and settings as before: the installed models make it miss the result cache.
    const { transcriptId, doc } = await transcribe({ speakers: { mode: 'auto' } });

    expect(doc.notes).not.toContain(FALLBACK_DIARIZER_NOTE);
    expect(doc.notes).toContain(
      'Speakers were found by the neural diarization models test-segmentation (segmentation) and test-embedding (speaker embeddings).',
    );
    const { speakers, diarizer } = engine.voices.speakers(transcriptId);
    expect(diarizer).toBe('neural');
    expect(doc.speakers).toHaveLength(2);

    // Each word has the speaker of the voice it overlaps most: one voice, one speaker.
    const words = doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    const speakerOfVoice = new Map<string, string | null>();
    for (const word of words) {
      const overlap = (voice: string) =>
        TWO_TONE_TURNS.filter((t) => t.speaker === voice).reduce(
          (sum, t) =>
            sum +
            Math.max(0, Math.min(word.end / 1000, t.end) - Math.max(word.start / 1000, t.start)),
          0,
        );
      const [dark, bright] = [overlap('dark'), overlap('bright')];
      if (dark === bright) continue;
      const voice = dark > bright ? 'dark' : 'bright';
      if (!speakerOfVoice.has(voice)) speakerOfVoice.set(voice, word.speaker);
      expect(word.speaker).toBe(speakerOfVoice.get(voice));
    }
    expect(speakerOfVoice.size).toBe(2);
    expect(new Set(speakerOfVoice.values())).toEqual(new Set(doc.speakers.map((s) => s.id)));

    const prints = engine.repos.voices.prints(transcriptId);
    expect(prints.map((p) => p.kind)).toEqual(doc.speakers.map(() => 'neural:test-embedding'));
    for (const p of prints) expect(p.print).toHaveLength(192);
    expect(speakers.every((s) => s.canRemember && s.suggestion === null)).toBe(true);
  }, 120_000);

  it('suggests a remembered voice in a later recording by its neural print', async () => {
    const first = await transcribe({ speakers: { mode: 'auto' } });
    const voice = engine.voices.remember(first.transcriptId, 'spk1', 'Low voice');
    expect(voice.kind).toBe('neural:test-embedding');
    // Another caption preset: a new transcription rather than an answer from the cache.
    const second = await transcribe({ speakers: { mode: 'auto' }, preset: 'social' });
    const { speakers } = engine.voices.speakers(second.transcriptId);
    const suggested = speakers.filter((s) => s.suggestion !== null);
    expect(suggested.map((s) => s.id)).toEqual(['spk1']);
    expect(suggested[0]!.suggestion).toMatchObject({ voiceId: voice.id, name: 'Low voice' });
    expect(suggested[0]!.suggestion!.distance).toBeLessThan(0.05);
    engine.voices.forget(voice.id);
    expect(engine.voices.speakers(second.transcriptId).speakers.every((s) => !s.suggestion)).toBe(
      true,
    );
  }, 180_000);

  it('leaves recordings over the memory bound to the fallback, and says so', async () => {
    const models = readyNeuralModels(engine.models, () => null)!;
    expect(models).toMatchObject({
      segmentation: { id: 'test-segmentation' },
      embedding: { id: 'test-embedding' },
    });
    const found = await findSpeakers({
      tools: await engine.media.tools(),
      file: recording,
      streamIndex: 0,
      channels: 1,
      durationSec: MAX_NEURAL_AUDIO_SEC + 1,
      detection: { mode: 'auto' },
      speech: null,
      vadModel: engine.models.resolvePath('silero-vad-v6.2.0'),
      neural: { service: engine.diarization, models },
      diarization: engine.diarization,
      signal: new AbortController().signal,
    });
    expect(found.diarizer).toBe('fallback');
    expect(found.note).toMatch(
      /The installed neural models were not used: the recording is longer than 60 minutes/,
    );
  }, 60_000);
});
