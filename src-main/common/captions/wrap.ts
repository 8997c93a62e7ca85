/**
 * Re-wraps a whole document under caption rules: every word is re-grouped into caption segments
 * (one segment = one caption cue) and lines. See `flow.ts` for how captions are chosen,
 * `line-layout.ts` for line breaking and balance, `caption-timing.ts` for display times and
 * `caption-segments.ts` for segment ids. Words keep their ids, times and all other fields;
 * only their structure tags are recomputed.
 */
import type { CaptionRules, Segment, TranscriptDocument, Word } from '../../contract/document';
import { captionSegments } from './caption-segments';
import { planCaptions } from './flow';
import type { CaptionPresetId } from './presets';
import { withStructureTags } from '../document-structure';

/** All words of `segments` in document order. */
export function documentWords(segments: readonly Segment[]): Word[] {
  return segments.flatMap((s) => s.lines.flatMap((l) => l.words));
}

/**
 * The latest time the final caption may end: the media end, or the last word's end when the
 * document's duration is unknown or shorter.
 */
export function mediaEndLimit(doc: TranscriptDocument, words: readonly Word[]): number {
  return Math.max(doc.durationMs, words.at(-1)?.end ?? 0);
}

export interface WrapOptions {
  /**
   * The preset `rules` stand for, recorded in `doc.captions`.
   * @default the document's preset when `rules` equal its rules, else 'custom'
   */
  preset?: CaptionPresetId;
}

function sameRules(a: CaptionRules, b: CaptionRules): boolean {
  return (Object.keys(a) as (keyof CaptionRules)[]).every((key) => a[key] === b[key]);
}

/**
 * `doc` with its words re-grouped into captions under `rules`, which it records in
 * `doc.captions`. `doc` itself is not changed. Deterministic and idempotent: the captions depend
 * only on the words and the rules, not on the old grouping (old segment ids are reused).
 */
export function wrapDocument(
  doc: TranscriptDocument,
  rules: CaptionRules,
  options: WrapOptions = {},
): TranscriptDocument {
  const words = documentWords(doc.segments);
  const captions = planCaptions(words, mediaEndLimit(doc, words), rules);
  const segments = captionSegments(captions, doc.segments);
  const preset =
    options.preset ?? (sameRules(doc.captions.rules, rules) ? doc.captions.preset : 'custom');
  return {
    ...doc,
    segments: withStructureTags(segments),
    captions: { preset, rules: { ...rules } },
  };
}
