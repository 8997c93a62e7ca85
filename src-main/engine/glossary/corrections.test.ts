import { describe, expect, it } from 'vitest';
import type { TranscriptDocument, Word } from '../../contract/document';
import { buildDocument } from '../documents/build-document';
import { validateDocument } from '../documents/validate';
import { options, result, seg, tok } from '../documents/__fixtures__/whisper-result';
import { isEngineError, type ErrorCode } from '../errors';
import { applyCorrections, applyCorrectionsInSlices, undoCorrection } from './corrections';
import { GLOSSARY_LIMITS, type GlossaryInput } from '../../contract/glossary';

const words = (doc: TranscriptDocument): Word[] =>
  doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
const text = (doc: TranscriptDocument) =>
  words(doc)
    .map((w) => w.text)
    .join(' ');

/** "We deploy cooper netties on new york servers, kubernetis and colour grading in New York." */
function talk(): TranscriptDocument {
  const spoken = [
    ' We',
    ' deploy',
    ' cooper',
    ' netties',
    ' on',
    ' new',
    ' york',
    ' servers',
    ',',
    ' kubernetis',
    ' and',
    ' Colour',
    ' grading',
    ' in',
    ' New',
    ' York',
    '.',
  ];
  let t = 0;
  return buildDocument(
    result([
      seg(
        0,
        6000,
        spoken.slice(0, 9).map((s) => tok(s, t, (t += 300))),
      ),
      seg(
        6000,
        12_000,
        spoken.slice(9).map((s) => tok(s, (t = Math.max(t, 6000)), (t += 300))),
      ),
    ]),
    { ...options, durationMs: 12_000 },
  );
}

const glossary: GlossaryInput = {
  terms: [{ term: 'Kubernetes', soundsLike: ['kubernetis', 'cooper netties'] }],
  rules: [
    { match: 'new york', replace: 'New York' },
    { match: 'colour', replace: 'color' },
  ],
};

function engineError(run: () => unknown, code: ErrorCode): Error {
  try {
    run();
  } catch (error) {
    expect(isEngineError(error, code), String(error)).toBe(true);
    return error as Error;
  }
  throw new Error(`expected ${code}`);
}

describe('applyCorrections', () => {
  it('applies single-word and same-length multi-word rules and records each change', () => {
    const doc = talk();
    const before = structuredClone(doc);
    const { doc: out, corrections } = applyCorrections(doc, glossary);
    expect(text(out)).toBe(
      'We deploy cooper netties on New York servers, Kubernetes and Color grading in New York.',
    );
    expect(corrections).toEqual([
      { wordId: 'w6', before: 'new', after: 'New', rule: 'whole-word: new york → New York' },
      { wordId: 'w7', before: 'york', after: 'York', rule: 'whole-word: new york → New York' },
      {
        wordId: 'w9',
        before: 'kubernetis',
        after: 'Kubernetes',
        rule: 'term: kubernetis → Kubernetes',
      },
      { wordId: 'w11', before: 'Colour', after: 'Color', rule: 'whole-word: colour → color' },
    ]);
    expect(out.corrections).toEqual(corrections);
    expect(
      words(out)
        .filter((w) => w.flags.includes('corrected'))
        .map((w) => w.id),
    ).toEqual(['w6', 'w7', 'w9', 'w11']);
    expect(doc).toEqual(before);
    validateDocument(out);
  });

  it('keeps ids, times and other flags of corrected words', () => {
    const doc = talk();
    words(doc)[8]!.flags = ['low-confidence'];
    const { doc: out } = applyCorrections(doc, glossary);
    const [was, now] = [words(doc)[8]!, words(out)[8]!];
    expect(now).toEqual({ ...was, text: 'Kubernetes', flags: ['low-confidence', 'corrected'] });
  });

  it('appends to earlier corrections and changes nothing when run again', () => {
    const once = applyCorrections(talk(), glossary).doc;
    const twice = applyCorrections(once, glossary);
    expect(twice.corrections).toEqual([]);
    expect(twice.doc).toEqual(once);
  });

  it('leaves words a person edited alone', () => {
    const doc = talk();
    words(doc)[8]!.flags = ['edited'];
    words(doc)[6]!.flags = ['edited'];
    const { corrections } = applyCorrections(doc, glossary);
    expect(corrections.map((c) => c.wordId)).toEqual(['w11']);
  });

  it('does not apply a replacement that would leave a word empty', () => {
    const { corrections } = applyCorrections(talk(), {
      rules: [{ match: 'deploy', replace: ' ' }],
    });
    expect(corrections).toEqual([]);
  });

  it('rejects an invalid regular expression, naming the rule', () => {
    const error = engineError(
      () => applyCorrections(talk(), { rules: [{ match: '[a-', replace: 'x', mode: 'regex' }] }),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toContain('Glossary rule 1 (regex: [a- → x)');
  });
});

/**
 * A realistic stretch of speech: 600 words in 20 segments, ordinary English with the long words
 * interviews are full of ("understanding", "infrastructure").
 */
function interview(): TranscriptDocument {
  const sentence =
    'So our understanding is that the infrastructure team deployed Kubernetes, and honestly the ' +
    'transcription quality improved considerably after the microphones were replaced.';
  const spoken = Array.from({ length: 40 }, () => sentence.split(' '))
    .flat()
    .slice(0, 600);
  const segments = [];
  for (let s = 0; s < 20; s++) {
    const start = s * 6000;
    const part = spoken.slice(s * 30, s * 30 + 30);
    segments.push(
      seg(
        start,
        start + 6000,
        part.map((w, i) => tok(` ${w}`, start + i * 200, start + i * 200 + 180)),
      ),
    );
  }
  return buildDocument(result(segments), { ...options, durationMs: 120_000 });
}

describe('regular expression rules run in linear time', () => {
  it('a rule that backtracks combinatorially in a JavaScript RegExp finishes at once', () => {
    const doc = interview();
    // Sixteen nested-equivalent groups and a suffix that never matches: a backtracking engine
    // tries every way to split each word among the groups before it gives up.
    const hostile = `/^${'(.*)'.repeat(16)}!$/`;
    const started = performance.now();
    const { corrections } = applyCorrections(doc, {
      rules: [
        { match: hostile, replace: 'x', mode: 'regex' },
        { match: '/^(under)(standing)$/', replace: '$2-$1', mode: 'regex' },
      ],
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(500);
    // The other rule still applies to every occurrence, with its group references.
    const occurrences = words(doc).filter((w) => w.text === 'understanding').length;
    expect(occurrences).toBeGreaterThan(20);
    expect(corrections).toHaveLength(occurrences);
    expect(new Set(corrections.map((c) => c.after))).toEqual(new Set(['standing-under']));
  });
});

/** 6,000 words (some of them to correct) and a glossary with as many terms and rules as allowed. */
function atTheLimits(): { doc: TranscriptDocument; full: GlossaryInput } {
  const segments = [];
  const spoken = ['so', 'Sounds7x3', 'the', 'kubernetes,', 'colour', 'sounds299x9!', 'and'];
  for (let s = 0; s < 200; s++) {
    const start = s * 6000;
    segments.push(
      seg(
        start,
        start + 6000,
        Array.from({ length: 30 }, (_, i) =>
          tok(` ${spoken[(s * 30 + i) % spoken.length]}`, start + i * 200, start + i * 200 + 180),
        ),
      ),
    );
  }
  const doc = buildDocument(result(segments), { ...options, durationMs: 1_200_000 });
  const { terms, soundsLikePerTerm, rules } = GLOSSARY_LIMITS;
  const full: GlossaryInput = {
    terms: Array.from({ length: terms }, (_, i) => ({
      term: i === 0 ? 'Kubernetes' : `Term${i}`,
      soundsLike: Array.from({ length: soundsLikePerTerm }, (_, k) => `sounds${i}x${k}`),
    })),
    rules: Array.from({ length: rules }, (_, i) =>
      i % 2
        ? { match: `colour${i === 1 ? '' : i}`, replace: 'color' }
        : { match: `/^(x${i})+$/i`, replace: 'y', mode: 'regex' as const },
    ),
  };
  return { doc, full };
}

describe('a glossary at its size limits', () => {
  it('corrects on the main thread in slices, letting the event loop run between them', async () => {
    const { doc, full } = atTheLimits();
    let turns = 0;
    let stop = false;
    const spin = () => {
      turns += 1;
      if (!stop) setImmediate(spin);
    };
    setImmediate(spin);
    const sliced = await applyCorrectionsInSlices(doc, full, { sliceMs: 5 });
    stop = true;
    // The other work on the event loop ran while the words were corrected, many times over.
    expect(turns).toBeGreaterThan(3);
    expect(sliced).toEqual(applyCorrections(doc, full));
  });

  it('corrects a long transcript in about a second, with the same results as rule by rule', () => {
    const { doc, full } = atTheLimits();
    const started = performance.now();
    const { corrections } = applyCorrections(doc, full);
    expect(performance.now() - started).toBeLessThan(1500);
    const byWord = new Map(corrections.map((c) => [c.before, c.after]));
    expect(Object.fromEntries(byWord)).toEqual({
      Sounds7x3: 'Term7',
      'kubernetes,': 'Kubernetes,',
      colour: 'color',
      'sounds299x9!': 'Term299!',
    });
    const changed = words(doc).filter((w) => byWord.has(w.text)).length;
    expect(changed).toBeGreaterThan(3000);
    expect(corrections).toHaveLength(changed);
  });
});

describe('undoCorrection', () => {
  it('gives the word its text back and drops the record and the flag', () => {
    const corrected = applyCorrections(talk(), glossary).doc;
    const undone = undoCorrection(corrected, 2);
    expect(words(undone)[8]).toMatchObject({ text: 'kubernetis', flags: [] });
    expect(undone.corrections.map((c) => c.wordId)).toEqual(['w6', 'w7', 'w11']);
    expect(words(corrected)[8]!.text).toBe('Kubernetes');
  });

  it('restores the original document when every correction is undone, newest first', () => {
    const original = talk();
    let doc = applyCorrections(original, glossary).doc;
    while (doc.corrections.length > 0) doc = undoCorrection(doc, doc.corrections.length - 1);
    expect(doc).toEqual(original);
  });

  it('keeps the flag while another correction of the word is left', () => {
    const doc = applyCorrections(talk(), glossary).doc;
    // An older record of the same word (e.g. from a glossary run before this one).
    doc.corrections.unshift({ wordId: 'w9', before: 'kubernetis', after: 'kubernetis', rule: 'r' });
    const undone = undoCorrection(doc, 3);
    expect(words(undone)[8]!.text).toBe('kubernetis');
    expect(words(undone)[8]!.flags).toEqual(['corrected']);
  });

  it('refuses when the word changed since, is gone, or the index is wrong', () => {
    const doc = applyCorrections(talk(), glossary).doc;
    const edited = structuredClone(doc);
    words(edited)[8]!.text = 'K8s';
    expect(engineError(() => undoCorrection(edited, 2), 'CONFLICT').message).toContain(
      'now reads "K8s"',
    );
    const gone = structuredClone(doc);
    gone.segments[1]!.lines[0]!.words.splice(0, 1);
    engineError(() => undoCorrection(gone, 2), 'NOT_FOUND');
    for (const index of [-1, 4, 1.5])
      engineError(() => undoCorrection(doc, index), 'INVALID_ARGUMENT');
  });
});
