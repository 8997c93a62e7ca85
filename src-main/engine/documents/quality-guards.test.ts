import { describe, expect, it } from 'vitest';
import type { TranscriptDocument, Word } from '../../contract/document';
import { isEngineError } from '../errors';
import { buildDocument } from './build-document';
import { applyQualityGuards, type QualityGuardOptions } from './quality-guards';
import { validateDocument } from './validate';
import { jfk, options, result, seg, thankYouLoop, tok } from './__fixtures__/whisper-result';

const words = (doc: TranscriptDocument): Word[] =>
  doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
const flagged = (doc: TranscriptDocument, flag: Word['flags'][number]) =>
  words(doc)
    .filter((w) => w.flags.includes(flag))
    .map((w) => w.id);

const loopDoc = () => buildDocument(thankYouLoop(), { ...options, durationMs: 20_000 });

describe('applyQualityGuards', () => {
  it('flags words under the confidence threshold (0.5 by default)', () => {
    const doc = buildDocument(
      result([
        seg(0, 2000, [
          tok(' sure', 0, 300, 0.9),
          tok(' maybe', 300, 600, 0.49),
          tok(' so', 600, 900, 0.5),
        ]),
      ]),
      options,
    );
    const { doc: out, summary } = applyQualityGuards(doc);
    expect(flagged(out, 'low-confidence')).toEqual(['w2']);
    expect(summary).toEqual({ lowConfidence: 1, repetitions: 0, hallucinations: 0 });
    expect(flagged(applyQualityGuards(doc, { lowConfidence: 0.95 }).doc, 'low-confidence')).toEqual(
      ['w1', 'w2', 'w3'],
    );
  });

  it('flags the extra copies of the "thank you" loop', () => {
    const doc = loopDoc();
    const { doc: out, summary } = applyQualityGuards(doc, { lowConfidence: 0 });
    // 12 × "Thank you." → the first 3 copies stay, the other 9 (18 words) are flagged.
    expect(flagged(out, 'repetition')).toEqual(Array.from({ length: 18 }, (_, i) => `w${i + 7}`));
    expect(summary.repetitions).toBe(18);
    expect(out.segments).toHaveLength(12);
    validateDocument(out);
  });

  it('cuts the extra copies, dropping the segments they leave empty', () => {
    const doc = loopDoc();
    const before = structuredClone(doc);
    const { doc: out, summary } = applyQualityGuards(doc, {
      repetition: { action: 'cut' },
    });
    expect(words(out).map((w) => w.text)).toEqual([
      'Thank',
      'you.',
      'Thank',
      'you.',
      'Thank',
      'you.',
    ]);
    expect(out.segments.map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    expect(summary.repetitions).toBe(18);
    expect(doc).toEqual(before);
    expect(words(out).at(-1)!.structure).toContain('document-last');
    validateDocument(out);
  });

  it('honours ngramMax and maxRepeats', () => {
    const doc = loopDoc();
    expect(applyQualityGuards(doc, { repetition: { ngramMax: 1 } }).summary.repetitions).toBe(0);
    expect(applyQualityGuards(doc, { repetition: { maxRepeats: 11 } }).summary.repetitions).toBe(2);
    expect(applyQualityGuards(doc, { repetition: { maxRepeats: 12 } }).summary.repetitions).toBe(0);
  });

  it('leaves ordinary speech alone', () => {
    const { summary } = applyQualityGuards(buildDocument(jfk, options));
    expect(summary).toEqual({ lowConfidence: 0, repetitions: 0, hallucinations: 0 });
  });

  it('flags words lying mostly outside every speech region as hallucinations', () => {
    const doc = buildDocument(
      result([
        seg(0, 3000, [tok(' Hello', 1000, 1500), tok(' there', 1500, 2000)]),
        seg(8000, 10_000, [
          tok(' Thanks', 8000, 8500),
          tok(' for', 8500, 8700),
          tok(' watching', 8700, 9500),
        ]),
      ]),
      options,
    );
    const silence = {
      speech: [
        { startMs: 900, endMs: 1900 },
        { startMs: 8600, endMs: 8650 },
      ],
    };
    const { doc: out, summary } = applyQualityGuards(doc, { silence });
    // "there" (1500–2000) is 400/500 inside after the 200 ms padding; "for" is 250/200 → all in.
    expect(flagged(out, 'hallucination')).toEqual(['w3', 'w5']);
    expect(summary.hallucinations).toBe(2);
    const strict = applyQualityGuards(doc, {
      silence: { ...silence, padMs: 0, minOverlapRatio: 0.9 },
    });
    expect(flagged(strict.doc, 'hallucination')).toEqual(['w2', 'w3', 'w4', 'w5']);
  });

  it('replaces its own earlier flags and keeps other flags', () => {
    const doc = buildDocument(
      result([seg(0, 2000, [tok(' a', 0, 300, 0.3), tok(' b', 300, 600, 0.9)])]),
      options,
    );
    words(doc)[1]!.flags = ['low-confidence', 'corrected'];
    const { doc: out } = applyQualityGuards(doc);
    expect(words(out).map((w) => w.flags)).toEqual([['low-confidence'], ['corrected']]);
  });

  it('trusts words a person edited', () => {
    const doc = loopDoc();
    for (const word of words(doc).slice(-2)) word.flags = ['edited'];
    words(doc)[0]!.confidence = 0.1;
    words(doc)[0]!.flags = ['edited'];
    const { doc: out, summary } = applyQualityGuards(doc, {
      repetition: { action: 'cut' },
      silence: { speech: [] },
    });
    // 18 extra words less the 2 edited ones are cut; of the 8 left, the 5 unedited are
    // hallucinations (no speech at all), and the edited first word is not low-confidence.
    expect(summary).toEqual({ lowConfidence: 0, repetitions: 16, hallucinations: 5 });
    expect(words(out).map((w) => w.text)).toHaveLength(8);
  });

  it('rejects options out of range', () => {
    const bad: QualityGuardOptions[] = [
      { lowConfidence: 2 },
      { repetition: { ngramMax: 0 } },
      { repetition: { maxRepeats: 0 } },
      { silence: { speech: [{ startMs: 5, endMs: 1 }] } },
      { silence: { speech: [], minOverlapRatio: -1 } },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        applyQualityGuards(loopDoc(), options);
      } catch (e) {
        error = e;
      }
      expect(isEngineError(error, 'INVALID_ARGUMENT'), JSON.stringify(options)).toBe(true);
    }
  });
});
