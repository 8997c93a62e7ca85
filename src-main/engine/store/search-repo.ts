import type { SearchResult } from '../../contract/search';
import { EngineError } from '../errors';
import type { Db } from './database';
import { highlightClose, highlightOpen, highlightRanges, toMatchExpression } from './search-query';

export interface SearchOptions {
  /** Free text: words, "quoted phrases"; see `toMatchExpression`. */
  q: string;
  /** 1 to 200. @default 50 */
  limit?: number;
  /** @default 0 */
  offset?: number;
  /** Only search the transcripts of this media. */
  mediaId?: string;
}

export interface SearchRepo {
  /**
   * Transcript segments matching `q`, best first (bm25, then media name and time). Every save of
   * a transcript updates the index, a job's partial saves included (see `search-index.ts`).
   * Throws INVALID_ARGUMENT for an empty query; a query with nothing searchable finds nothing.
   */
  search(options: SearchOptions): SearchResult;
}

interface HitRow {
  transcript_id: string;
  media_id: string;
  media_name: string;
  segment_index: number;
  start_ms: number;
  end_ms: number;
  speaker: string | null;
  text: string;
  marked: string;
}

interface Params {
  match: string;
  mediaId: string | null;
}

export function createSearchRepo(db: Db): SearchRepo {
  const matching = `
      FROM search_index
      JOIN search_segments AS s ON s.id = search_index.rowid
      JOIN transcripts AS t ON t.id = s.transcript_id
      JOIN media AS m ON m.id = t.media_id
     WHERE search_index MATCH @match AND (@mediaId IS NULL OR t.media_id = @mediaId)`;
  const hitsStmt = db.prepare<[Params & { limit: number; offset: number }], HitRow>(`
    SELECT s.transcript_id, t.media_id, m.name AS media_name, s.segment_index, s.start_ms,
           s.end_ms, s.speaker, s.text,
           highlight(search_index, 0, '${highlightOpen}', '${highlightClose}') AS marked
    ${matching}
     ORDER BY bm25(search_index), m.name, t.media_id, s.start_ms, s.transcript_id, s.segment_index
     LIMIT @limit OFFSET @offset`);
  const countStmt = db.prepare<[Params], number>(`SELECT count(*) ${matching}`).pluck();

  return {
    search({ q, limit = 50, offset = 0, mediaId }) {
      if (!q.trim()) {
        throw new EngineError('INVALID_ARGUMENT', 'The search query is empty; type what to find.');
      }
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        throw new EngineError('INVALID_ARGUMENT', `limit must be 1 to 200; got ${limit}.`);
      }
      if (!Number.isInteger(offset) || offset < 0) {
        throw new EngineError('INVALID_ARGUMENT', `offset must be 0 or more; got ${offset}.`);
      }
      const match = toMatchExpression(q);
      if (!match) return { hits: [], total: 0 };
      const params = { match, mediaId: mediaId ?? null };
      const hits = hitsStmt.all({ ...params, limit, offset }).map((r) => ({
        transcriptId: r.transcript_id,
        mediaId: r.media_id,
        mediaName: r.media_name,
        segmentIndex: r.segment_index,
        startMs: r.start_ms,
        endMs: r.end_ms,
        speaker: r.speaker,
        text: r.text,
        snippet: r.text,
        highlights: highlightRanges(r.text, r.marked),
      }));
      return { hits, total: countStmt.get(params) ?? 0 };
    },
  };
}
