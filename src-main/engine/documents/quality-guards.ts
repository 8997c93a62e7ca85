/**
 * Quality guards: marks the words a person should look at, and optionally cuts decoding loops.
 *
 * - `low-confidence`: confidence under `lowConfidence`.
 * - `repetition`: the extra copies of a decoding loop (see repetition.ts); with action 'cut' they
 *   are removed instead, and lines and segments left empty go with them.
 * - `hallucination`: a word whose time lies mostly outside every VAD speech region, i.e. less
 *   than `minOverlapRatio` of it is inside speech, after widening each region by `padMs` to
 *   absorb Whisper's timing error. Without `silence`, nothing is flagged.
 *
 * The guards own these three flags: earlier ones are cleared, so running the guards again with
 * other settings replaces their verdict. Words a person has edited (`edited`) are trusted: they
 * get none of these flags and are never cut. Pure: the input is not changed.
 */
import { z } from 'zod';
import type { TranscriptDocument, Word, WordFlag } from '../../contract/document';
import type { TimeRange } from '../../contract/time-range';
import { parseOrThrow } from '../parse';
import { removeWords } from './remove-words';
import { findExtraRepeats, repetitionKey } from './repetition';
import { mergeRegions, speechShare } from './speech-overlap';
import { withFlag, withoutFlags } from './word-flags';

export interface RepetitionGuardOptions {
  /**
   * Longest n-gram (in words) checked for loops.
   * @default 8
   */
  ngramMax?: number;
  /**
   * Back-to-back copies allowed before the rest count as a loop ("no, no, no" is speech).
   * @default 3
   */
  maxRepeats?: number;
  /**
   * Flag the extra copies, or cut them from the document.
   * @default 'flag'
   */
  action?: 'flag' | 'cut';
}

export interface SilenceGuardOptions {
  /** Speech regions from voice activity detection, in ms. */
  speech: TimeRange[];
  /**
   * Share of a word's time that must be inside speech for it not to be a hallucination.
   * @default 0.5
   */
  minOverlapRatio?: number;
  /**
   * Widening of every speech region on each side, in ms.
   * @default 200
   */
  padMs?: number;
}

export interface QualityGuardOptions {
  /**
   * Words with a confidence under this get `low-confidence`.
   * @default 0.5
   */
  lowConfidence?: number;
  /** @default { ngramMax: 8, maxRepeats: 3, action: 'flag' } */
  repetition?: RepetitionGuardOptions;
  /** @default none: no word is flagged as a hallucination */
  silence?: SilenceGuardOptions;
}

/** How many words each guard marked (for repetitions: flagged or cut). */
export interface QualityGuardSummary {
  lowConfidence: number;
  repetitions: number;
  hallucinations: number;
}

const ratio = z.number().min(0).max(1);
const optionsSchema = z.object({
  lowConfidence: ratio.default(0.5),
  repetition: z
    .object({
      ngramMax: z.number().int().min(1).max(64).default(8),
      maxRepeats: z.number().int().min(1).default(3),
      action: z.enum(['flag', 'cut']).default('flag'),
    })
    .default({ ngramMax: 8, maxRepeats: 3, action: 'flag' }),
  silence: z
    .object({
      speech: z.array(
        z
          .object({ startMs: z.number().finite(), endMs: z.number().finite() })
          .refine((r) => r.endMs >= r.startMs, 'endMs must not be before startMs'),
      ),
      minOverlapRatio: ratio.default(0.5),
      padMs: z.number().finite().min(0).default(200),
    })
    .optional(),
});

const guardFlags: readonly WordFlag[] = ['low-confidence', 'repetition', 'hallucination'];

export function applyQualityGuards(
  doc: TranscriptDocument,
  options: QualityGuardOptions = {},
): { doc: TranscriptDocument; summary: QualityGuardSummary } {
  const { lowConfidence, repetition, silence } = parseOrThrow(
    optionsSchema,
    options,
    'quality guard option',
  );

  const out = structuredClone(doc);
  const words: Word[] = out.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
  for (const word of words) word.flags = withoutFlags(word.flags, guardFlags);
  const trusted = (word: Word) => word.flags.includes('edited');
  const summary: QualityGuardSummary = { lowConfidence: 0, repetitions: 0, hallucinations: 0 };

  for (const word of words) {
    if (!trusted(word) && word.confidence < lowConfidence) addFlag(word, 'low-confidence');
  }

  if (silence) {
    const regions = mergeRegions(silence.speech, silence.padMs);
    for (const word of words) {
      if (!trusted(word) && speechShare(word, regions) < silence.minOverlapRatio) {
        addFlag(word, 'hallucination');
      }
    }
  }

  const extras = findExtraRepeats(
    words.map((word) => repetitionKey(word.text)),
    repetition.ngramMax,
    repetition.maxRepeats,
  )
    .map((index) => words[index]!)
    .filter((word) => !trusted(word));
  summary.repetitions = extras.length;
  let result = out;
  if (repetition.action === 'cut') {
    result = removeWords(out, new Set(extras.map((word) => word.id)));
  } else {
    for (const word of extras) addFlag(word, 'repetition');
  }

  for (const word of result.segments.flatMap((s) => s.lines.flatMap((l) => l.words))) {
    if (word.flags.includes('low-confidence')) summary.lowConfidence++;
    if (word.flags.includes('hallucination')) summary.hallucinations++;
  }
  return { doc: result, summary };
}

function addFlag(word: Word, flag: WordFlag): void {
  word.flags = withFlag(word.flags, flag);
}
