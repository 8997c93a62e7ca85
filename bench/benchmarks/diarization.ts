/**
 * Diarization error rate against human speaker labels: test-data/fixtures/diarization
 * (sample.wav vs sample.rttm; dev00/dev01 vs debug.development.rttm inside
 * debug.development.uem), for the diarizer available: the neural pipeline (sherpa-onnx in its
 * worker process, as a job runs it) when `--segmentation <onnx>` and `--embedding <onnx>` name
 * its models, else the model-free fallback (`diarizer: 'fallback'`).
 *
 * Per file and overall (seconds summed over files, so each file weighs by its reference speech):
 * DER and its parts, missed speech, false alarm and speaker confusion, in seconds and as shares
 * of the reference speech. The collar (`--collar <s>`, default 0.25) is not scored on EACH side of
 * every reference speaker boundary: md-eval's `-c` convention; pyannote.metrics' `collar` is the
 * total width, twice this. Overlapped speech is scored.
 *
 * Speech regions come from the engine's Silero VAD (`detectSpeechRegions`, default settings), as
 * a job would use them. The diarizer runs twice: finding the number of speakers itself (the
 * headline figures) and told the reference number. For scale, the one-speaker baseline gives
 * every VAD region to one speaker. Real-time factors: wall time over audio time, for the VAD and
 * for the diarization (decoding included).
 */
import path from 'node:path';
import {
  combineDer,
  diarizationErrorRate,
  type DerScore,
} from '../../src-main/engine/diarization/der';
import {
  diarizationFixtures,
  sileroVadModel,
} from '../../src-main/engine/diarization/__fixtures__/diarization-fixtures';
import {
  diarizeWithoutModel,
  FALLBACK_DIARIZER_NOTE,
  type FallbackDiarizerOptions,
} from '../../src-main/engine/diarization/fallback-diarizer';
import {
  createDiarizationService,
  diarizationWorkerEntry,
} from '../../src-main/engine/diarization/neural/diarization-service';
import { diarizeNeural } from '../../src-main/engine/diarization/neural/neural-diarizer';
import { readDiarizationReferences } from '../../src-main/engine/diarization/rttm';
import type { SpeakerTurn } from '../../src-main/engine/diarization/speaker-turns';
import { speakersOf } from '../../src-main/engine/diarization/speaker-turns';
import { decodeAudio } from '../../src-main/engine/media/decode';
import { forkNodeWorkers } from '../../src-main/engine/pool/worker-process';
import { resolveFfmpegTools } from '../../src-main/engine/media/ffmpeg-tools';
import { detectSpeechRegions } from '../../src-main/engine/vad/speech-regions';
import { detectSpeech } from '../../src-main/engine/whisper/addon';
import type { Benchmark } from '../benchmark';

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** DER figures under `prefix`: the rate, the seconds of each error and their shares. */
function derFigures(prefix: string, score: DerScore): Record<string, number> {
  const share = (sec: number) => round(score.referenceSec > 0 ? sec / score.referenceSec : 0);
  return {
    [`${prefix}_der`]: round(score.der),
    [`${prefix}_missed`]: share(score.missedSec),
    [`${prefix}_false_alarm`]: share(score.falseAlarmSec),
    [`${prefix}_confusion`]: share(score.confusionSec),
    [`${prefix}_missed_sec`]: round(score.missedSec, 2),
    [`${prefix}_false_alarm_sec`]: round(score.falseAlarmSec, 2),
    [`${prefix}_confusion_sec`]: round(score.confusionSec, 2),
    [`${prefix}_reference_sec`]: round(score.referenceSec, 2),
  };
}

const benchmark: Benchmark = {
  name: 'diarization',
  description:
    'DER (missed, false alarm, confusion) against the RTTM/UEM in test-data/fixtures/diarization, per file and overall, with a ±--collar s collar (default 0.25), and the real-time factor; the neural pipeline with --segmentation/--embedding <onnx>, else the fallback',
  async run(options) {
    const collar = Number(options.extra.collar ?? 0.25);
    if (!(Number.isFinite(collar) && collar >= 0)) {
      throw new Error(`--collar must be a number of seconds ≥ 0, not ${options.extra.collar}`);
    }
    const { segmentation, embedding } = options.extra;
    if ((segmentation === undefined) !== (embedding === undefined)) {
      throw new Error('give both --segmentation <onnx> and --embedding <onnx>, or neither');
    }
    const neural =
      typeof segmentation === 'string' && typeof embedding === 'string'
        ? {
            service: createDiarizationService({
              spawnWorker: forkNodeWorkers(diarizationWorkerEntry),
            }),
            models: {
              segmentation: { id: path.basename(segmentation), path: segmentation, sha256: null },
              embedding: { id: path.basename(embedding), path: embedding, sha256: null },
            },
          }
        : null;
    try {
      return await score(collar, neural);
    } finally {
      await neural?.service.close();
    }
  },
};

type Neural = Pick<Parameters<typeof diarizeNeural>[0], 'service' | 'models'> | null;

async function score(collar: number, neural: Neural): Promise<Record<string, unknown>> {
  const tools = await resolveFfmpegTools();
  const vadDeps = {
    decode: (file: string, o: Parameters<typeof decodeAudio>[2]) => decodeAudio(tools, file, o),
    vadModelPath: sileroVadModel,
    // The bench process is not the engine: the addon runs here directly.
    detect: detectSpeech,
  };
  const figures: Record<string, unknown> = {};
  const auto: DerScore[] = [];
  const known: DerScore[] = [];
  const baseline: DerScore[] = [];
  let audioSec = 0;
  let vadMs = 0;
  let diarizeMs = 0;
  for (const fixture of diarizationFixtures) {
    const reference = (await readDiarizationReferences(fixture.rttm, fixture.uem)).get(fixture.id);
    if (!reference) throw new Error(`${fixture.rttm} has no turns for ${fixture.id}`);
    const scoring = { collar, scored: reference.scored ?? undefined };
    const referenceSpeakers = speakersOf(reference.turns).length;

    let fileSec = 0;
    let started = performance.now();
    const speech = (
      await detectSpeechRegions(vadDeps, fixture.audio, { onProgress: (sec) => (fileSec = sec) })
    ).map((r) => ({ start: r.startMs / 1000, end: r.endMs / 1000 }));
    vadMs += performance.now() - started;
    audioSec += fileSec;

    const diarize = async (
      diarizerOptions: FallbackDiarizerOptions,
    ): Promise<{ turns: SpeakerTurn[]; speakers: string[] }> => {
      if (!neural) {
        return diarizeWithoutModel(decodeAudio(tools, fixture.audio), speech, diarizerOptions);
      }
      const { turns } = await diarizeNeural({
        ...neural,
        audio: decodeAudio(tools, fixture.audio),
        durationSec: fileSec,
        detection: { count: diarizerOptions.numSpeakers },
      });
      return { turns, speakers: speakersOf(turns) };
    };
    started = performance.now();
    const found = await diarize({});
    diarizeMs += performance.now() - started;
    const told = await diarize({ numSpeakers: referenceSpeakers });

    const score = diarizationErrorRate(reference.turns, found.turns, scoring);
    const scoreKnown = diarizationErrorRate(reference.turns, told.turns, scoring);
    const scoreBaseline = diarizationErrorRate(
      reference.turns,
      speech.map((r) => ({ ...r, speaker: 'everyone' })),
      scoring,
    );
    auto.push(score);
    known.push(scoreKnown);
    baseline.push(scoreBaseline);
    Object.assign(figures, {
      ...derFigures(fixture.id, score),
      [`${fixture.id}_speakers_found`]: found.speakers.length,
      [`${fixture.id}_speakers_reference`]: referenceSpeakers,
      [`${fixture.id}_der_known_count`]: round(scoreKnown.der),
      [`${fixture.id}_der_one_speaker_baseline`]: round(scoreBaseline.der),
      [`${fixture.id}_audio_sec`]: round(fileSec, 2),
      [`${fixture.id}_file`]: path.relative(process.cwd(), fixture.audio),
    });
  }
  return {
    diarizer: neural ? 'neural' : 'fallback',
    ...(neural
      ? {
          segmentation_model: neural.models.segmentation.path,
          embedding_model: neural.models.embedding.path,
        }
      : { diarizer_note: FALLBACK_DIARIZER_NOTE }),
    collar_sec: collar,
    collar_convention:
      'seconds not scored on EACH side of every reference speaker boundary (md-eval -c); pyannote.metrics collar = 2 × this',
    overlap_scored: true,
    speech_regions:
      'Silero VAD v6.2.0 (test-data/models/whisper-test/for-tests-silero-v6.2.0-ggml.bin), detectSpeechRegions defaults',
    ...derFigures('overall', combineDer(auto)),
    overall_der_known_count: round(combineDer(known).der),
    overall_der_one_speaker_baseline: round(combineDer(baseline).der),
    ...figures,
    audio_sec: round(audioSec, 2),
    vad_rtf: round(vadMs / 1000 / audioSec, 4),
    diarization_rtf: round(diarizeMs / 1000 / audioSec, 4),
    rtf: round((vadMs + diarizeMs) / 1000 / audioSec, 4),
  };
}

export default benchmark;
