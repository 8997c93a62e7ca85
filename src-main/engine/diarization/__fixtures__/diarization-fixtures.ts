/**
 * The speaker-labelled recordings of test-data/fixtures/diarization (pyannote-audio test data,
 * MIT): each with its audio, its file id in the RTTM, the RTTM and, for dev00/dev01, the UEM.
 */
import { resolve } from 'node:path';

export const diarizationDir = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'test-data',
  'fixtures',
  'diarization',
);

/** The Silero VAD model (whisper.cpp ggml format) the engine's speech detection uses in tests. */
export const sileroVadModel = resolve(
  diarizationDir,
  '..',
  '..',
  'models',
  'whisper-test',
  'for-tests-silero-v6.2.0-ggml.bin',
);

export interface DiarizationFixture {
  /** The file id in the RTTM/UEM. */
  id: string;
  audio: string;
  rttm: string;
  uem: string | undefined;
}

export const diarizationFixtures: readonly DiarizationFixture[] = [
  { id: 'sample', audio: 'sample.wav', rttm: 'sample.rttm', uem: undefined },
  { id: 'dev00', audio: 'dev00.wav', rttm: 'debug.development.rttm', uem: 'debug.development.uem' },
  { id: 'dev01', audio: 'dev01.wav', rttm: 'debug.development.rttm', uem: 'debug.development.uem' },
].map((f) => ({
  id: f.id,
  audio: resolve(diarizationDir, f.audio),
  rttm: resolve(diarizationDir, f.rttm),
  uem: f.uem === undefined ? undefined : resolve(diarizationDir, f.uem),
}));
