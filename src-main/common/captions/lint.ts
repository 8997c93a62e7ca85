/**
 * Checks a document's captions against caption rules and lists every violation, in document
 * order (per caption: lines, line count, reading speed, durations, then the gap before it).
 * Reading speed counts every character of the caption's words, with one space between words
 * (a line break counts as the space it replaces), over the caption's display time.
 */
import type { CaptionRules, Line, Segment, TranscriptDocument } from '../../contract/document';
import { charsPerSecond } from './caption-timing';
import { wordsLength } from './text-length';

/**
 * Characters of each line, kept per line object. Documents are immutable values (the editor's
 * operations return new lines for changed ones), so after an edit only the lines it touched are
 * measured again: re-linting a 3-hour transcript on every keystroke stays cheap even where
 * grapheme counting is slow (non-ASCII text).
 */
const lineLengths = new WeakMap<Line, number>();

function lineLength(line: Line): number {
  let chars = lineLengths.get(line);
  if (chars === undefined) {
    chars = wordsLength(line.words);
    lineLengths.set(line, chars);
  }
  return chars;
}

/** Characters of a caption: its lines', plus one for each line break (the space it replaces). */
const captionLength = (segment: Segment): number =>
  segment.lines.reduce(
    (sum, line) => sum + lineLength(line),
    Math.max(0, segment.lines.length - 1),
  );

export type CaptionRuleName =
  | 'chars-per-line'
  | 'lines'
  | 'chars-per-second'
  | 'min-duration'
  | 'max-duration'
  | 'min-gap'
  | 'overlap';

export interface Violation {
  segmentId: string;
  segmentIndex: number;
  /** The line, for `chars-per-line`. */
  lineIndex?: number;
  /** Where the problem is: the line's start for `chars-per-line`, else the caption's start. */
  startMs: number;
  rule: CaptionRuleName;
  /**
   * The measured value: characters, lines, characters per second (2 decimals), milliseconds of
   * duration or gap, or for `overlap` the milliseconds the captions overlap.
   */
  actual: number;
  /** The rule's limit, in the same unit (0 for `overlap`). */
  limit: number;
  message: string;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * The violations of one caption: its own (lines, reading speed, durations) and the gap after
 * `previous`, the caption before it. `lintCaptions` is this over every caption; a caller that
 * re-lints often may keep the result while the caption, its index and `previous` are unchanged.
 */
export function captionViolations(
  segment: Segment,
  segmentIndex: number,
  previous: Segment | undefined,
  rules: CaptionRules,
): Violation[] {
  const at = { segmentId: segment.id, segmentIndex, startMs: segment.start };
  const name = `Caption ${segmentIndex + 1}`;
  const found: Violation[] = [];

  segment.lines.forEach((line, lineIndex) => {
    const chars = lineLength(line);
    if (chars <= rules.maxCharsPerLine) return;
    const oneWord = line.words.length === 1 ? ' (a single word, which is never split)' : '';
    found.push({
      ...at,
      lineIndex,
      startMs: line.start,
      rule: 'chars-per-line',
      actual: chars,
      limit: rules.maxCharsPerLine,
      message: `${name}, line ${lineIndex + 1} has ${chars} characters${oneWord}; the limit is ${rules.maxCharsPerLine}.`,
    });
  });

  const lines = segment.lines.length;
  if (lines > rules.maxLines) {
    found.push({
      ...at,
      rule: 'lines',
      actual: lines,
      limit: rules.maxLines,
      message: `${name} has ${lines} lines; the limit is ${rules.maxLines}.`,
    });
  }

  const duration = segment.end - segment.start;
  const chars = captionLength(segment);
  const cps = charsPerSecond(chars, duration);
  if (cps > rules.maxCharsPerSecond) {
    found.push({
      ...at,
      rule: 'chars-per-second',
      actual: round2(cps),
      limit: rules.maxCharsPerSecond,
      message: `${name} needs ${round2(cps)} characters per second (${chars} in ${duration} ms); the limit is ${rules.maxCharsPerSecond}.`,
    });
  }
  if (duration < rules.minDurationMs) {
    found.push({
      ...at,
      rule: 'min-duration',
      actual: duration,
      limit: rules.minDurationMs,
      message: `${name} is shown for ${duration} ms; the minimum is ${rules.minDurationMs} ms.`,
    });
  }
  if (duration > rules.maxDurationMs) {
    found.push({
      ...at,
      rule: 'max-duration',
      actual: duration,
      limit: rules.maxDurationMs,
      message: `${name} is shown for ${duration} ms; the maximum is ${rules.maxDurationMs} ms.`,
    });
  }

  if (previous) {
    const gap = segment.start - previous.end;
    if (gap < 0) {
      found.push({
        ...at,
        rule: 'overlap',
        actual: -gap,
        limit: 0,
        message: `${name} starts ${-gap} ms before caption ${segmentIndex} ends.`,
      });
    } else if (gap < rules.minGapMs) {
      found.push({
        ...at,
        rule: 'min-gap',
        actual: gap,
        limit: rules.minGapMs,
        message: `${name} starts ${gap} ms after caption ${segmentIndex} ends; the minimum gap is ${rules.minGapMs} ms.`,
      });
    }
  }
  return found;
}

/** Every violation of `rules` in the captions of `doc`. */
export function lintCaptions(doc: TranscriptDocument, rules: CaptionRules): Violation[] {
  return doc.segments.flatMap((segment, index) =>
    captionViolations(segment, index, doc.segments[index - 1], rules),
  );
}
