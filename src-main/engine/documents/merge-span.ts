/**
 * Merges a re-transcription of one stretch of time back into a document: the words of `doc` in
 * the span are replaced by the words of `replacement` in the span. Used by "re-transcribe this
 * span" jobs and by "draft then refine" jobs (see `low-confidence-spans.ts`).
 *
 * Policy:
 * - Inside the span means by midpoint, half-open: `startMs ≤ (start + end) / 2 < endMs`, for the
 *   words of both documents. Spans that touch therefore never claim the same word, and a span
 *   whose edges fall between words (as `lowConfidenceSpans` makes them) takes whole words only.
 * - Times: the original words outside the span never move. The inserted words keep the
 *   replacement's times, clamped between the last original word before the span and the first
 *   one after it (or the media end, `durationMs`), then ordered and given at least
 *   `MIN_WORD_MS` where room allows, as the document builder does (`span-times.ts`).
 * - Ids: an inserted word keeps the replacement's id unless the document already has it (any
 *   word, the replaced ones included, so an id never changes meaning); then it becomes
 *   `${idPrefix}${id}`, with `-2`, `-3`, … added on a further clash.
 * - Speakers: an inserted word takes the speaker of the replaced word whose midpoint is nearest
 *   its own; with nothing replaced, that of the nearer original neighbour (the earlier on a tie),
 *   or null in a document without words. Inserted words therefore only name speakers
 *   `doc.speakers` lists, and `doc.speakers` is kept as it is (a speaker left without words keeps
 *   its entry and the name a person may have given it).
 * - Text, confidence, flags and tags of inserted words are the replacement's; the replacement's
 *   corrections of inserted words come along under their new ids. Corrections of replaced words
 *   are dropped, since no word is left to undo them on.
 * - Placement: the inserted words take the place of the replaced ones (in the line of the first
 *   replaced word). With nothing replaced they go between their neighbours: into the line of
 *   the earlier one when both are in one caption, else into a new caption of their own.
 * - Captions: only what changed is re-wrapped, with `rewrapChanged` (captions holding inserted
 *   words or having lost words, a following caption whose start reaches back over the inserted
 *   words, and a neighbour `rewrapChanged` joins to a short caption). Captions left without
 *   words go. Every other caption is returned as the very same object, except that the caption
 *   before the change may end earlier (see `rewrapChanged`; a line of it reaching past the new
 *   end is cut back with it).
 * - `targetCounts`, `source` and `language` are kept; a caller that knows the glossary targets
 *   recounts (`withTargetCounts`). The no-speech note goes once the document has words.
 *
 * `doc` must be valid (`validateDocument`), and so must `replacement`, in the same time base.
 * Pure: neither input is changed.
 */
import type {
  CaptionRules,
  Correction,
  Line,
  Segment,
  TranscriptDocument,
  Word,
} from '../../contract/document';
import { rewrapChanged } from '../../common/captions/rewrap';
import { withStructureTags } from '../../common/document-structure';
import { EngineError } from '../errors';
import { NO_SPEECH_NOTE } from './build-document';
import { MIN_WORD_MS, placeSpans } from './span-times';

export interface TimeSpan {
  startMs: number;
  endMs: number;
}

export interface MergeSpanOptions {
  /** Caption rules for the re-wrap around the change (normally `doc.captions.rules`). */
  rules: CaptionRules;
  /** Prefix that makes a clashing inserted word id unique, e.g. `r1-` turns `w5` into `r1-w5`. */
  idPrefix: string;
}

export interface MergeSpanResult {
  doc: TranscriptDocument;
  /** Ids of the original words that were removed, in document order. */
  replacedWordIds: string[];
  /** Ids (in the result) of the words that came from the replacement, in document order. */
  insertedWordIds: string[];
}

/** Where a word sits in a document. */
interface Placed {
  word: Word;
  segment: number;
  line: number;
}

const midpoint = (word: Word) => (word.start + word.end) / 2;

/** Whether `word` lies in `span` by its midpoint (half-open, see the policy). */
export function inSpan(word: Word, span: TimeSpan): boolean {
  const mid = midpoint(word);
  return mid >= span.startMs && mid < span.endMs;
}

export function mergeSpan(
  doc: TranscriptDocument,
  replacement: TranscriptDocument,
  span: TimeSpan,
  options: MergeSpanOptions,
): MergeSpanResult {
  checkSpan(span);
  const placed = placedWords(doc);
  const removed = placed.filter((p) => inSpan(p.word, span));
  const firstInside = removed[0] ?? placed.find((p) => midpoint(p.word) >= span.endMs);
  const firstIndex = firstInside ? placed.indexOf(firstInside) : placed.length;
  const before = placed[firstIndex - 1];
  const after = placed[firstIndex + removed.length];

  const incoming = placedWords(replacement)
    .map((p) => p.word)
    .filter((word) => inSpan(word, span))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (removed.length === 0 && incoming.length === 0) {
    return { doc, replacedWordIds: [], insertedWordIds: [] };
  }

  const lo = before?.word.end ?? 0;
  const hi = after?.word.start ?? Math.max(doc.durationMs, lo);
  const times = placeSpans(
    incoming.map((word) => ({ start: word.start, end: word.end, weight: [...word.text].length })),
    lo,
    hi,
    MIN_WORD_MS,
  );
  const ids = idMaker(placed, options.idPrefix);
  const removedWords = removed.map((p) => p.word);
  const newIds = new Map<string, string>();
  const inserted = incoming.map((word, i): Word => {
    const { start, end } = times[i]!;
    const id = ids(word.id);
    if (!newIds.has(word.id)) newIds.set(word.id, id);
    const timed = { ...word, start, end };
    return {
      id,
      text: word.text,
      start,
      end,
      confidence: word.confidence,
      speaker: speakerFor(timed, removedWords, before?.word, after?.word),
      flags: [...word.flags],
      structure: [],
      tags: [...word.tags],
    };
  });

  const removedIds = new Set(removedWords.map((word) => word.id));
  const draft =
    removed.length > 0
      ? replaceWords(doc, removedIds, inserted)
      : insertWords(doc, inserted, before, after);
  const changed = new Set([...inserted.map((word) => word.id), ...draft.keptIds]);
  const next = draft.segments[draft.lastTouched + 1];
  const lastInserted = inserted.at(-1);
  if (next && lastInserted && next.start < lastInserted.end) {
    // Its start reaches back over the inserted words (a segment start before its first word):
    // re-flowed too, it starts with its first word.
    const firstWord = next.lines[0]?.words[0];
    if (firstWord) changed.add(firstWord.id);
  }

  const rewrapped = rewrapChanged({ ...doc, segments: draft.segments }, changed, options.rules);
  const segments = withStructureTags(rewrapped.segments.map(linesWithinSegment));
  const hasWords = segments.length > 0;
  return {
    doc: {
      ...rewrapped,
      segments,
      corrections: [
        ...doc.corrections.filter((c) => !removedIds.has(c.wordId)),
        ...carriedCorrections(replacement.corrections, newIds),
      ],
      notes: hasWords ? doc.notes.filter((note) => note !== NO_SPEECH_NOTE) : doc.notes,
    },
    replacedWordIds: removedWords.map((word) => word.id),
    insertedWordIds: inserted.map((word) => word.id),
  };
}

function checkSpan(span: TimeSpan): void {
  const { startMs, endMs } = span;
  if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && startMs <= endMs)) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `A span needs finite times with startMs ≤ endMs (got ${startMs}–${endMs} ms).`,
    );
  }
}

function placedWords(doc: TranscriptDocument): Placed[] {
  return doc.segments.flatMap((segment, s) =>
    segment.lines.flatMap((line, l) => line.words.map((word) => ({ word, segment: s, line: l }))),
  );
}

/** Unique ids for inserted words: see the policy. */
function idMaker(placed: readonly Placed[], prefix: string): (id: string) => string {
  const taken = new Set(placed.map((p) => p.word.id));
  return (id) => {
    let candidate = id;
    if (taken.has(candidate)) candidate = `${prefix}${id}`;
    const base = candidate;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
    taken.add(candidate);
    return candidate;
  };
}

/** Distance in ms between two words' time spans (0 when they overlap or touch). */
function distance(a: Word, b: Word): number {
  return Math.max(0, a.start - b.end, b.start - a.end);
}

function speakerFor(
  word: Word,
  replaced: readonly Word[],
  before: Word | undefined,
  after: Word | undefined,
): string | null {
  let best: Word | undefined;
  for (const candidate of replaced) {
    if (
      !best ||
      Math.abs(midpoint(candidate) - midpoint(word)) < Math.abs(midpoint(best) - midpoint(word))
    ) {
      best = candidate;
    }
  }
  if (best) return best.speaker;
  if (before && (!after || distance(before, word) <= distance(after, word))) return before.speaker;
  return after?.speaker ?? null;
}

/** The segments after an edit, with what `rewrapChanged` needs to know about it. */
interface Draft {
  segments: Segment[];
  /** One remaining word of every segment that lost words (so that it is re-flowed). */
  keptIds: string[];
  /** Index of the last segment holding inserted words or having lost words. */
  lastTouched: number;
}

/**
 * `doc` without the `removed` words, `inserted` standing where the first of them was. Lines left
 * empty stay, empty, for the re-wrap to drop.
 */
function replaceWords(
  doc: TranscriptDocument,
  removed: ReadonlySet<string>,
  inserted: readonly Word[],
): Draft {
  const keptIds: string[] = [];
  let lastTouched = -1;
  let placedInserted = false;
  const segments = doc.segments.map((segment, s): Segment => {
    let touched = false;
    const lines = segment.lines.map((line): Line => {
      if (!line.words.some((word) => removed.has(word.id))) return line;
      touched = true;
      const words = line.words.flatMap((word) => {
        if (!removed.has(word.id)) return [word];
        if (placedInserted) return [];
        placedInserted = true;
        return [...inserted];
      });
      return { ...line, words };
    });
    if (!touched) return segment;
    lastTouched = s;
    const kept = lines.flatMap((line) => line.words).find((word) => !inserted.includes(word));
    if (kept) keptIds.push(kept.id);
    return { ...segment, lines };
  });
  return { segments, keptIds, lastTouched };
}

/** `doc` with `inserted` (non-empty) placed between the original words `before` and `after`. */
function insertWords(
  doc: TranscriptDocument,
  inserted: readonly Word[],
  before: Placed | undefined,
  after: Placed | undefined,
): Draft {
  const segments = [...doc.segments];
  if (before && after && before.segment === after.segment) {
    const segment = segments[before.segment]!;
    const lines = segment.lines.map((line, l): Line => {
      if (l !== before.line) return line;
      const at = line.words.indexOf(before.word) + 1;
      return { ...line, words: [...line.words.slice(0, at), ...inserted, ...line.words.slice(at)] };
    });
    segments[before.segment] = { ...segment, lines };
    return { segments, keptIds: [], lastTouched: before.segment };
  }
  const index = before ? before.segment + 1 : 0;
  const first = inserted[0]!;
  const last = inserted.at(-1)!;
  const taken = new Set(doc.segments.map((segment) => segment.id));
  let id = `seg-${first.id}`;
  for (let n = 2; taken.has(id); n++) id = `seg-${first.id}-${n}`;
  segments.splice(index, 0, {
    id,
    start: first.start,
    end: last.end,
    speaker: first.speaker,
    lines: [{ start: first.start, end: last.end, words: [...inserted] }],
  });
  return { segments, keptIds: [], lastTouched: index };
}

/**
 * `segment` with every line ending by the segment's end. `rewrapChanged` may pull a caption's
 * end back to its last word's end, which a line reaching past its words would then overrun.
 */
function linesWithinSegment(segment: Segment): Segment {
  if (segment.lines.every((line) => line.end <= segment.end)) return segment;
  return {
    ...segment,
    lines: segment.lines.map((line) =>
      line.end <= segment.end ? line : { ...line, end: Math.max(line.start, segment.end) },
    ),
  };
}

/** The replacement's corrections of inserted words, under the words' new ids. */
function carriedCorrections(
  corrections: readonly Correction[],
  newIds: ReadonlyMap<string, string>,
): Correction[] {
  return corrections.flatMap((correction) => {
    const wordId = newIds.get(correction.wordId);
    return wordId === undefined ? [] : [{ ...correction, wordId }];
  });
}
