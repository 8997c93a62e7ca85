/**
 * The editor's operations on a transcript document. Each is pure: it returns a new document that
 * shares every untouched segment, line and word with the input (so unlimited undo stays cheap),
 * and keeps the contract's invariants: times monotonic, words inside lines inside segments, no
 * overlaps, unique ids, speakers listed, structure tags where the words now sit.
 *
 * An operation that cannot apply throws `EditError` with a message for the person editing.
 */
import type {
  Line,
  Segment,
  TranscriptDocument,
  Word,
  WordFlag,
} from '../../../../src-main/contract/document';
import { withSegmentStructure } from '../../../../src-main/common/document-structure';

export class EditError extends Error {
  override readonly name = 'EditError';
}

/** Where a word sits: segment, line and word indexes. */
export interface WordPlace {
  s: number;
  l: number;
  w: number;
}

export function locateWord(doc: TranscriptDocument, wordId: string): WordPlace {
  for (let s = 0; s < doc.segments.length; s++) {
    const lines = doc.segments[s]!.lines;
    for (let l = 0; l < lines.length; l++) {
      const w = lines[l]!.words.findIndex((word) => word.id === wordId);
      if (w >= 0) return { s, l, w };
    }
  }
  throw new EditError('That word is no longer in the transcript.');
}

function segmentIndex(doc: TranscriptDocument, segmentId: string): number {
  const s = doc.segments.findIndex((segment) => segment.id === segmentId);
  if (s < 0) throw new EditError('That segment is no longer in the transcript.');
  return s;
}

/** All words of a segment, in order. */
export const segmentWords = (segment: Segment): Word[] => segment.lines.flatMap((l) => l.words);

/** An id starting with `base` that is not in `taken`; adds it to `taken`. */
function freshId(base: string, taken: Set<string>): string {
  let n = 1;
  while (taken.has(`${base}-${n}`)) n++;
  const id = `${base}-${n}`;
  taken.add(id);
  return id;
}

const wordIds = (doc: TranscriptDocument) =>
  new Set(doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words.map((w) => w.id))));

const withFlag = (flags: WordFlag[], flag: WordFlag): WordFlag[] =>
  flags.includes(flag) ? flags : [...flags, flag];

/**
 * The document with the segments at `indexes` (and the first and last segment, whose document
 * tags may have moved) re-tagged.
 */
function retag(doc: TranscriptDocument, indexes: Iterable<number>): TranscriptDocument {
  const last = doc.segments.length - 1;
  const todo = new Set([...indexes, 0, last].filter((i) => i >= 0 && i <= last));
  const segments = doc.segments.slice();
  for (const i of todo) segments[i] = withSegmentStructure(segments[i]!, i === 0, i === last);
  return { ...doc, segments };
}

function withSegment(doc: TranscriptDocument, s: number, segment: Segment): TranscriptDocument {
  const segments = doc.segments.slice();
  segments[s] = segment;
  return { ...doc, segments };
}

function withWord(segment: Segment, place: WordPlace, word: Word): Segment {
  const lines = segment.lines.slice();
  const words = lines[place.l]!.words.slice();
  words[place.w] = word;
  lines[place.l] = { ...lines[place.l]!, words };
  return { ...segment, lines };
}

/**
 * Sets a word's text, flagged as edited. Several words separated by spaces become several words
 * sharing the original's time in proportion to their lengths; empty text deletes the word.
 */
export function setWordText(
  doc: TranscriptDocument,
  wordId: string,
  text: string,
): TranscriptDocument {
  const pieces = text.split(/\s+/).filter((piece) => piece !== '');
  if (pieces.length === 0) return deleteWord(doc, wordId);
  const place = locateWord(doc, wordId);
  const segment = doc.segments[place.s]!;
  const word = segment.lines[place.l]!.words[place.w]!;
  if (pieces.length === 1 && pieces[0] === word.text) return doc;
  const flags = withFlag(word.flags, 'edited');
  if (pieces.length === 1) {
    return withSegment(
      doc,
      place.s,
      withWord(segment, place, { ...word, text: pieces[0]!, flags }),
    );
  }
  const taken = wordIds(doc);
  const totalChars = pieces.reduce((n, piece) => n + piece.length, 0);
  const span = word.end - word.start;
  let chars = 0;
  const replacement = pieces.map((piece, i) => {
    const start = word.start + Math.round((span * chars) / totalChars);
    chars += piece.length;
    const end =
      i === pieces.length - 1 ? word.end : word.start + Math.round((span * chars) / totalChars);
    const id = i === 0 ? word.id : freshId(word.id, taken);
    return { ...word, id, text: piece, start, end, flags };
  });
  const lines = segment.lines.slice();
  const words = lines[place.l]!.words.slice();
  words.splice(place.w, 1, ...replacement);
  lines[place.l] = { ...lines[place.l]!, words };
  return retag(withSegment(doc, place.s, { ...segment, lines }), [place.s]);
}

/** Removes a word; an emptied line or segment goes with it. */
export function deleteWord(doc: TranscriptDocument, wordId: string): TranscriptDocument {
  const place = locateWord(doc, wordId);
  const segment = doc.segments[place.s]!;
  const line = segment.lines[place.l]!;
  const words = line.words.filter((_, w) => w !== place.w);
  const lines = segment.lines.slice();
  if (words.length > 0) lines[place.l] = { ...line, words };
  else lines.splice(place.l, 1);
  if (lines.length === 0) {
    const segments = doc.segments.filter((_, s) => s !== place.s);
    return retag({ ...doc, segments }, [place.s - 1, place.s]);
  }
  return retag(withSegment(doc, place.s, { ...segment, lines }), [place.s]);
}

/** Splits a segment so that `wordId` starts a new one (the word's line is split too). */
export function splitSegment(doc: TranscriptDocument, wordId: string): TranscriptDocument {
  const place = locateWord(doc, wordId);
  if (place.l === 0 && place.w === 0) {
    throw new EditError('A segment cannot be split before its first word.');
  }
  const segment = doc.segments[place.s]!;
  const splitLine = segment.lines[place.l]!;
  const before: Line[] = segment.lines.slice(0, place.l);
  const after: Line[] = segment.lines.slice(place.l + 1);
  if (place.w > 0) {
    before.push({
      ...splitLine,
      end: splitLine.words[place.w - 1]!.end,
      words: splitLine.words.slice(0, place.w),
    });
    after.unshift({
      ...splitLine,
      start: splitLine.words[place.w]!.start,
      words: splitLine.words.slice(place.w),
    });
  } else {
    after.unshift(splitLine);
  }
  const taken = new Set(doc.segments.map((s) => s.id));
  const first: Segment = { ...segment, end: before.at(-1)!.end, lines: before };
  const second: Segment = {
    ...segment,
    id: freshId(segment.id, taken),
    start: after[0]!.start,
    lines: after,
  };
  const segments = doc.segments.slice();
  segments.splice(place.s, 1, first, second);
  return retag({ ...doc, segments }, [place.s, place.s + 1]);
}

/** Merges a segment with the one after it; the merged words take the first segment's speaker. */
export function mergeWithNext(doc: TranscriptDocument, segmentId: string): TranscriptDocument {
  const s = segmentIndex(doc, segmentId);
  const first = doc.segments[s]!;
  const next = doc.segments[s + 1];
  if (!next) throw new EditError('The last segment has nothing after it to merge with.');
  const nextLines =
    next.speaker === first.speaker
      ? next.lines
      : next.lines.map((line) => ({
          ...line,
          words: line.words.map((word) => ({ ...word, speaker: first.speaker })),
        }));
  const merged: Segment = { ...first, end: next.end, lines: [...first.lines, ...nextLines] };
  const segments = doc.segments.slice();
  segments.splice(s, 2, merged);
  return retag({ ...doc, segments }, [s]);
}

/** The previous word's end and the next word's start around `place` (the limits of a retime). */
export function retimeLimits(
  doc: TranscriptDocument,
  place: WordPlace,
): { min: number; max: number } {
  const segment = doc.segments[place.s]!;
  const line = segment.lines[place.l]!;
  const previous =
    line.words[place.w - 1] ??
    segment.lines[place.l - 1]?.words.at(-1) ??
    doc.segments[place.s - 1]?.lines.at(-1)?.words.at(-1);
  const next =
    line.words[place.w + 1] ??
    segment.lines[place.l + 1]?.words[0] ??
    doc.segments[place.s + 1]?.lines[0]?.words[0];
  return { min: previous?.end ?? 0, max: next?.start ?? Math.max(doc.durationMs, line.end) };
}

/**
 * Moves a word's start and end, clamped between its neighbours. A word at the edge of its line or
 * segment moves that edge with it; a neighbouring line or segment that had been extended past
 * its last word (reading time) is pulled back so nothing overlaps.
 */
export function retimeWord(
  doc: TranscriptDocument,
  wordId: string,
  startMs: number,
  endMs: number,
): TranscriptDocument {
  const place = locateWord(doc, wordId);
  const { min, max } = retimeLimits(doc, place);
  const start = Math.min(Math.max(Math.round(startMs), min), max);
  const end = Math.min(Math.max(Math.round(endMs), start), max);
  let segment = doc.segments[place.s]!;
  const line = segment.lines[place.l]!;
  const word = line.words[place.w]!;
  if (word.start === start && word.end === end) return doc;
  const words = line.words.slice();
  words[place.w] = { ...word, start, end, flags: withFlag(word.flags, 'edited') };
  const lines = segment.lines.slice();
  const newLine: Line = { ...line, words };
  if (place.w === 0) newLine.start = start;
  else newLine.start = Math.min(newLine.start, start);
  if (place.w === line.words.length - 1) newLine.end = end;
  else newLine.end = Math.max(newLine.end, end);
  lines[place.l] = newLine;
  // A line that now starts earlier (or ends later) than a padded neighbour line: pull it back.
  const before = lines[place.l - 1];
  if (before && before.end > newLine.start) lines[place.l - 1] = { ...before, end: newLine.start };
  const after = lines[place.l + 1];
  if (after && after.start < newLine.end) lines[place.l + 1] = { ...after, start: newLine.end };
  segment = {
    ...segment,
    start: place.l === 0 ? newLine.start : segment.start,
    end:
      place.l === lines.length - 1 ? Math.max(newLine.end, edgeEnd(segment, newLine)) : segment.end,
    lines,
  };
  const segments = doc.segments.slice();
  segments[place.s] = segment;
  const previous = segments[place.s - 1];
  if (previous && previous.end > segment.start)
    segments[place.s - 1] = endAt(previous, segment.start);
  const next = segments[place.s + 1];
  if (next && next.start < segment.end) segments[place.s + 1] = startAt(next, segment.end);
  return { ...doc, segments };
}

/**
 * A segment's end after its last line changed: the last word's end when the segment ended with
 * it; the old end when the segment had been extended past it (reading time).
 */
function edgeEnd(segment: Segment, lastLine: Line): number {
  const oldLast = segment.lines.at(-1)!;
  return segment.end > oldLast.end ? segment.end : lastLine.end;
}

/** A segment (and its last line) pulled back to end at `limit` (never before its last word). */
function endAt(segment: Segment, limit: number): Segment {
  const lines = segment.lines.slice();
  const last = lines.at(-1)!;
  if (last.end > limit)
    lines[lines.length - 1] = { ...last, end: Math.max(limit, last.words.at(-1)!.end) };
  return { ...segment, end: Math.max(limit, lines.at(-1)!.end), lines };
}

/** A segment (and its first line) moved to start at `limit` (never after its first word). */
function startAt(segment: Segment, limit: number): Segment {
  const lines = segment.lines.slice();
  const first = lines[0]!;
  if (first.start < limit) lines[0] = { ...first, start: Math.min(limit, first.words[0]!.start) };
  return { ...segment, start: Math.min(limit, lines[0]!.start), lines };
}

/** Renames a speaker. */
export function renameSpeaker(
  doc: TranscriptDocument,
  speakerId: string,
  name: string,
): TranscriptDocument {
  const trimmed = name.trim();
  if (trimmed === '') throw new EditError('A speaker needs a name.');
  if (!doc.speakers.some((s) => s.id === speakerId)) {
    throw new EditError('That speaker is no longer in the transcript.');
  }
  return {
    ...doc,
    speakers: doc.speakers.map((s) => (s.id === speakerId ? { ...s, name: trimmed } : s)),
  };
}

const withSpeaker = (segment: Segment, speaker: string | null): Segment => ({
  ...segment,
  speaker,
  lines: segment.lines.map((line) => ({
    ...line,
    words: line.words.map((word) => (word.speaker === speaker ? word : { ...word, speaker })),
  })),
});

/** Gives a segment (and its words) to a listed speaker, or to nobody (`null`). */
export function setSegmentSpeaker(
  doc: TranscriptDocument,
  segmentId: string,
  speakerId: string | null,
): TranscriptDocument {
  const s = segmentIndex(doc, segmentId);
  if (speakerId !== null && !doc.speakers.some((sp) => sp.id === speakerId)) {
    throw new EditError('That speaker is no longer in the transcript.');
  }
  return withSegment(doc, s, withSpeaker(doc.segments[s]!, speakerId));
}

/** Adds a speaker named `name` and gives it the segment. */
export function assignNewSpeaker(
  doc: TranscriptDocument,
  segmentId: string,
  name: string,
): TranscriptDocument {
  const trimmed = name.trim();
  if (trimmed === '') throw new EditError('A speaker needs a name.');
  const id = freshId('speaker', new Set(doc.speakers.map((s) => s.id)));
  const added = { ...doc, speakers: [...doc.speakers, { id, name: trimmed }] };
  return setSegmentSpeaker(added, segmentId, id);
}

/** Everything `fromId` said now belongs to `intoId`; `fromId` leaves the speaker list. */
export function mergeSpeakers(
  doc: TranscriptDocument,
  fromId: string,
  intoId: string,
): TranscriptDocument {
  if (fromId === intoId) throw new EditError('Choose two different speakers to merge.');
  const ids = new Set(doc.speakers.map((s) => s.id));
  if (!ids.has(fromId) || !ids.has(intoId)) {
    throw new EditError('That speaker is no longer in the transcript.');
  }
  const segments = doc.segments.map((segment) => {
    const spoken = segmentWords(segment).some((w) => w.speaker === fromId);
    if (segment.speaker !== fromId && !spoken) return segment;
    return {
      ...segment,
      speaker: segment.speaker === fromId ? intoId : segment.speaker,
      lines: segment.lines.map((line) => ({
        ...line,
        words: line.words.map((w) => (w.speaker === fromId ? { ...w, speaker: intoId } : w)),
      })),
    };
  });
  return { ...doc, segments, speakers: doc.speakers.filter((s) => s.id !== fromId) };
}
