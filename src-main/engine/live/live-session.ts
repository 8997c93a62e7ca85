import type { LiveEvent } from '../../contract/live';
import { EngineError, isEngineError } from '../errors';
import {
  agree,
  agreeAndFlush,
  agreementDefaults,
  flushAgreement,
  initialAgreement,
  skipSilence,
  type AgreementOptions,
  type AgreementStep,
  type TimedWord,
} from './local-agreement';
import { PcmBuffer } from './pcm-buffer';
import type { LiveRecordingSummary } from './save-recording';
import { planSpeechWindow, type SpeechSpan, type SpeechWindowOptions } from './speech-window';

const samplesPerMs = 16;

export interface LiveDecodeRequest {
  /** 16 kHz mono samples; owned by the decoder. */
  pcm: Float32Array;
  /** Session time of the first sample, in ms. */
  startMs: number;
  /** Committed text before this audio. */
  prompt: string;
  /** ISO code, or 'auto'. */
  language: string;
  signal: AbortSignal;
}

export interface LiveDecodeResult {
  /** Times in ms from the first sample of `pcm`. */
  words: TimedWord[];
  /** The language decoded in (the detected one for 'auto'). */
  language: string | null;
}

/** Transcribes one window of audio (the whisper pool's live lane in the engine). */
export type LiveDecoder = (request: LiveDecodeRequest) => Promise<LiveDecodeResult>;

/** Finds the speech in a window of 16 kHz mono audio (Silero VAD in the engine). */
export type LiveSpeechDetector = (pcm: Float32Array, signal: AbortSignal) => Promise<SpeechSpan[]>;

export type LiveOutcome =
  { ok: true; reason: 'stopped' | 'idle' } | { ok: false; error: EngineError };

export interface LiveSessionTuning {
  /**
   * A new decode starts once this much audio has arrived since the last one started. Each word
   * waits up to two steps for agreement, so the step bounds the latency; a tiny model's step
   * (encoder sized to the window) takes about 0.35 s on two cores (`npm run bench -- live`).
   * @default 500
   */
  stepMs?: number;
  /**
   * The longest audio one decode gets (Whisper's window).
   * @default 30000
   */
  maxWindowMs?: number;
  /**
   * Audio kept at most: what is not yet committed. Beyond it the session fails with QUEUE_FULL
   * (the engine is hopelessly behind) rather than drop audio.
   * @default 60000
   */
  maxBufferedMs?: number;
  /**
   * A `lag` event is sent while decoding is this far behind the received audio.
   * @default 3000
   */
  lagThresholdMs?: number;
  /**
   * At most one `lag` event per this many ms of wall time.
   * @default 1000
   */
  lagIntervalMs?: number;
  /**
   * With no audio for this long, the session makes everything final and ends.
   * @default 30000
   */
  idleTimeoutMs?: number;
  agreement?: AgreementOptions;
  /** How the VAD's speech shapes a step (with `detectSpeech` only). */
  speech?: SpeechWindowOptions;
}

export interface LiveSessionOptions extends LiveSessionTuning {
  id: string;
  modelId: string;
  /** ISO code or 'auto'; 'auto' is replaced by the first detected language. */
  language: string;
  decode: LiveDecoder;
  /**
   * The VAD. With it, steps skip silence and utterances become final at a pause; without it,
   * every word waits for LocalAgreement (or a forced commit).
   */
  detectSpeech?: LiveSpeechDetector;
  /** Caption events in order. Not called after the session is closed. */
  onEvent(event: LiveEvent): void;
  /** Once, when the session ends by itself: after `end`, or after an `error` event. */
  onDone(outcome: LiveOutcome): void;
  /** Once, when the session is closed whatever the way (its memory is then freed). */
  onClosed?(): void;
  /** Each chunk of audio accepted by `push`, in order (to record it). */
  onAudio?(pcm: Float32Array): void;
  /**
   * On a normal end (stop or idle timeout) after some audio, before `end`: keeps the session
   * (its ids go into `end`). A rejection fails the session with that error instead of `end`.
   */
  save?(summary: LiveRecordingSummary): Promise<{ mediaId: string; transcriptId: string }>;
  /** @default Date.now */
  now?: () => number;
}

export interface LiveSession {
  readonly id: string;
  readonly modelId: string;
  readonly language: string;
  readonly state: 'running' | 'stopping' | 'closed';
  /**
   * Adds audio (16 kHz mono) and starts a decode when a step's worth is new. Throws
   * INVALID_ARGUMENT after `stop`. A full buffer fails the session (QUEUE_FULL via `onDone`).
   */
  push(pcm: Float32Array): void;
  /** Decodes what is left, commits everything, sends `end` and closes. */
  stop(): Promise<void>;
  /**
   * Ends the session at once: aborts a running decode and frees the audio. With a `reason`, the
   * client is told (an `error` event and `onDone`) first. Safe to call twice.
   */
  close(reason?: EngineError): void;
}

/**
 * One live-caption stream: a bounded audio buffer, a decode every `stepMs` of new audio (one at
 * a time; audio arriving meanwhile waits and is reported with `lag` when it piles up), and the
 * LocalAgreement-2 stabiliser turning decodes into `partial` and `final` events. Main thread only.
 */
export function createLiveSession(options: LiveSessionOptions): LiveSession {
  const {
    id,
    modelId,
    decode,
    detectSpeech,
    speech: speechOptions = {},
    onEvent,
    onDone,
    onClosed,
    onAudio,
    save,
    stepMs = 500,
    maxWindowMs = 30_000,
    maxBufferedMs = 60_000,
    lagThresholdMs = 3000,
    lagIntervalMs = 1000,
    idleTimeoutMs = 30_000,
    agreement: agreementOptions = {},
    now = Date.now,
  } = options;
  const { maxUnconfirmedMs, forceTailMs } = { ...agreementDefaults, ...agreementOptions };
  if (maxUnconfirmedMs + forceTailMs >= maxWindowMs) {
    // Else a decode window could hold only unconfirmed audio and the stream would never advance.
    throw new EngineError(
      'INVALID_ARGUMENT',
      `maxUnconfirmedMs + forceTailMs (${maxUnconfirmedMs + forceTailMs}) must be less than maxWindowMs (${maxWindowMs}).`,
    );
  }
  let language = options.language;
  let state: LiveSession['state'] = 'running';
  const buffer = new PcmBuffer(maxBufferedMs * samplesPerMs);
  const controller = new AbortController();
  let agreement = initialAgreement;
  /** End (absolute sample) of the window of the last decode started / finished. */
  let scheduledUntil = 0;
  let decodedUntil = 0;
  let pumping: Promise<void> = Promise.resolve();
  let looping = false;
  let lastPartial = '';
  let lastLagAt = -Infinity;
  let idleTimer: NodeJS.Timeout | undefined;
  /** Committed words per `final` event, kept only when the session is saved. */
  const finals: TimedWord[][] = [];

  const emit = (event: LiveEvent) => {
    if (state !== 'closed') onEvent(event);
  };
  const ms = (samples: number) => Math.round(samples / samplesPerMs);

  const publish = (step: AgreementStep) => {
    const { committed, tentative } = step;
    if (committed.length > 0) {
      if (save) finals.push(committed);
      emit({
        type: 'final',
        text: committed.map((word) => word.text).join(' '),
        startMs: committed[0]!.startMs,
        endMs: committed.at(-1)!.endMs,
        words: committed.map((word) => ({ ...word, p: Math.round(word.p * 1000) / 1000 })),
      });
    }
    const text = tentative.map((word) => word.text).join(' ');
    if (text !== lastPartial) {
      lastPartial = text;
      const at = step.state.committedUntilMs;
      emit({
        type: 'partial',
        text,
        startMs: tentative[0]?.startMs ?? at,
        endMs: tentative.at(-1)?.endMs ?? at,
      });
    }
  };

  const checkLag = () => {
    const behindMs = ms(buffer.end - decodedUntil);
    if (behindMs >= lagThresholdMs && now() - lastLagAt >= lagIntervalMs) {
      lastLagAt = now();
      emit({ type: 'lag', behindMs });
    }
  };

  /**
   * Decodes the oldest window of the buffer; at the end of the stream commits all of it. With a
   * VAD, silence is skipped and a window ending in a pause is committed whole.
   */
  const step = async (final: boolean) => {
    let from = buffer.start;
    let to = Math.min(buffer.end, from + maxWindowMs * samplesPerMs);
    scheduledUntil = to;
    let utteranceEnd = final;
    if (detectSpeech) {
      const spans = await detectSpeech(buffer.read(from, to), controller.signal);
      if (state === 'closed') return;
      const plan = planSpeechWindow(
        spans,
        ms(to - from),
        agreement.committedUntilMs - ms(from),
        speechOptions,
      );
      if (plan.kind === 'silence') {
        finishStep(skipSilence(agreement, ms(from) + plan.untilMs), to);
        return;
      }
      to = final ? to : from + plan.toMs * samplesPerMs;
      from += plan.fromMs * samplesPerMs;
      utteranceEnd ||= plan.utteranceEnd;
    }
    const result = await decode({
      pcm: buffer.read(from, to),
      startMs: ms(from),
      prompt: agreement.prompt,
      language,
      signal: controller.signal,
    });
    if (state === 'closed') return;
    if (language === 'auto' && result.language) language = result.language;
    const offsetMs = ms(from);
    const words = result.words.map((word) => ({
      ...word,
      startMs: word.startMs + offsetMs,
      endMs: word.endMs + offsetMs,
    }));
    const next = utteranceEnd
      ? agreeAndFlush(agreement, words, ms(to), agreementOptions)
      : agree(agreement, words, ms(to), agreementOptions);
    // After a pause no left context is needed: the next utterance starts afresh.
    finishStep(next, to, utteranceEnd && detectSpeech !== undefined);
  };

  /** Applies a step's outcome: new state, trimmed buffer, events. */
  const finishStep = (next: AgreementStep, decodedTo: number, trimAtEnd = false) => {
    agreement = next.state;
    decodedUntil = Math.max(decodedUntil, decodedTo);
    const keepFrom = trimAtEnd ? next.state.committedUntilMs : next.keepFromMs;
    buffer.trimBefore(Math.min(decodedTo, keepFrom * samplesPerMs));
    publish(next);
    checkLag();
  };

  const loop = async () => {
    looping = true;
    try {
      while (state !== 'closed') {
        if (state === 'stopping') {
          if (decodedUntil >= buffer.end) break;
          await step(true);
        } else if (buffer.end - scheduledUntil >= stepMs * samplesPerMs) {
          await step(false);
        } else {
          break;
        }
      }
    } catch (error) {
      fail(error);
    } finally {
      // Cleared synchronously with the loop's end, so the next push starts a new loop at once.
      looping = false;
    }
  };
  /** The running decode loop, or a new one. */
  const pump = () => {
    if (!looping) pumping = loop();
    return pumping;
  };

  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      emit({
        type: 'error',
        code: 'TIMED_OUT',
        message: `No audio for ${Math.round(idleTimeoutMs / 1000)} s, so the session ended. Send {"type":"stop"} to end a session yourself.`,
      });
      void finish('idle');
    }, idleTimeoutMs);
    idleTimer.unref();
  };

  const finish = async (reason: 'stopped' | 'idle') => {
    if (state !== 'running') return;
    state = 'stopping';
    clearTimeout(idleTimer);
    // A running loop sees 'stopping' after its current decode; otherwise this starts one.
    while (state === 'stopping' && decodedUntil < buffer.end) await pump();
    if (state !== 'stopping') return;
    const rest = flushAgreement(agreement, ms(buffer.end), agreementOptions);
    agreement = rest.state;
    publish(rest);
    const durationMs = ms(buffer.end);
    let saved: { mediaId: string; transcriptId: string } | undefined;
    if (save && buffer.end > 0) {
      try {
        saved = await save({
          durationMs,
          language: language === 'auto' ? null : language,
          finals,
        });
      } catch (error) {
        fail(error);
        return;
      }
      if (state !== 'stopping') return;
    }
    emit({ type: 'end', durationMs, ...saved });
    onDone({ ok: true, reason });
    session.close();
  };

  function fail(error: unknown) {
    if (state === 'closed') return;
    const reason = isEngineError(error)
      ? error
      : new EngineError(
          'TRANSCRIBE_FAILED',
          `Live transcription failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
    session.close(reason);
  }

  const session: LiveSession = {
    id,
    modelId,
    get language() {
      return language;
    },
    get state() {
      return state;
    },
    push(pcm) {
      if (state !== 'running') {
        throw new EngineError(
          'INVALID_ARGUMENT',
          'The session is stopping or closed; audio sent after "stop" is not transcribed.',
        );
      }
      armIdle();
      try {
        buffer.append(pcm);
      } catch (error) {
        fail(
          new EngineError(
            'QUEUE_FULL',
            `Transcription fell ${Math.round(ms(buffer.end - decodedUntil) / 1000)} s behind the audio, more than the ${Math.round(maxBufferedMs / 1000)} s kept, so the session ended. Send audio in real time, or use a smaller model or a faster device.`,
            { cause: error },
          ),
        );
        return;
      }
      onAudio?.(pcm);
      checkLag();
      void pump();
    },
    stop() {
      return finish('stopped');
    },
    close(reason) {
      if (state === 'closed') return;
      if (reason) {
        emit({ type: 'error', code: reason.code, message: reason.message });
        onDone({ ok: false, error: reason });
      }
      state = 'closed';
      clearTimeout(idleTimer);
      controller.abort(new EngineError('CANCELLED', 'The live session was closed.'));
      buffer.clear();
      onClosed?.();
    },
  };
  armIdle();
  return session;
}
