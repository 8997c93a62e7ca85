/**
 * Glossary corrections on a transcript document, recorded so the editor can show and undo them.
 *
 * Words are visited in document order. At each word, rules whose match spans several words are
 * tried first (longest first) on it and the words after it, joined by spaces; such a rule is
 * applied only when its result has as many words as it matched, so each word keeps its id and
 * times and gets its own undoable correction ("new york" → "New York"). A result with fewer or
 * more words ("cooper netties" → "Kubernetes") is not applied: merging words could not be undone
 * from the correction record. Then the single-word rules are tried in order; the first that
 * changes the word wins.
 *
 * Words already `corrected` or `edited` by a person are left alone, so running the corrections
 * again changes nothing new. A replacement that would leave a word empty is not applied.
 */
import type { Correction, TranscriptDocument, Word } from '../../contract/document';
import { EngineError } from '../errors';
import { withFlag, withoutFlags } from '../documents/word-flags';
import type { GlossaryInput } from '../../contract/glossary';
import { parseGlossary } from './glossary';
import { compileRules, plainRuleFinder, type CompiledRule } from './rules';

export interface CorrectionResult {
  /** The corrected document; its `corrections` list ends with the new ones. */
  doc: TranscriptDocument;
  /** The corrections this call made, in document order. */
  corrections: Correction[];
}

/** Words corrected between two checks of the time budget in `applyCorrectionsInSlices`. */
const wordsPerStep = 256;

/** Applies a glossary's corrections to a copy of `doc` (see `correcting`). */
export function applyCorrections(doc: TranscriptDocument, input: GlossaryInput): CorrectionResult {
  const steps = correcting(doc, input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `applyCorrections` for the engine's main thread: the words are corrected in slices of at most
 * `sliceMs`, and the event loop runs between slices, so a large glossary over a 3-hour transcript
 * never holds up requests (the work is linear, RE2 patterns included, but can still take seconds).
 */
export async function applyCorrectionsInSlices(
  doc: TranscriptDocument,
  input: GlossaryInput,
  { sliceMs = 15 }: { sliceMs?: number } = {},
): Promise<CorrectionResult> {
  const steps = correcting(doc, input);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** The corrections, pausing (`yield`) every `wordsPerStep` words; returns the result. */
function* correcting(
  doc: TranscriptDocument,
  input: GlossaryInput,
): Generator<void, CorrectionResult, void> {
  const rules = compileRules(parseGlossary(input));
  const multi = rules.filter((rule) => rule.words > 1).sort((a, b) => b.words - a.words);
  const single = rules.filter((rule) => rule.words === 1);
  // Only the plain rules that may match a word are tried on it (see plainRuleFinder), in their
  // order among the regex rules, which are always tried.
  const plainIn = plainRuleFinder(rules);
  const order = new Map<CompiledRule, number>([...multi, ...single].map((rule, k) => [rule, k]));
  const singleRegex = single.filter((rule) => rule.hint === undefined);
  const inOrder = (found: Iterable<CompiledRule>, always: readonly CompiledRule[]) =>
    [...always, ...found].sort((a, b) => order.get(a)! - order.get(b)!);
  const longest = multi[0]?.words ?? 0;
  const out = structuredClone(doc);
  const words = allWords(out);
  const made: Correction[] = [];
  const change = (word: Word, after: string, rule: CompiledRule) => {
    made.push({ wordId: word.id, before: word.text, after, rule: rule.label });
    word.text = after;
    word.flags = withFlag(word.flags, 'corrected');
  };

  let nextPause = wordsPerStep;
  for (let i = 0; i < words.length;) {
    if (i >= nextPause) {
      yield;
      nextPause = i + wordsPerStep;
    }
    // Every multi-word rule's window at i is the start of the longest one.
    const ahead = multi.length > 0 ? words.slice(i, i + longest).map((word) => word.text) : [];
    const multiFound =
      ahead.length > 1 ? [...plainIn(ahead.join(' '))].filter((r) => r.words > 1) : [];
    const span =
      multiFound.length > 0 ? applyMultiWord(words, i, inOrder(multiFound, []), change) : 0;
    if (span > 0) {
      i += span;
      continue;
    }
    const word = words[i]!;
    if (correctable(word)) {
      const found = [...plainIn(word.text)].filter((rule) => rule.words === 1);
      for (const rule of found.length > 0 ? inOrder(found, singleRegex) : singleRegex) {
        const after = rule.apply(word.text).trim();
        if (after !== '' && after !== word.text) {
          change(word, after, rule);
          break;
        }
      }
    }
    i++;
  }
  out.corrections = [...out.corrections, ...made];
  return { doc: out, corrections: made };
}

/**
 * The document with correction `index` (into `doc.corrections`) undone: the word gets its text
 * back, the correction leaves the list, and the word loses `corrected` when no other correction
 * of it is left. CONFLICT when the word was changed after the correction; NOT_FOUND when the word
 * is gone.
 */
export function undoCorrection(doc: TranscriptDocument, index: number): TranscriptDocument {
  const correction = Number.isInteger(index) ? doc.corrections[index] : undefined;
  if (!correction) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `There is no correction ${String(index)}; the document has ${doc.corrections.length}.`,
      { details: { index } },
    );
  }
  const out = structuredClone(doc);
  const word = allWords(out).find((w) => w.id === correction.wordId);
  if (!word) {
    throw new EngineError(
      'NOT_FOUND',
      `The word ${correction.wordId} that correction ${index} changed is no longer in the document.`,
      { details: { index, wordId: correction.wordId } },
    );
  }
  if (word.text !== correction.after) {
    throw new EngineError(
      'CONFLICT',
      `The word ${word.id} now reads "${word.text}", not "${correction.after}": it was changed after this correction. Undo the later change first.`,
      { details: { index, wordId: word.id } },
    );
  }
  word.text = correction.before;
  out.corrections = out.corrections.filter((_, i) => i !== index);
  if (!out.corrections.some((c) => c.wordId === word.id)) {
    word.flags = withoutFlags(word.flags, ['corrected']);
  }
  return out;
}

/** Tries the multi-word rules at `words[i]`; returns how many words the applied one spans, or 0. */
function applyMultiWord(
  words: Word[],
  i: number,
  rules: readonly CompiledRule[],
  change: (word: Word, after: string, rule: CompiledRule) => void,
): number {
  for (const rule of rules) {
    const window = words.slice(i, i + rule.words);
    if (window.length < rule.words || !window.every(correctable)) continue;
    const before = window.map((word) => word.text);
    const after = rule.apply(before.join(' ')).trim().split(/ +/u);
    if (after.length !== rule.words || after.every((text, k) => text === before[k])) continue;
    window.forEach((word, k) => {
      if (after[k] !== before[k]) change(word, after[k]!, rule);
    });
    return rule.words;
  }
  return 0;
}

function correctable(word: Word): boolean {
  return !word.flags.includes('corrected') && !word.flags.includes('edited');
}

function allWords(doc: TranscriptDocument): Word[] {
  return doc.segments.flatMap((segment) => segment.lines.flatMap((line) => line.words));
}
