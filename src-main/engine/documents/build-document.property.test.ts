/**
 * Property checks over seeded random token streams: whatever Whisper sends, the built document
 * is valid, keeps every spoken character, and stays valid through the quality guards.
 */
import { describe, expect, it } from 'vitest';
import type { TranscriptDocument, Word } from '../../contract/document';
import type { TranscribeResult } from '../whisper/addon';
import { buildDocument } from './build-document';
import { applyQualityGuards } from './quality-guards';
import { validateDocument } from './validate';
import { randomResult, seededRandom, type RandomResultOptions } from './__fixtures__/random-result';
import { options } from './__fixtures__/whisper-result';

const RUNS = 250;
const modes: RandomResultOptions[] = [
  { times: 'ordered', splitCharacters: false, messySegments: false },
  { times: 'messy', splitCharacters: true, messySegments: true },
  { times: 'none', splitCharacters: true, messySegments: false },
  { times: 'mixed', splitCharacters: true, messySegments: true },
];

const words = (doc: TranscriptDocument): Word[] =>
  doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
const visible = (text: string) => text.replace(/\s+/gu, '').replace(/\[BLANK_AUDIO\]/g, '');

/** What is wrong with `doc` built from `input`, or undefined. */
function problemWith(doc: TranscriptDocument, input: TranscribeResult): string | undefined {
  try {
    validateDocument(doc);
  } catch (error) {
    return (error as Error).message;
  }
  const all = words(doc);
  const spoken = visible(input.segments.map((s) => s.text).join(''));
  const kept = all.map((w) => visible(w.text)).join('');
  if (kept !== spoken) return `text changed: ${JSON.stringify(spoken)} → ${JSON.stringify(kept)}`;
  if (all.length === 0 && doc.notes.length !== 1) return 'no words but no note';
  if (all.some((w) => w.text.trim() !== w.text || w.text === '')) return 'a word with outer spaces';
  if (all.some((w) => w.end > doc.durationMs)) return 'a word past the end of the media';
  const count = (tag: Word['structure'][number]) =>
    all.filter((w) => w.structure.includes(tag)).length;
  if (all.length > 0 && (count('document-first') !== 1 || count('document-last') !== 1)) {
    return 'document-first/last not exactly once';
  }
  if (count('segment-first') !== doc.segments.length) return 'segment-first not once per segment';
  if (doc.segments.some((s) => s.lines.length !== 1)) return 'not one line per segment';
  for (const segment of doc.segments) {
    const inside = segment.lines[0]!.words;
    if (
      segment.end - segment.start >= inside.length * 10 &&
      inside.some((w) => w.end - w.start < 10)
    ) {
      return `a word under 10 ms in ${segment.id} although there was room`;
    }
  }
  return undefined;
}

describe('buildDocument (property)', () => {
  it.each(modes)('keeps every invariant for random streams: %o', (mode) => {
    const rng = seededRandom(mode.times.length * 1000 + (mode.splitCharacters ? 1 : 0));
    const problems: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { result, durationMs } = randomResult(rng, mode);
      const doc = buildDocument(result, { ...options, durationMs, idPrefix: `r${run}-` });
      const problem = problemWith(doc, result);
      if (problem) problems.push(`run ${run}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it('stays valid through the quality guards, cutting or flagging', () => {
    const rng = seededRandom(5);
    const problems: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { result, durationMs } = randomResult(rng, modes[3]!);
      const doc = buildDocument(result, { ...options, durationMs });
      const speech = [{ startMs: rng() * durationMs, endMs: durationMs }];
      for (const action of ['flag', 'cut'] as const) {
        const { doc: out, summary } = applyQualityGuards(doc, {
          repetition: { ngramMax: 3, maxRepeats: 1, action },
          silence: { speech },
        });
        try {
          validateDocument(out);
        } catch (error) {
          problems.push(`run ${run} ${action}: ${(error as Error).message}`);
        }
        const left = words(out).length;
        const expected =
          action === 'cut' ? words(doc).length - summary.repetitions : words(doc).length;
        if (left !== expected)
          problems.push(`run ${run} ${action}: ${left} words, not ${expected}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
