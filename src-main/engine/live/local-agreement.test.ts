import { describe, expect, it } from 'vitest';
import {
  agree,
  agreeAndFlush,
  flushAgreement,
  initialAgreement,
  skipSilence,
  type AgreementState,
  type TimedWord,
} from './local-agreement';

/** Words at 400 ms each from `startMs`: "a b c" → a@0-400, b@400-800, c@800-1200. */
const words = (text: string, startMs = 0, stepMs = 400): TimedWord[] =>
  text
    .split(' ')
    .filter(Boolean)
    .map((word, i) => ({
      text: word,
      startMs: startMs + i * stepMs,
      endMs: startMs + (i + 1) * stepMs,
      p: 0.9,
    }));

const texts = (list: readonly TimedWord[]) => list.map((word) => word.text).join(' ');

/** Runs a scripted sequence of hypotheses (each decoded up to `audioEndMs`). */
function run(steps: { hypothesis: TimedWord[]; audioEndMs: number }[]) {
  let state: AgreementState = initialAgreement;
  const committed: TimedWord[] = [];
  const log: { committed: string; tentative: string; keepFromMs: number }[] = [];
  for (const { hypothesis, audioEndMs } of steps) {
    const step = agree(state, hypothesis, audioEndMs);
    state = step.state;
    committed.push(...step.committed);
    log.push({
      committed: texts(step.committed),
      tentative: texts(step.tentative),
      keepFromMs: step.keepFromMs,
    });
  }
  return { state, committed, log };
}

describe('LocalAgreement-2', () => {
  it('commits a word once two consecutive hypotheses agree on it, not before', () => {
    const { log, committed } = run([
      { hypothesis: words('and so'), audioEndMs: 1000 },
      { hypothesis: words('and so my fellow'), audioEndMs: 2000 },
      { hypothesis: words('and so my fellow Americans'), audioEndMs: 3000 },
    ]);
    expect(log[0]).toMatchObject({ committed: '', tentative: 'and so' });
    expect(log[1]).toMatchObject({ committed: 'and so', tentative: 'my fellow' });
    expect(log[2]).toMatchObject({ committed: 'my fellow', tentative: 'Americans' });
    expect(texts(committed)).toBe('and so my fellow');
  });

  it('commits only the common prefix when hypotheses diverge, and agrees across punctuation and case', () => {
    const { log } = run([
      { hypothesis: words('ask not what'), audioEndMs: 1500 },
      { hypothesis: words('Ask not, which'), audioEndMs: 2000 },
    ]);
    // The newer spelling is the one committed.
    expect(log[1]).toMatchObject({ committed: 'Ask not,', tentative: 'which' });
  });

  it('never commits the same word twice when the left context is decoded again', () => {
    // The buffer keeps 500 ms before the commit point, so later decodes start with old words.
    const { committed } = run([
      { hypothesis: words('ask not what your'), audioEndMs: 1600 },
      { hypothesis: words('ask not what your country'), audioEndMs: 2000 },
      // Decoded from 1100 ms: "what" and "your" heard again ("your" now ends after the commit
      // point, so only its text shows it is old), then new words.
      {
        hypothesis: [
          { text: 'what', startMs: 1100, endMs: 1250, p: 0.9 },
          { text: 'your', startMs: 1450, endMs: 1800, p: 0.9 },
          ...words('country can do', 1800),
        ],
        audioEndMs: 2800,
      },
      { hypothesis: words('country can do for you', 1600), audioEndMs: 3600 },
    ]);
    expect(texts(committed)).toBe('ask not what your country can do');
  });

  it('keeps committed text append-only with non-decreasing times over a scripted session', () => {
    const script = 'and so my fellow Americans ask not what your country can do for you'.split(' ');
    const steps = [];
    // Each step hears one more word; the last word of every hypothesis is misheard once.
    for (let heard = 1; heard <= script.length; heard++) {
      const hypothesis = words(script.slice(0, heard).join(' '));
      if (heard % 3 === 0) hypothesis[heard - 1]!.text = 'uh';
      steps.push({ hypothesis, audioEndMs: heard * 400 });
    }
    const { committed, state } = run(steps);
    const final = flushAgreement(state, script.length * 400);
    const all = [...committed, ...final.committed];
    expect(texts(all)).toBe(script.join(' '));
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.startMs).toBeGreaterThanOrEqual(all[i - 1]!.startMs);
      expect(all[i]!.startMs).toBeGreaterThanOrEqual(all[i - 1]!.endMs);
      expect(all[i]!.endMs).toBeGreaterThanOrEqual(all[i]!.startMs);
    }
  });

  it('force-commits hypotheses that never agree, so the unconfirmed audio and buffer stay bounded', () => {
    let state: AgreementState = initialAgreement;
    let committedWords = 0;
    let lastEnd = 0;
    let keepFromMs = 0;
    // Ten minutes of noise: every decode of the window returns different words.
    for (let audioEndMs = 1000; audioEndMs <= 600_000; audioEndMs += 1000) {
      const windowStart = keepFromMs;
      const count = Math.floor((audioEndMs - windowStart) / 300);
      const hypothesis = Array.from({ length: count }, (_, i) => ({
        text: `w${audioEndMs}-${i}`,
        startMs: windowStart + i * 300,
        endMs: windowStart + (i + 1) * 300,
        p: 0.1,
      }));
      const step = agree(state, hypothesis, audioEndMs, { maxUnconfirmedMs: 15_000 });
      for (const word of step.committed) {
        expect(word.startMs).toBeGreaterThanOrEqual(lastEnd);
        lastEnd = word.endMs;
      }
      committedWords += step.committed.length;
      state = step.state;
      keepFromMs = step.keepFromMs;
      expect(audioEndMs - state.committedUntilMs).toBeLessThanOrEqual(15_000 + 1000);
      // What the caller must keep of its audio buffer stays bounded too.
      expect(audioEndMs - keepFromMs).toBeLessThanOrEqual(15_000 + 1000 + 500);
      expect(state.pending.length).toBeLessThanOrEqual(60);
      expect(state.prompt.length).toBeLessThanOrEqual(200);
      expect(state.recent.length).toBeLessThanOrEqual(5);
    }
    expect(committedWords).toBeGreaterThan(1000);
  });

  it('moves the commit point through silence (no words) so the buffer can be trimmed', () => {
    let state: AgreementState = initialAgreement;
    let step = agree(state, [], 10_000);
    expect(step.state.committedUntilMs).toBe(0);
    for (let end = 11_000; end <= 20_000; end += 1000) {
      step = agree(state, [], end);
      state = step.state;
    }
    expect(state.committedUntilMs).toBeGreaterThanOrEqual(20_000 - 15_000);
    expect(step.keepFromMs).toBeGreaterThan(0);
  });

  it('feeds a bounded tail of the committed text to the decoder as its prompt', () => {
    const long = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const first = agree(initialAgreement, words(long), 40_000, { maxUnconfirmedMs: 60_000 });
    const second = agree(first.state, words(long), 40_000, {
      maxUnconfirmedMs: 60_000,
      promptChars: 50,
    });
    expect(second.committed).toHaveLength(100);
    expect(second.state.prompt.length).toBeLessThanOrEqual(50);
    expect(second.state.prompt.endsWith('word98 word99')).toBe(true);
    expect(second.state.prompt.startsWith('word')).toBe(true);
  });

  it('flushes the tentative tail at the end of the stream', () => {
    const { state } = run([{ hypothesis: words('ask not'), audioEndMs: 1000 }]);
    const end = flushAgreement(state, 1200);
    expect(texts(end.committed)).toBe('ask not');
    expect(end.state.pending).toEqual([]);
    expect(end.state.committedUntilMs).toBe(1200);
  });
});

describe('utterance ends and silence', () => {
  it('commits a hypothesis ending in a pause at once, after what was already committed', () => {
    const { state } = run([
      { hypothesis: words('a b'), audioEndMs: 900 },
      { hypothesis: words('a b c'), audioEndMs: 1300 },
    ]);
    expect(texts(state.pending)).toBe('c');
    // The utterance ended: "c d" is final without a second agreeing hypothesis.
    const step = agreeAndFlush(state, words('a b c d'), 1800);
    expect(texts(step.committed)).toBe('c d');
    expect(step.tentative).toEqual([]);
    expect(step.state.committedUntilMs).toBe(1800);
    expect(step.state.pending).toEqual([]);
    expect(step.state.prompt).toBe('a b c d');
  });

  it('drops pending words when the VAD heard no speech, and moves the commit point', () => {
    const { state } = run([{ hypothesis: words('ghost words'), audioEndMs: 1000 }]);
    expect(texts(state.pending)).toBe('ghost words');
    const step = skipSilence(state, 2500);
    expect(step.committed).toEqual([]);
    expect(step.state).toMatchObject({ committedUntilMs: 2500, pending: [], prompt: '' });
    expect(step.keepFromMs).toBe(2500);
    // Never backwards.
    expect(skipSilence(step.state, 1000).state.committedUntilMs).toBe(2500);
  });
});
