/**
 * Documents for the editor's tests: `makeDocument([{ speaker: 'A', lines: [['Hello', 'there']] }])`
 * gives each word 400 ms with 100 ms between words and valid structure tags, and
 * `checkDocument` asserts the contract's schema and invariants.
 */
import {
  transcriptDocument,
  type Segment,
  type StructureTag,
  type TranscriptDocument,
} from '../../../../../src-main/contract/document';
import { broadcastRules } from '../../../../../src-main/common/captions/presets';

export interface SegmentSpec {
  speaker?: string | null;
  lines: string[][];
  /** Extra milliseconds the segment stays on screen after its last word. @default 0 */
  padMs?: number;
}

export function makeDocument(specs: SegmentSpec[]): TranscriptDocument {
  let t = 0;
  let n = 0;
  const total = specs.reduce((sum, s) => sum + s.lines.flat().length, 0);
  let seen = 0;
  const segments: Segment[] = specs.map((spec, s) => {
    const inSegment = spec.lines.flat().length;
    let seenInSegment = 0;
    const lines = spec.lines.map((texts) => {
      const words = texts.map((text, w) => {
        const tags: StructureTag[] = [];
        if (w === 0) tags.push('line-first');
        if (w === texts.length - 1) tags.push('line-last');
        if (seenInSegment === 0) tags.push('segment-first');
        if (seenInSegment === inSegment - 1) tags.push('segment-last');
        if (seen === 0) tags.push('document-first');
        if (seen === total - 1) tags.push('document-last');
        seen++;
        seenInSegment++;
        const word = {
          id: `w${n++}`,
          text,
          start: t,
          end: t + 400,
          confidence: 0.9,
          speaker: spec.speaker ?? null,
          flags: [],
          structure: tags,
          tags: [],
        };
        t += 500;
        return word;
      });
      return { start: words[0]!.start, end: words.at(-1)!.end, words };
    });
    const end = lines.at(-1)!.end + (spec.padMs ?? 0);
    t = Math.max(t, end + 100);
    return { id: `s${s}`, start: lines[0]!.start, end, speaker: spec.speaker ?? null, lines };
  });
  const speakerIds = [...new Set(specs.map((s) => s.speaker).filter((s) => s != null))];
  return {
    version: 1,
    language: 'en',
    durationMs: t,
    speakers: speakerIds.map((id) => ({ id, name: `Name of ${id}` })),
    segments,
    captions: { preset: 'broadcast', rules: broadcastRules() },
    corrections: [],
    targetCounts: {},
    notes: [],
    source: {
      modelId: 'test',
      modelSha256: null,
      engineVersion: '0.0.0',
      params: {},
      createdAt: '2025-01-01T00:00:00.000Z',
    },
  };
}

/** Throws unless `doc` passes the contract schema and the invariants `documents/validate` checks. */
export function checkDocument(doc: TranscriptDocument): void {
  transcriptDocument.parse(doc);
  const speakers = new Set(doc.speakers.map((s) => s.id));
  const ids = new Set<string>();
  const segmentIds = new Set<string>();
  let previousSegmentEnd = 0;
  let previousWordEnd = 0;
  const fail = (what: string) => {
    throw new Error(`invalid document: ${what}`);
  };
  const total = doc.segments.reduce((n, s) => n + s.lines.flatMap((l) => l.words).length, 0);
  let seen = 0;
  doc.segments.forEach((segment, s) => {
    if (segmentIds.has(segment.id)) fail(`segment id ${segment.id} repeats`);
    segmentIds.add(segment.id);
    if (segment.end < segment.start || segment.start < previousSegmentEnd)
      fail(`segment ${s} time`);
    previousSegmentEnd = segment.end;
    if (segment.speaker !== null && !speakers.has(segment.speaker)) fail(`segment ${s} speaker`);
    let previousLineEnd = segment.start;
    const inSegment = segment.lines.flatMap((l) => l.words).length;
    let seenInSegment = 0;
    segment.lines.forEach((line, l) => {
      if (line.end < line.start || line.start < previousLineEnd)
        fail(`segment ${s} line ${l} time`);
      if (line.start < segment.start || line.end > segment.end)
        fail(`segment ${s} line ${l} outside`);
      previousLineEnd = line.end;
      line.words.forEach((word, w) => {
        const at = `segment ${s} line ${l} word ${w}`;
        if (word.end < word.start || word.start < previousWordEnd) fail(`${at} time`);
        if (word.start < line.start || word.end > line.end) fail(`${at} outside its line`);
        previousWordEnd = word.end;
        if (ids.has(word.id)) fail(`${at} id repeats`);
        ids.add(word.id);
        if (word.speaker !== null && !speakers.has(word.speaker)) fail(`${at} speaker`);
        const expected: StructureTag[] = [];
        if (w === 0) expected.push('line-first');
        if (w === line.words.length - 1) expected.push('line-last');
        if (seenInSegment === 0) expected.push('segment-first');
        if (seenInSegment === inSegment - 1) expected.push('segment-last');
        if (seen === 0) expected.push('document-first');
        if (seen === total - 1) expected.push('document-last');
        if (expected.join() !== word.structure.join())
          fail(`${at} structure ${word.structure.join()}`);
        seen++;
        seenInSegment++;
      });
    });
  });
}

/** The texts of each segment's lines, for compact assertions. */
export const texts = (doc: TranscriptDocument): string[][] =>
  doc.segments.map((s) => s.lines.map((l) => l.words.map((w) => w.text).join(' ')));
