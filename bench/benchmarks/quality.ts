/**
 * Quality against human labels, on the real recordings in test-data/fixtures:
 *
 * - VAD (always): the speech regions Silero v6.2.0 finds with the default settings
 *   (`detectSpeechRegions`, the path `studio vad` takes) scored against the speech of the RTTM
 *   speaker turns (the union of all speakers): sample.wav vs sample.rttm, dev00/dev01 vs
 *   debug.development.rttm inside debug.development.uem. Precision, recall and F1 over seconds,
 *   per file and overall (seconds summed over files), with no collar and with a ±0.25 s collar
 *   around each reference boundary (md-eval's usual setting).
 * - WER / CER (only with `--model <path>`): each speech fixture that has a human reference is
 *   transcribed in-process (greedy, language en, no VAD) and scored after `normalizeForWer`.
 *   Without --model, or with a weightless whisper.cpp test file, nothing is measured and the
 *   result says why. A synthetic model (random weights, from `make-test-model`) is measured when
 *   asked for, and the result says that its WER means nothing.
 * - Word timing error: not measured: the fixtures have no reference word times.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { decodeAll, decodeAudio } from '../../src-main/engine/media/decode';
import { resolveFfmpegTools } from '../../src-main/engine/media/ffmpeg-tools';
import {
  cer,
  combineErrorRates,
  wer,
  type ErrorRate,
} from '../../src-main/engine/quality/error-rate';
import { normalizeForWer } from '../../src-main/engine/quality/normalize';
import { readReferenceSpeech } from '../../src-main/engine/quality/rttm';
import {
  combineSpeechScores,
  speechRegionScore,
  type SpeechRegionScore,
} from '../../src-main/engine/quality/speech-score';
import { detectSpeechRegions, totalSpeechSec } from '../../src-main/engine/vad/speech-regions';
import {
  detectSpeech,
  freeModel,
  loadModel,
  transcribe,
} from '../../src-main/engine/whisper/addon';
import { testModels } from '../../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { defaultTestModelCacheDir } from '../../src-main/engine/whisper/test-model/make-test-model';
import type { Benchmark, BenchmarkOptions } from '../benchmark';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'test-data', 'fixtures');
const diarization = path.join(fixtures, 'diarization');
const speechDir = path.join(fixtures, 'speech');
const COLLAR_SEC = 0.25;

/** The VAD ground truth: audio, RTTM file id, RTTM file and optional UEM. */
const vadFixtures = [
  { id: 'sample', audio: 'sample.wav', rttm: 'sample.rttm', uem: undefined },
  { id: 'dev00', audio: 'dev00.wav', rttm: 'debug.development.rttm', uem: 'debug.development.uem' },
  { id: 'dev01', audio: 'dev01.wav', rttm: 'debug.development.rttm', uem: 'debug.development.uem' },
] as const;

/** The human references of test-data/fixtures/README.md (the "reference (human)" column). */
const werFixtures = [
  {
    id: 'jfk',
    file: 'jfk.wav',
    reference:
      'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.',
  },
  { id: 'goforward', file: 'goforward.wav', reference: 'go forward ten meters' },
  {
    id: 'librivox_0870',
    file: 'librivox/sense_and_sensibility_01_austen_64kb-0870.wav',
    reference:
      'and mister john dashwood had then leisure to consider how much there might be prudently in his power to do for them',
  },
  {
    id: 'librivox_0880',
    file: 'librivox/sense_and_sensibility_01_austen_64kb-0880.wav',
    reference: 'he was not an ill disposed young man',
  },
  {
    id: 'librivox_0890',
    file: 'librivox/sense_and_sensibility_01_austen_64kb-0890.wav',
    reference: 'unless to be rather cold hearted and rather selfish is to be ill disposed',
  },
  {
    id: 'librivox_0920',
    file: 'librivox/sense_and_sensibility_01_austen_64kb-0920.wav',
    reference:
      'had he married a more a amiable woman he might have been made still more respectable than he was',
  },
  {
    id: 'librivox_0930',
    file: 'librivox/sense_and_sensibility_01_austen_64kb-0930.wav',
    reference: 'he might even have been made amiable himself',
  },
  {
    id: 'librispeech_6930_75918_0000',
    file: 'librispeech/6930-75918-0000.flac',
    reference: 'concord returned to its place amidst the tents',
  },
] as const;

const TIMING_NOTE =
  'Word-timing error is not measured: the fixtures in test-data/ have human text references and ' +
  'RTTM speaker turns but no reference word times (a forced alignment or hand labels would be ' +
  'needed).';

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

async function measureVad(): Promise<Record<string, unknown>> {
  const tools = await resolveFfmpegTools();
  const deps = {
    decode: (file: string, options: Parameters<typeof decodeAudio>[2]) =>
      decodeAudio(tools, file, options),
    vadModelPath: testModels.sileroVad,
    // The bench process is not the engine: the addon runs here directly.
    detect: detectSpeech,
  };
  const figures: Record<string, unknown> = {};
  const strict: SpeechRegionScore[] = [];
  const collared: SpeechRegionScore[] = [];
  let audioSec = 0;
  let wallMs = 0;
  for (const fixture of vadFixtures) {
    const reference = await readReferenceSpeech(
      path.join(diarization, fixture.rttm),
      fixture.id,
      fixture.uem && path.join(diarization, fixture.uem),
    );
    const started = performance.now();
    let analysedSec = 0;
    const found = await detectSpeechRegions(deps, path.join(diarization, fixture.audio), {
      onProgress: (sec) => (analysedSec = sec),
    });
    const predicted = found.map((r) => ({ start: r.startMs / 1000, end: r.endMs / 1000 }));
    wallMs += performance.now() - started;
    audioSec += analysedSec;
    const scored = reference.scored ?? undefined;
    const score = speechRegionScore(predicted, reference.speech, { scored });
    const withCollar = speechRegionScore(predicted, reference.speech, {
      scored,
      collar: COLLAR_SEC,
    });
    strict.push(score);
    collared.push(withCollar);
    Object.assign(figures, {
      [`vad_${fixture.id}_precision`]: round(score.precision),
      [`vad_${fixture.id}_recall`]: round(score.recall),
      [`vad_${fixture.id}_f1`]: round(score.f1),
      [`vad_${fixture.id}_f1_collar_0_25`]: round(withCollar.f1),
      [`vad_${fixture.id}_reference_speech_sec`]: round(score.referenceSec, 2),
      [`vad_${fixture.id}_predicted_speech_sec`]: round(totalSpeechSec(found), 2),
      [`vad_${fixture.id}_regions`]: predicted.length,
    });
  }
  const overall = combineSpeechScores(strict);
  const overallCollared = combineSpeechScores(collared);
  return {
    vad_model: 'silero-vad-v6.2.0 (test-data/models/whisper-test/for-tests-silero-v6.2.0-ggml.bin)',
    vad_settings: 'defaults: threshold 0.5, min speech 250 ms, min silence 100 ms, pad 30 ms',
    ...figures,
    vad_overall_precision: round(overall.precision),
    vad_overall_recall: round(overall.recall),
    vad_overall_f1: round(overall.f1),
    vad_overall_precision_collar_0_25: round(overallCollared.precision),
    vad_overall_recall_collar_0_25: round(overallCollared.recall),
    vad_overall_f1_collar_0_25: round(overallCollared.f1),
    vad_audio_sec: round(audioSec, 2),
    vad_wall_ms: round(wallMs, 0),
  };
}

async function measureWer(options: BenchmarkOptions): Promise<Record<string, unknown>> {
  const unmeasured = (note: string) => ({ wer: null, cer: null, wer_note: note });
  if (options.model === undefined) {
    return unmeasured(
      'No real model given (--model <path> to a ggml Whisper model with real weights): WER/CER not measured.',
    );
  }
  const modelPath = path.resolve(options.model);
  const context = await loadModel({ path: modelPath });
  try {
    if (!context.info.hasWeights) {
      return unmeasured(
        `${modelPath} has no weights (a whisper.cpp test file): WER/CER not measured; pass a real model with --model.`,
      );
    }
    const synthetic = modelPath.startsWith(defaultTestModelCacheDir + path.sep);
    const tools = await resolveFfmpegTools();
    const threads = Math.min(4, availableParallelism());
    const figures: Record<string, unknown> = {};
    const words: ErrorRate[] = [];
    const chars: ErrorRate[] = [];
    let audioSec = 0;
    let wallMs = 0;
    for (const fixture of werFixtures) {
      const pcm = await decodeAll(tools, path.join(speechDir, fixture.file));
      audioSec += pcm.length / 16_000;
      const started = performance.now();
      const result = await transcribe(context, pcm, { language: 'en', threads });
      wallMs += performance.now() - started;
      const hypothesis = result.segments.map((s) => s.text).join(' ');
      const w = wer(fixture.reference, hypothesis);
      const c = cer(fixture.reference, hypothesis);
      words.push(w);
      chars.push(c);
      Object.assign(figures, {
        [`wer_${fixture.id}`]: round(w.rate),
        [`cer_${fixture.id}`]: round(c.rate),
        [`hypothesis_${fixture.id}`]: normalizeForWer(hypothesis),
      });
    }
    const totalWords = combineErrorRates(words);
    const totalChars = combineErrorRates(chars);
    return {
      wer_model: modelPath,
      wer_model_type: context.info.type,
      ...(synthetic
        ? {
            wer_note:
              'This model lies in .cache/test-models: a synthetic model with random weights, so its WER/CER measure nothing about Whisper.',
          }
        : {}),
      wer_decoding: `greedy, language en, no VAD, ${threads} threads`,
      wer: round(totalWords.rate),
      wer_substitutions: totalWords.substitutions,
      wer_deletions: totalWords.deletions,
      wer_insertions: totalWords.insertions,
      wer_reference_words: totalWords.referenceLength,
      cer: round(totalChars.rate),
      cer_reference_chars: totalChars.referenceLength,
      ...figures,
      wer_audio_sec: round(audioSec, 2),
      wer_rtf: round(wallMs / 1000 / audioSec),
    };
  } finally {
    freeModel(context);
  }
}

const benchmark: Benchmark = {
  name: 'quality',
  description:
    'VAD precision/recall/F1 against the RTTM speech of test-data/fixtures/diarization; WER/CER against the human references with --model <real ggml Whisper model>',
  async run(options) {
    const vad = await measureVad();
    const werFigures = await measureWer(options);
    return {
      ...vad,
      ...werFigures,
      normalisation:
        'normalizeForWer: NFKC, lowercase, punctuation removed (intra-word apostrophes kept), hyphens split, digits 0–99 and ordinals spelled out, mr/mrs/dr spelled out, fillers removed',
      timing_error_ms: null,
      timing_note: TIMING_NOTE,
    };
  },
};

export default benchmark;
