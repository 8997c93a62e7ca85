import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EngineError } from '../errors';
import type { ModelManager } from '../models/model-manager';
import type { SettingsService } from '../settings/settings-service';
import type { WhisperService } from '../transcription/whisper-service';
import { defaultWhisperModel, readyWhisperModel } from '../transcription/whisper-model';
import { installedVadModel } from '../vad/speech-regions';
import { whisperLanguages } from '../whisper/languages';
import { resolveLanguage } from '../whisper/params';
import { hypothesisWords } from './hypothesis-words';
import {
  createLiveSession,
  type LiveDecoder,
  type LiveSession,
  type LiveSessionOptions,
  type LiveSessionTuning,
} from './live-session';
import { sileroLiveDetector } from './silero-detector';
import { saveRecording, type SaveRecordingDeps } from './save-recording';
import { createWavWriter, type WavWriter } from './wav-writer';

export interface LiveOpenRequest extends Pick<LiveSessionOptions, 'onEvent' | 'onDone'> {
  /** A ready Whisper model. @default the `defaultModel` setting, else the first ready one */
  modelId?: string;
  /** ISO code, language name or 'auto'. @default 'auto' */
  language?: string;
  /**
   * Record the audio into the uploads folder and, on a normal end, add it to the library with
   * its transcript. Needs `library` in the service's deps.
   * @default true
   */
  save?: boolean;
}

export interface LiveService {
  /**
   * Starts a live-caption session. Throws QUEUE_FULL at the session limit, MODEL_UNKNOWN /
   * MODEL_NOT_READY / INVALID_ARGUMENT for a bad model or language, SHUTTING_DOWN after `close`.
   */
  open(request: LiveOpenRequest): LiveSession;
  /** Sessions open now. */
  readonly activeSessions: number;
  /**
   * Ends every session (the clients get SHUTTING_DOWN; their recordings are deleted), refuses new
   * ones and waits for saves under way.
   */
  close(): Promise<void>;
}

export interface LiveServiceDeps {
  whisper: Pick<WhisperService, 'transcribe' | 'detectSpeech'>;
  models: Pick<ModelManager, 'get' | 'list' | 'resolvePath'>;
  settings: Pick<SettingsService, 'get'>;
  /**
   * Sessions at once: each decodes about once a second on the live lane, which outranks every
   * batch job, so a few saturate a CPU.
   * @default 2
   */
  maxSessions?: number;
  /** Where sessions are saved; without it no session is. */
  library?: SaveRecordingDeps & { media: { readonly uploadsDir: string } };
  /** Overrides of the sessions' timing and bounds (tests). */
  tuning?: LiveSessionTuning;
  /**
   * Size Whisper's encoder to each step's window instead of its full 30 s: a 3 s step decodes
   * about 5× faster on a tiny model, at some cost in accuracy (whisper.cpp's `audio_ctx`).
   * @default true
   */
  trimEncoder?: boolean;
}

/** Encoder frames are 20 ms; one second more than the window lets the model hear its end. */
const encoderFrames = (samples: number) => Math.min(1500, Math.ceil(samples / 320) + 50);
/**
 * Tokens per segment at most, from the window: fast speech is about 5 tokens a second, so more
 * is a decoder loop (a repetition hallucination), which would also stall the step.
 */
const maxTokensFor = (samples: number) => Math.ceil((samples / 16_000) * 8) + 16;

/**
 * Live captions: opens sessions (up to a limit), picks their model and decodes their audio on
 * the whisper pool's live lane with token timestamps. Main thread only.
 */
export function createLiveService(deps: LiveServiceDeps): LiveService {
  const {
    whisper,
    models,
    settings,
    library,
    maxSessions = 2,
    tuning = {},
    trimEncoder = true,
  } = deps;
  const sessions = new Set<LiveSession>();
  /** Saves and deletions of recordings under way, awaited by `close`. */
  const settling = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    const settled = work.catch(() => undefined).finally(() => settling.delete(settled));
    settling.add(settled);
    return work;
  };
  let closed = false;

  const pickModel = (wanted: string | undefined): string =>
    wanted === undefined
      ? defaultWhisperModel(models, settings)
      : readyWhisperModel(models, wanted).id;

  const decoderFor =
    (modelId: string): LiveDecoder =>
    async ({ pcm, prompt, language, signal }) => {
      const { result } = await whisper.transcribe({
        modelId,
        lane: 'live',
        pcm,
        signal,
        params: {
          language,
          tokenTimestamps: true,
          // One greedy pass per step: a temperature fallback would multiply the step's time.
          temperatureInc: 0,
          maxTokens: maxTokensFor(pcm.length),
          ...(trimEncoder ? { audioCtx: encoderFrames(pcm.length) } : {}),
          ...(prompt ? { initialPrompt: prompt } : {}),
        },
      });
      const decoded = result;
      return {
        words: hypothesisWords(decoded.segments, 0, pcm.length / 16),
        language: decoded.language,
      };
    };

  return {
    open({ modelId: wanted, language = 'auto', save = true, onEvent, onDone }) {
      if (closed) {
        throw new EngineError(
          'SHUTTING_DOWN',
          'The engine is shutting down; live captions are off.',
        );
      }
      if (sessions.size >= maxSessions) {
        throw new EngineError(
          'QUEUE_FULL',
          `Live captions already run in ${sessions.size} sessions, the most at once; end one and try again.`,
          { details: { maxSessions } },
        );
      }
      const modelId = pickModel(wanted);
      const resolvedLanguage = resolveLanguage(language, whisperLanguages());
      const id = randomUUID();
      let writer: WavWriter | undefined;
      let saving = false;
      if (save && library) {
        // A failed write ends the session with DISK_FULL rather than losing the recording quietly.
        writer = createWavWriter(join(library.media.uploadsDir, `live-${id}.wav`), (error) =>
          session.close(error),
        );
      }
      const recording = writer;
      const vadModel = installedVadModel(models);
      const session: LiveSession = createLiveSession({
        ...tuning,
        id,
        modelId,
        language: resolvedLanguage,
        decode: decoderFor(modelId),
        // Without the VAD model (not installed) sessions still run, on LocalAgreement alone.
        ...(vadModel ? { detectSpeech: sileroLiveDetector(whisper, vadModel) } : {}),
        onEvent,
        onDone,
        onClosed: () => {
          sessions.delete(session);
          // Any end but a save (the client gone, an error, shutdown) leaves no file behind.
          if (recording && !saving) void track(recording.discard());
        },
        ...(recording && library
          ? {
              onAudio: (pcm: Float32Array) => recording.append(pcm),
              save: (summary) => {
                saving = true;
                return track(saveRecording(library, recording, modelId, summary));
              },
            }
          : {}),
      });
      sessions.add(session);
      return session;
    },
    get activeSessions() {
      return sessions.size;
    },
    async close() {
      closed = true;
      const reason = new EngineError('SHUTTING_DOWN', 'The engine is shutting down.');
      for (const session of [...sessions]) session.close(reason);
      await Promise.all([...settling]);
    },
  };
}
