/**
 * Which captions break the document's caption rules, so the editor can mark them where they are.
 * Each segment is one caption; its lines as wrapped. Characters are what a reader sees
 * (grapheme clusters), one space between words; reading speed is over the caption's display time.
 */
import type {
  CaptionRules,
  Segment,
  TranscriptDocument,
} from '../../../../src-main/contract/document';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// eslint-disable-next-line no-control-regex
const ascii = /^[\x00-\x7f]*$/;
const textLength = (text: string) =>
  ascii.test(text) ? text.length : [...graphemes.segment(text)].length;

const wordsLength = (texts: string[]) =>
  texts.reduce((n, text) => n + textLength(text), Math.max(0, texts.length - 1));

/** Per rules, per segment: the problems of the caption by itself (edits keep untouched segments). */
const cache = new WeakMap<CaptionRules, WeakMap<Segment, string[]>>();

function ownIssues(segment: Segment, rules: CaptionRules): string[] {
  let byRules = cache.get(rules);
  if (!byRules) {
    byRules = new WeakMap();
    cache.set(rules, byRules);
  }
  const cached = byRules.get(segment);
  if (cached) return cached;
  const found: string[] = [];
  segment.lines.forEach((line, l) => {
    const chars = wordsLength(line.words.map((w) => w.text));
    if (chars > rules.maxCharsPerLine) {
      found.push(`Line ${l + 1} has ${chars} characters (limit ${rules.maxCharsPerLine}).`);
    }
  });
  if (segment.lines.length > rules.maxLines) {
    found.push(`${segment.lines.length} lines (limit ${rules.maxLines}).`);
  }
  const duration = segment.end - segment.start;
  const chars = wordsLength(segment.lines.flatMap((l) => l.words.map((w) => w.text)));
  const cps = duration > 0 ? (chars * 1000) / duration : Infinity;
  if (cps > rules.maxCharsPerSecond) {
    const shown = Number.isFinite(cps) ? cps.toFixed(1) : '∞';
    found.push(`Reading speed ${shown} characters/s (limit ${rules.maxCharsPerSecond}).`);
  }
  if (duration < rules.minDurationMs) {
    found.push(`On screen ${duration} ms (minimum ${rules.minDurationMs} ms).`);
  }
  if (duration > rules.maxDurationMs) {
    found.push(`On screen ${duration} ms (maximum ${rules.maxDurationMs} ms).`);
  }
  byRules.set(segment, found);
  return found;
}

/** Messages about each segment that breaks a rule, by segment id. */
export function captionIssues(doc: TranscriptDocument): Map<string, string[]> {
  const rules = doc.captions.rules;
  const issues = new Map<string, string[]>();
  doc.segments.forEach((segment, s) => {
    const own = ownIssues(segment, rules);
    const previous = doc.segments[s - 1];
    const gap = previous ? segment.start - previous.end : Infinity;
    const found =
      gap < rules.minGapMs
        ? [...own, `${gap} ms after the previous caption (minimum ${rules.minGapMs} ms).`]
        : own;
    if (found.length > 0) issues.set(segment.id, found);
  });
  return issues;
}
