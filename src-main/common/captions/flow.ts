/**
 * Groups a stream of words into captions: the core of wrapping.
 *
 * Policy:
 * - A change of speaker always starts a new caption (the stream is cut into single-speaker runs).
 * - Within a run, captions are chosen by dynamic programming over word boundaries, minimising a
 *   total cost (O(words × words per caption) per run):
 *   - hard limits: at most `maxLines` lines of `maxCharsPerLine` (`line-layout.ts`), and at most
 *     `maxDurationMs` from first word start to last word end. A single word is always allowed
 *     (never split, even when it is too long or too slow: lint reports it);
 *   - every caption costs `caption`, so text fills captions rather than scattering;
 *   - its line layout cost (balance, line break quality);
 *   - a short caption costs up to `shortText` (so 45 + 45 characters beats 84 + 6);
 *   - reading time it cannot get (`caption-timing.ts`): per second missing under
 *     `maxCharsPerSecond` (`readingSpeed`) and under `minDurationMs` (`minDuration`). Word times are
 *     fixed, so this does not make a caption longer; it moves caption boundaries to where the
 *     text gets enough time, e.g. before a pause the caption may extend into;
 *   - the break after it earns its `captionBreakScore` (pauses, punctuation; `break-scores.ts`).
 * The result depends only on the words, their times and the rules, so wrapping is idempotent.
 */
import type { CaptionRules, Word } from '../../contract/document';
import { captionBreakScore } from './break-scores';
import { captionEndMs, endLimitBefore } from './caption-timing';
import { layoutLines, linesNeeded } from './line-layout';
import { measureWords, spanLength, type MeasuredWords } from './measure';

export const flowWeights = {
  /** Cost of each caption. */
  caption: 4,
  /** Cost of an empty caption, falling quadratically to 0 for one of `maxCharsPerLine` chars. */
  shortText: 6,
  /** Cost per second of reading time missing under `maxCharsPerSecond`. */
  readingSpeed: 8,
  /** Cost per second missing under `minDurationMs`. */
  minDuration: 8,
} as const;

/** One caption as planned: its words, the first word of each line, and its display times. */
export interface PlannedCaption {
  words: Word[];
  /** Index into `words` of each line's first word (the first is 0). */
  lineStarts: number[];
  start: number;
  end: number;
}

interface Candidate {
  cost: number;
  lineStarts: number[];
  end: number;
}

/** The cheapest caption of words `i..j-1` of a run, or undefined when the limits forbid it. */
function candidate(
  m: MeasuredWords,
  i: number,
  j: number,
  endLimitMs: number,
  rules: CaptionRules,
): Candidate | 'too-long' {
  const first = m.words[i];
  const last = m.words[j - 1];
  if (!first || !last) return 'too-long';
  const single = j - i === 1;
  if (!single && last.end - first.start > rules.maxDurationMs) return 'too-long';
  const lines = linesNeeded(m, i, j, rules.maxCharsPerLine);
  if (!single && lines > rules.maxLines) return 'too-long';
  const layout = layoutLines(m, i, j, lines, rules.maxCharsPerLine);
  if (!layout) return 'too-long';

  const chars = spanLength(m, i, j);
  const end = captionEndMs(first.start, last.end, chars, endLimitMs, rules);
  const shownSec = (end - first.start) / 1000;
  const w = flowWeights;
  const short = Math.max(0, 1 - chars / rules.maxCharsPerLine) ** 2;
  const readingGap = Math.max(0, chars / rules.maxCharsPerSecond - shownSec);
  const durationGap = Math.max(0, rules.minDurationMs / 1000 - shownSec);
  const cost =
    w.caption +
    layout.cost +
    w.shortText * short +
    w.readingSpeed * readingGap +
    w.minDuration * durationGap;
  return { cost, lineStarts: layout.starts.map((s) => s - i), end };
}

/**
 * Captions for one single-speaker run of words. `endLimitMs` is the latest the run's last
 * caption may end (the next caption's start minus the gap, or the media end).
 */
function planRun(
  words: readonly Word[],
  endLimitMs: number,
  rules: CaptionRules,
): PlannedCaption[] {
  const m = measureWords(words);
  const n = words.length;
  const best = new Array<number>(n + 1).fill(Infinity);
  const choice = new Array<{ from: number; candidate: Candidate } | undefined>(n + 1);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    const before = best[i] ?? Infinity;
    if (before === Infinity) continue;
    for (let j = i + 1; j <= n; j++) {
      const next = words[j];
      const limit = next ? endLimitBefore(next.start, rules) : endLimitMs;
      const c = candidate(m, i, j, limit, rules);
      // Adding words never makes a caption valid again: stop at the first that is too long.
      if (c === 'too-long') break;
      const last = words[j - 1];
      const breakScore = next && last ? captionBreakScore(last, next, rules.minGapMs) : 0;
      const total = before + c.cost - breakScore;
      if (total < (best[j] ?? Infinity)) {
        best[j] = total;
        choice[j] = { from: i, candidate: c };
      }
    }
  }
  const captions: PlannedCaption[] = [];
  for (let j = n; j > 0;) {
    const step = choice[j];
    // Unreachable: a single word is always a valid caption, so every j has a choice.
    if (!step) throw new Error(`caption planning found no caption ending at word ${j}`);
    const captionWords = words.slice(step.from, j);
    captions.unshift({
      words: captionWords,
      lineStarts: step.candidate.lineStarts,
      start: captionWords[0]?.start ?? 0,
      end: step.candidate.end,
    });
    j = step.from;
  }
  return captions;
}

/** Splits `words` where the speaker changes. */
export function speakerRuns(words: readonly Word[]): Word[][] {
  const runs: Word[][] = [];
  let run: Word[] = [];
  for (const word of words) {
    const previous = run[run.length - 1];
    if (previous && previous.speaker !== word.speaker) {
      runs.push(run);
      run = [];
    }
    run.push(word);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Plans the captions for `words` (in time order). The last caption ends no later than
 * `endLimitMs` (unless its words do).
 */
export function planCaptions(
  words: readonly Word[],
  endLimitMs: number,
  rules: CaptionRules,
): PlannedCaption[] {
  const runs = speakerRuns(words);
  return runs.flatMap((run, r) => {
    const next = runs[r + 1]?.[0];
    return planRun(run, next ? endLimitBefore(next.start, rules) : endLimitMs, rules);
  });
}
