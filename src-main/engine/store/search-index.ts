import type { Segment, TranscriptDocument } from '../../contract/document';
import type { Db } from './database';

/** One searchable row: a transcript segment's times, speaker and words. */
export interface SearchableSegment {
  /** Position in the document's `segments`. */
  segmentIndex: number;
  startMs: number;
  endMs: number;
  speaker: string | null;
  /** The segment's words joined by spaces, line after line. */
  text: string;
}

/** A segment's searchable row: its words joined by spaces, line after line. */
export function searchableSegment(segment: Segment, segmentIndex: number): SearchableSegment {
  return {
    segmentIndex,
    startMs: segment.start,
    endMs: segment.end,
    speaker: segment.speaker,
    text: segment.lines.flatMap((line) => line.words.map((word) => word.text)).join(' '),
  };
}

/** The searchable segments of a document. Migration 0004 backfilled with the same rules in SQL. */
export const searchableSegments = (document: TranscriptDocument): SearchableSegment[] =>
  document.segments.map(searchableSegment);

/** Words in segments, as the library list shows them. */
const wordsIn = (segments: readonly Segment[]): number =>
  segments.reduce(
    (sum, segment) => sum + segment.lines.reduce((n, line) => n + line.words.length, 0),
    0,
  );

/**
 * Words (every element of a segment's lines' `words`) and speakers (entries of `speakers`) in a
 * document, as the library list shows them. The same count as `countsSql` in `media-repo.ts`,
 * which counts documents stored before these counts were (migration 0008).
 */
export function documentCounts(document: TranscriptDocument): { words: number; speakers: number } {
  return { words: wordsIn(document.segments), speakers: document.speakers.length };
}

export interface SearchIndexer {
  /**
   * Brings a transcript's rows in `search_segments` (and through its triggers the FTS index) in
   * line with `document`, touching only segments that changed: a job's partial saves add their
   * new segments, an edit rewrites the segments it changed; and stores its `documentCounts` for
   * the library list (migration 0008), tagged with the transcript's current version. Call it
   * inside the transaction that saves the document, after the transcript row is written.
   * Deleting a transcript drops its rows by trigger (migration 0004) and foreign key (0008).
   */
  index(transcriptId: string, document: TranscriptDocument): void;
  /** `index` of a document given as its searchable rows and counts (`prepareSave`). */
  indexRows(
    transcriptId: string,
    rows: readonly SearchableSegment[],
    counts: { words: number; speakers: number },
  ): void;
  /**
   * The rows part of `indexRows` in slices of `sliceSegments` segments, one transaction each,
   * with the event loop given back before each, so no step holds it long (rewriting all 2,700
   * segments of a 3-hour transcript takes ~250 ms in all, ~10 ms a slice of 100). Call it after the transaction that saved
   * the document as `version` and stored its counts (`storeCounts`). Every slice first checks
   * that the transcript is still at `version`: a newer save (which indexes in full) or a delete
   * stops it, and it resolves false. Meanwhile a search sees each segment either as before or as
   * saved, never missing (a segment's old row goes in the transaction that adds its new one).
   */
  indexRowsInSlices(
    transcriptId: string,
    version: number,
    rows: readonly SearchableSegment[],
    sliceSegments?: number,
  ): Promise<boolean>;
  /** Stores a document's counts, tagged with the transcript's current version. */
  storeCounts(transcriptId: string, counts: { words: number; speakers: number }): void;
  /**
   * Adds rows for segments appended to a partial transcript (`appendPartial`), the first at
   * `firstIndex`, and adds their words to its stored counts, now tagged with the transcript's
   * version (counts that were already stale stay so, and the library list counts them afresh).
   * Nothing else is read or touched. Call it inside the append's transaction, after the
   * transcript's version is bumped from `previousVersion`.
   */
  append(
    transcriptId: string,
    previousVersion: number,
    firstIndex: number,
    segments: readonly Segment[],
  ): void;
}

interface StoredRow {
  id: number;
  segment_index: number;
  start_ms: number;
  end_ms: number;
  speaker: string | null;
  text: string;
}

export function createSearchIndexer(db: Db): SearchIndexer {
  const storedStmt = db.prepare<[string], StoredRow>(
    `SELECT id, segment_index, start_ms, end_ms, speaker, text
       FROM search_segments WHERE transcript_id = ?`,
  );
  const insertStmt = db.prepare<[string, number, number, number, string | null, string]>(
    `INSERT INTO search_segments (transcript_id, segment_index, start_ms, end_ms, speaker, text)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const deleteStmt = db.prepare<[number]>('DELETE FROM search_segments WHERE id = ?');
  const countsStmt = db.prepare<[{ id: string; words: number; speakers: number }]>(
    `INSERT INTO transcript_counts (transcript_id, version, words, speakers)
     SELECT id, version, @words, @speakers FROM transcripts WHERE id = @id
     ON CONFLICT (transcript_id) DO UPDATE
       SET version = excluded.version, words = excluded.words, speakers = excluded.speakers`,
  );

  const addCountsStmt = db.prepare<[{ id: string; previous: number; words: number }]>(
    `UPDATE transcript_counts
        SET version = (SELECT version FROM transcripts WHERE id = @id), words = words + @words
      WHERE transcript_id = @id AND version = @previous`,
  );
  const insertRow = (transcriptId: string, s: SearchableSegment) =>
    insertStmt.run(transcriptId, s.segmentIndex, s.startMs, s.endMs, s.speaker, s.text);

  const rangeStmt = db.prepare<[string, number, number], StoredRow>(
    `SELECT id, segment_index, start_ms, end_ms, speaker, text
       FROM search_segments WHERE transcript_id = ? AND segment_index BETWEEN ? AND ?`,
  );
  const dropTailStmt = db.prepare<[string, number]>(
    'DELETE FROM search_segments WHERE transcript_id = ? AND segment_index >= ?',
  );
  const versionStmt = db
    .prepare<[string], number>('SELECT version FROM transcripts WHERE id = ?')
    .pluck();

  /** Brings `stored` rows in line with `rows`; returns the stored rows no row replaced. */
  const rewrite = (
    transcriptId: string,
    stored: Map<number, StoredRow>,
    rows: readonly SearchableSegment[],
  ) => {
    for (const s of rows) {
      const old = stored.get(s.segmentIndex);
      stored.delete(s.segmentIndex);
      if (
        old?.start_ms === s.startMs &&
        old.end_ms === s.endMs &&
        old.speaker === s.speaker &&
        old.text === s.text
      ) {
        continue;
      }
      if (old) deleteStmt.run(old.id);
      insertRow(transcriptId, s);
    }
    return stored;
  };
  const storeCounts = (transcriptId: string, counts: { words: number; speakers: number }) =>
    countsStmt.run({ id: transcriptId, ...counts });
  const indexRows = (
    transcriptId: string,
    rows: readonly SearchableSegment[],
    counts: { words: number; speakers: number },
  ) => {
    const stored = new Map(storedStmt.all(transcriptId).map((r) => [r.segment_index, r]));
    for (const gone of rewrite(transcriptId, stored, rows).values()) deleteStmt.run(gone.id);
    storeCounts(transcriptId, counts);
  };
  const slice = db.transaction(
    (
      transcriptId: string,
      version: number,
      rows: readonly SearchableSegment[],
      from: number,
      to: number,
    ): boolean => {
      if (versionStmt.get(transcriptId) !== version) return false;
      const part = rows.slice(from, to);
      const stored = new Map(
        rangeStmt
          .all(transcriptId, part[0]?.segmentIndex ?? 0, part.at(-1)?.segmentIndex ?? -1)
          .map((r) => [r.segment_index, r]),
      );
      rewrite(transcriptId, stored, part);
      if (to >= rows.length) dropTailStmt.run(transcriptId, rows.length);
      return true;
    },
  );

  return {
    index(transcriptId, document) {
      indexRows(transcriptId, searchableSegments(document), documentCounts(document));
    },
    indexRows,
    storeCounts,
    async indexRowsInSlices(transcriptId, version, rows, sliceSegments = 100) {
      for (let from = 0; from < rows.length || from === 0; from += sliceSegments) {
        // The first slice too: the caller's own transaction has just held the loop.
        await new Promise((resolve) => setImmediate(resolve));
        if (!slice(transcriptId, version, rows, from, from + sliceSegments)) return false;
        if (rows.length === 0) break;
      }
      return true;
    },
    append(transcriptId, previousVersion, firstIndex, segments) {
      segments.forEach((segment, i) =>
        insertRow(transcriptId, searchableSegment(segment, firstIndex + i)),
      );
      addCountsStmt.run({ id: transcriptId, previous: previousVersion, words: wordsIn(segments) });
    },
  };
}
