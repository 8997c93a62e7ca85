/**
 * The one gate for transcript documents that come from outside the builder (the editor, the
 * API, files): the schema, then the invariants the schema's comment states. The first problem
 * found is reported as INVALID_ARGUMENT with its path, e.g. `segments[3].lines[0].words[2]`.
 *
 * Invariants checked, in document order:
 * - every span (segment, line, word) ends at or after its start;
 * - segments do not overlap and come in time order, and so do the lines of a segment;
 * - every line lies inside its segment and every word inside its line;
 * - no word starts before the previous word (in the whole document) ends;
 * - word ids and segment ids are unique, speaker ids in `speakers` too;
 * - every speaker a segment or word names is listed in `speakers`.
 */
import { transcriptDocument, type TranscriptDocument } from '../../contract/document';
import { EngineError } from '../errors';
import { formatPath } from '../parse';

export function validateDocument(input: unknown): TranscriptDocument {
  const parsed = transcriptDocument.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(formatPath(issue.path), issue.message, parsed.error);
  }
  checkInvariants(parsed.data);
  return parsed.data;
}

export { formatPath };

/**
 * The invariants above, for a document the contract's schema has already parsed (an API body):
 * the same gate as `validateDocument` without parsing it a second time.
 */
export function checkInvariants(doc: TranscriptDocument): void {
  const speakerIds = new Set<string>();
  doc.speakers.forEach((speaker, i) => {
    if (speakerIds.has(speaker.id)) fail(`speakers[${i}]`, `repeats speaker id "${speaker.id}"`);
    speakerIds.add(speaker.id);
  });
  const checkSpeaker = (path: string, speaker: string | null) => {
    if (speaker !== null && !speakerIds.has(speaker)) {
      fail(path, `names speaker "${speaker}", which is not in speakers`);
    }
  };

  const segmentIds = new Map<string, string>();
  const wordIds = new Map<string, string>();
  let previousSegment: { path: string; end: number } | undefined;
  let previousWord: { path: string; end: number } | undefined;

  doc.segments.forEach((segment, s) => {
    const segmentPath = `segments[${s}]`;
    checkSpan(segmentPath, segment);
    const earlierSegment = segmentIds.get(segment.id);
    if (earlierSegment) fail(segmentPath, `repeats id "${segment.id}" of ${earlierSegment}`);
    segmentIds.set(segment.id, segmentPath);
    checkOrder(segmentPath, segment.start, previousSegment);
    previousSegment = { path: segmentPath, end: segment.end };
    checkSpeaker(segmentPath, segment.speaker);

    let previousLine: { path: string; end: number } | undefined;
    segment.lines.forEach((line, l) => {
      const linePath = `${segmentPath}.lines[${l}]`;
      checkSpan(linePath, line);
      checkInside(linePath, line, 'its segment', segment);
      checkOrder(linePath, line.start, previousLine);
      previousLine = { path: linePath, end: line.end };

      line.words.forEach((word, w) => {
        const wordPath = `${linePath}.words[${w}]`;
        checkSpan(wordPath, word);
        checkInside(wordPath, word, 'its line', line);
        checkOrder(wordPath, word.start, previousWord);
        previousWord = { path: wordPath, end: word.end };
        const earlierWord = wordIds.get(word.id);
        if (earlierWord) fail(wordPath, `repeats id "${word.id}" of ${earlierWord}`);
        wordIds.set(word.id, wordPath);
        checkSpeaker(wordPath, word.speaker);
      });
    });
  });
}

interface TimeSpan {
  start: number;
  end: number;
}

function checkSpan(path: string, span: TimeSpan): void {
  if (span.end < span.start)
    fail(path, `ends (${span.end} ms) before it starts (${span.start} ms)`);
}

function checkInside(path: string, span: TimeSpan, what: string, outer: TimeSpan): void {
  if (span.start < outer.start || span.end > outer.end) {
    fail(
      path,
      `lies outside ${what}: ${span.start}–${span.end} ms is not within ${outer.start}–${outer.end} ms`,
    );
  }
}

function checkOrder(
  path: string,
  start: number,
  previous: { path: string; end: number } | undefined,
): void {
  if (previous && start < previous.end) {
    fail(path, `starts at ${start} ms, before ${previous.path} ends (${previous.end} ms)`);
  }
}

function fail(path: string, problem: string, cause?: unknown): never {
  throw new EngineError('INVALID_ARGUMENT', `Invalid transcript document at ${path}: ${problem}.`, {
    cause,
    details: { path },
  });
}
