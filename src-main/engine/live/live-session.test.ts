import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contract/live';
import { isEngineError } from '../errors';
import {
  createLiveSession,
  type LiveDecodeRequest,
  type LiveDecoder,
  type LiveOutcome,
  type LiveSessionOptions,
  type LiveSessionTuning,
  type LiveSpeechDetector,
} from './live-session';
import type { SpeechSpan } from './speech-window';

/**
 * 100 ms frames whose samples encode their own position in the stream (index / 2^24, exact in
 * a float32), so the scripted decoder can tell which audio a window holds.
 */
function frames() {
  let next = 0;
  return () => {
    const out = new Float32Array(1600);
    for (let i = 0; i < out.length; i++) out[i] = (next + i) / 2 ** 24;
    next += out.length;
    return out;
  };
}

/**
 * A scripted decoder standing in for Whisper: the word "w<s>" is spoken from s to s + 0.8
 * seconds of the stream; a window hears the words that lie wholly inside it.
 */
function wordPerSecond(requests: LiveDecodeRequest[], gate?: () => Promise<void>): LiveDecoder {
  return async (request) => {
    requests.push(request);
    await gate?.();
    request.signal.throwIfAborted();
    const fromMs = Math.round(((request.pcm[0] ?? 0) * 2 ** 24) / 16);
    const toMs = fromMs + request.pcm.length / 16;
    const words = [];
    for (let s = Math.ceil(fromMs / 1000); s * 1000 + 800 <= toMs; s++) {
      words.push({
        text: `w${s}`,
        startMs: s * 1000 - fromMs,
        endMs: s * 1000 + 800 - fromMs,
        p: 0.9,
      });
    }
    return { words, language: 'en' };
  };
}

/** Where a window of `frames()` audio starts and ends, in ms of the stream. */
function windowOf(pcm: Float32Array): { fromMs: number; toMs: number } {
  const fromMs = Math.round(((pcm[0] ?? 0) * 2 ** 24) / 16);
  return { fromMs, toMs: fromMs + pcm.length / 16 };
}

/** A scripted VAD: the given stretches of the stream (in ms) are speech. */
function speechAt(spans: SpeechSpan[], calls: number[] = []): LiveSpeechDetector {
  return async (pcm) => {
    const { fromMs, toMs } = windowOf(pcm);
    calls.push(toMs - fromMs);
    return spans
      .filter((span) => span.endMs > fromMs && span.startMs < toMs)
      .map((span) => ({
        startMs: Math.max(0, span.startMs - fromMs),
        endMs: Math.min(toMs, span.endMs) - fromMs,
      }));
  };
}

function open(
  decode: LiveDecoder,
  tuning: LiveSessionTuning & Pick<LiveSessionOptions, 'detectSpeech'> = {},
  now?: () => number,
) {
  const frame = frames();
  const events: LiveEvent[] = [];
  const outcomes: LiveOutcome[] = [];
  let closed = 0;
  const session = createLiveSession({
    id: 's1',
    modelId: 'm',
    language: 'auto',
    decode,
    onEvent: (event) => events.push(event),
    onDone: (outcome) => outcomes.push(outcome),
    onClosed: () => closed++,
    ...tuning,
    ...(now ? { now } : {}),
  });
  return { session, frame, events, outcomes, closedCount: () => closed };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a live session', () => {
  it('decodes once per step of new audio, commits agreed words and flushes the rest at stop', async () => {
    const requests: LiveDecodeRequest[] = [];
    const { session, frame, events, outcomes, closedCount } = open(wordPerSecond(requests), {
      stepMs: 1000,
    });
    for (let i = 0; i < 35; i++) {
      session.push(frame());
      await tick();
    }
    await session.stop();
    // 3.5 s: decodes at 1, 2 and 3 s, then one for the rest at stop; each window starts 0.5 s
    // before the last committed word's end (the buffer is trimmed there).
    expect(requests.map((r) => r.pcm.length / 16)).toEqual([1000, 2000, 2700, 2200]);
    expect(session.language).toBe('en');
    // The prompt carries what was committed before.
    expect(requests.at(-1)!.prompt).toBe('w0 w1');
    const finals = events.filter((e) => e.type === 'final');
    expect(finals.flatMap((f) => f.words.map((w) => w.text))).toEqual(['w0', 'w1', 'w2']);
    expect(events.at(-1)).toEqual({ type: 'end', durationMs: 3500 });
    expect(outcomes).toEqual([{ ok: true, reason: 'stopped' }]);
    expect(session.state).toBe('closed');
    expect(closedCount()).toBe(1);
  });

  it('keeps the decoded window bounded over a long stream whose decodes never agree', async () => {
    const requests: LiveDecodeRequest[] = [];
    let n = 0;
    // Noise: every decode hears different words, one per 300 ms.
    const noise: LiveDecoder = async (request) => {
      requests.push(request);
      const count = Math.floor(request.pcm.length / 16 / 300);
      return {
        words: Array.from({ length: count }, (_, i) => ({
          text: `n${n++}`,
          startMs: i * 300,
          endMs: i * 300 + 250,
          p: 0.1,
        })),
        language: 'en',
      };
    };
    const { session, frame, events } = open(noise);
    // Ten minutes of audio.
    for (let i = 0; i < 6000; i++) {
      session.push(frame());
      if (i % 10 === 9) await tick();
    }
    await session.stop();
    const longestMs = Math.max(...requests.map((r) => r.pcm.length / 16));
    // Unconfirmed limit (15 s) + forced tail (1 s) + left context (0.5 s) + one step (1 s).
    expect(longestMs).toBeLessThanOrEqual(17_500);
    expect(requests.length).toBeGreaterThan(500);
    const finals = events.filter((e) => e.type === 'final');
    expect(finals.length).toBeGreaterThan(30);
    expect(events.at(-1)).toEqual({ type: 'end', durationMs: 600_000 });
  });

  it('reports lag while decoding is behind the audio, and keeps the audio', async () => {
    let release: () => void = () => {};
    const gate = () =>
      new Promise<void>((resolve) => {
        release = resolve;
      });
    const requests: LiveDecodeRequest[] = [];
    let clock = 0;
    const { session, frame, events } = open(wordPerSecond(requests, gate), {}, () => clock);
    for (let i = 0; i < 50; i++) {
      clock += 100;
      session.push(frame());
    }
    // One decode (started at 1 s) is stuck; 5 s have arrived.
    expect(requests).toHaveLength(1);
    const lags = events.filter((e) => e.type === 'lag');
    expect(lags.length).toBeGreaterThanOrEqual(2);
    expect(lags.at(-1)!.behindMs).toBe(5000);
    const stopped = session.stop();
    for (let i = 0; i < 10 && session.state !== 'closed'; i++) {
      release();
      await tick();
    }
    await stopped;
    // Nothing was dropped: the last decode covered all 5 s.
    expect(requests.at(-1)!.pcm.length).toBe(5 * 16_000);
    expect(events.at(-1)).toEqual({ type: 'end', durationMs: 5000 });
  });

  it('fails with QUEUE_FULL instead of growing past its buffer', async () => {
    const requests: LiveDecodeRequest[] = [];
    const { session, frame, events, outcomes } = open(
      wordPerSecond(requests, () => new Promise(() => {})),
      { maxBufferedMs: 2000 },
    );
    for (let i = 0; i < 21; i++) session.push(frame());
    expect(outcomes).toHaveLength(1);
    const outcome = outcomes[0]!;
    expect(!outcome.ok && isEngineError(outcome.error, 'QUEUE_FULL')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'QUEUE_FULL' });
    expect(session.state).toBe('closed');
    // A stuck decode was aborted.
    expect(requests[0]!.signal.aborted).toBe(true);
  });

  it('ends by itself after the idle timeout, with everything final', async () => {
    const requests: LiveDecodeRequest[] = [];
    const { session, frame, events, outcomes } = open(wordPerSecond(requests), {
      idleTimeoutMs: 50,
    });
    for (let i = 0; i < 15; i++) session.push(frame());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(session.state).toBe('closed');
    expect(outcomes).toEqual([{ ok: true, reason: 'idle' }]);
    expect(events.map((e) => e.type)).toContain('final');
    expect(events.find((e) => e.type === 'error')).toMatchObject({ code: 'TIMED_OUT' });
    expect(events.at(-1)).toEqual({ type: 'end', durationMs: 1500 });
  });

  it('closes quietly when its client goes: aborts the decode, frees the audio, sends nothing more', async () => {
    const requests: LiveDecodeRequest[] = [];
    const { session, frame, events, outcomes, closedCount } = open(
      wordPerSecond(requests, () => new Promise((resolve) => setTimeout(resolve, 20))),
    );
    for (let i = 0; i < 10; i++) session.push(frame());
    const before = events.length;
    session.close();
    session.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests[0]!.signal.aborted).toBe(true);
    expect(events).toHaveLength(before);
    expect(outcomes).toEqual([]);
    expect(closedCount()).toBe(1);
    expect(() => session.push(frame())).toThrow(/stopping or closed/);
  });

  it('reports a decode failure as an error event and fails the session', async () => {
    const { session, frame, events, outcomes } = open(async () => {
      throw new Error('boom');
    });
    for (let i = 0; i < 10; i++) session.push(frame());
    await tick();
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'TRANSCRIBE_FAILED' });
    expect(outcomes[0]).toMatchObject({ ok: false });
    expect(session.state).toBe('closed');
  });

  describe('with a VAD', () => {
    it('never decodes silence, and lets it go', async () => {
      const requests: LiveDecodeRequest[] = [];
      const vadCalls: number[] = [];
      const { session, frame, events } = open(wordPerSecond(requests), {
        detectSpeech: speechAt([], vadCalls),
      });
      // A minute of silence.
      for (let i = 0; i < 600; i++) {
        session.push(frame());
        await tick();
      }
      await session.stop();
      expect(requests).toHaveLength(0);
      expect(vadCalls.length).toBeGreaterThanOrEqual(59);
      // The VAD's window stays one step (plus the kept pad) long: the silence was let go.
      expect(Math.max(...vadCalls)).toBeLessThanOrEqual(1200);
      expect(events.filter((e) => e.type === 'final' || e.type === 'partial')).toEqual([]);
      expect(events.at(-1)).toEqual({ type: 'end', durationMs: 60_000 });
    });

    it('makes an utterance final at the pause after it, in one decode from just before its start', async () => {
      const requests: LiveDecodeRequest[] = [];
      // Silence, then speech 3.0–5.9 s (words w3, w4, w5 end 3.8, 4.8, 5.8), then silence.
      const { session, frame, events } = open(wordPerSecond(requests), {
        stepMs: 1000,
        detectSpeech: speechAt([{ startMs: 3000, endMs: 5900 }]),
      });
      const finalsBy = (ms: number) =>
        events.flatMap((e) => (e.type === 'final' && e.endMs <= ms ? e.words : []));
      let pushedMs = 0;
      const pushUntil = async (ms: number) => {
        while (pushedMs < ms) {
          session.push(frame());
          pushedMs += 100;
          await tick();
        }
      };
      await pushUntil(5000);
      // Decodes at 4 s and 5 s started 200 ms before the speech, not at the silence before it.
      expect(requests.map((r) => windowOf(r.pcm).fromMs)).toEqual([2800, 2800]);
      await pushUntil(6500);
      // LocalAgreement committed w3 and w4 at 5 s and 6 s; the step at 6 s saw the speech end at
      // 5.9 s but not yet a 500 ms pause, so w5 stayed tentative.
      expect(finalsBy(6000).map((w) => w.text)).toEqual(['w3', 'w4']);
      expect(events.filter((e) => e.type === 'partial').at(-1)).toMatchObject({ text: 'w5' });
      await pushUntil(7000);
      // The step at 7 s heard the pause: everything said is final, from a decode up to 6.1 s.
      expect(finalsBy(6500).map((w) => w.text)).toEqual(['w3', 'w4', 'w5']);
      expect(windowOf(requests.at(-1)!.pcm).toMs).toBe(6100);
      const decodes = requests.length;
      await pushUntil(9000);
      await session.stop();
      // The silence after the utterance was never decoded, and nothing was committed twice.
      expect(requests).toHaveLength(decodes);
      expect(finalsBy(Infinity).map((w) => w.text)).toEqual(['w3', 'w4', 'w5']);
      expect(events.at(-1)).toEqual({ type: 'end', durationMs: 9000 });
    });

    it('drops tentative words the VAD did not hear as speech', async () => {
      const requests: LiveDecodeRequest[] = [];
      // The VAD heard speech only in the first 1.2 s; the decoder "hears" words throughout.
      const { session, frame, events } = open(wordPerSecond(requests), {
        detectSpeech: speechAt([{ startMs: 0, endMs: 1200 }]),
      });
      for (let i = 0; i < 40; i++) {
        session.push(frame());
        await tick();
      }
      await session.stop();
      const finals = events.flatMap((e) => (e.type === 'final' ? e.words : []));
      // w0 (0–0.8 s) was spoken; w1…w3 lie in what the VAD called silence.
      expect(finals.map((w) => w.text)).toEqual(['w0']);
      expect(events.filter((e) => e.type === 'partial').at(-1)).toMatchObject({ text: '' });
    });
  });
});
