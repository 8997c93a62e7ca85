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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const arrayAt = (value: Record<string, unknown>, key: string): unknown[] => {
  const found = value[key];
  return Array.isArray(found) ? found : [];
};

/**
 * The searchable segments of a stored document. Documents are validated before they are saved,
 * but the store takes `unknown`, so anything that is not a segment with integer times is skipped
 * rather than failing the save. Migration 0004 backfills with the same rules in SQL.
 */
export function searchableSegments(document: unknown): SearchableSegment[] {
  if (!isRecord(document)) return [];
  const rows: SearchableSegment[] = [];
  arrayAt(document, 'segments').forEach((segment, segmentIndex) => {
    if (!isRecord(segment)) return;
    const { start, end, speaker } = segment;
    if (!Number.isInteger(start) || !Number.isInteger(end)) return;
    const words = arrayAt(segment, 'lines')
      .flatMap((line) => (isRecord(line) ? arrayAt(line, 'words') : []))
      .flatMap((word) => (isRecord(word) && typeof word.text === 'string' ? [word.text] : []));
    rows.push({
      segmentIndex,
      startMs: start as number,
      endMs: end as number,
      speaker: typeof speaker === 'string' ? speaker : null,
      text: words.join(' '),
    });
  });
  return rows;
}

/**
 * Words (every element of a segment's lines' `words`) and speakers (entries of `speakers`) in a
 * stored document, as the library list shows them. The same count as `countsSql` in
 * `media-repo.ts`, which counts documents stored before these counts were (migration 0008).
 */
export function documentCounts(document: unknown): { words: number; speakers: number } {
  if (!isRecord(document)) return { words: 0, speakers: 0 };
  let words = 0;
  for (const segment of arrayAt(document, 'segments')) {
    if (!isRecord(segment)) continue;
    for (const line of arrayAt(segment, 'lines')) {
      if (isRecord(line)) words += arrayAt(line, 'words').length;
    }
  }
  return { words, speakers: arrayAt(document, 'speakers').length };
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
  index(transcriptId: string, document: unknown): void;
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

  return {
    index(transcriptId, document) {
      const stored = new Map(storedStmt.all(transcriptId).map((r) => [r.segment_index, r]));
      for (const s of searchableSegments(document)) {
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
        insertStmt.run(transcriptId, s.segmentIndex, s.startMs, s.endMs, s.speaker, s.text);
      }
      for (const gone of stored.values()) deleteStmt.run(gone.id);
      countsStmt.run({ id: transcriptId, ...documentCounts(document) });
    },
  };
}
