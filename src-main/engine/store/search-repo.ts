import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  searchCountLimit,
  searchRankableWordLimit,
  type SearchHit,
  type SearchResult,
} from '../../contract/search';
import { EngineError } from '../errors';
import type { Db } from './database';
import { highlightClose, highlightOpen, highlightRanges, toMatchQuery } from './search-query';

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
   * Transcript segments matching `q`, ordered and counted as `SearchResult` describes: by
   * relevance while few match, newest first when many do, with the count capped. Every save of
   * a transcript updates the index, a job's partial saves included (see `search-index.ts`).
   * Resolves within one event-loop turn for most searches; an expensive one (a rare phrase of
   * very common words) gives the event loop back between slices of the index.
   * Throws INVALID_ARGUMENT for an empty query; a query with nothing searchable finds nothing.
   */
  search(options: SearchOptions): Promise<SearchResult>;
}

/** Matches sorted together when many match: the thousand newest, then the next thousand… */
const window = searchCountLimit;
/**
 * Rowids searched in one synchronous step. The costliest searches (a phrase of the three most
 * common words, which must check every segment holding all three) take about 6 ms per 200,000
 * segments; a word said in most segments fills its count within the first step.
 */
const sliceRows = 200_000;
/**
 * bm25 counts every segment holding each searched word over the whole index, so ranking a search
 * with a very common word takes as long as reading that word's every occurrence (50 ms for "the"
 * in 18 M words), in one step: such searches are shown newest first instead.
 */
const rankableTokenSegments = searchRankableWordLimit;

interface HitRow {
  id: number;
  transcript_id: string;
  media_id: string;
  media_name: string;
  segment_index: number;
  start_ms: number;
  end_ms: number;
  speaker: string | null;
  text: string;
}

/** The rowids to search: all of them, or those of one media's segments. */
interface Bounds {
  mediaId: string | null;
  lo: number;
  hi: number;
}

const hitColumns = `s.id, s.transcript_id, t.media_id, m.name AS media_name, s.segment_index,
  s.start_ms, s.end_ms, s.speaker, s.text`;

/**
 * Why the queries look the way they do, for a library of 10,000 hour-long transcripts (1.8 M
 * segments, 18 M words), where a common word matches most segments:
 *
 * - FTS5 walks a term's doclist in rowid order and can stop at a LIMIT after a few pages;
 *   ordering by bm25 means scoring every match first (seconds for "the"), and count(*) reading
 *   every one (50 ms).
 *   So matches are collected newest rowid first, only up to the count this page needs, and in
 *   rowid slices with the event loop given back in between: a rare phrase of common words must
 *   check every segment, but never holds the loop for more than a slice.
 * - Segment rowids grow as segments are saved, so the walk finds the most recently saved speech
 *   first. When it finds more than `searchCountLimit`, hits are shown from it in windows of a
 *   thousand, each sorted by recording (newest first) and time, so a page reads like a
 *   transcript, not backwards from its end.
 * - Fewer matches are ranked by bm25 when none of the searched words is very common (see
 *   `rankableTokenSegments`), else shown newest first too.
 * - `highlight()` tokenizes a segment again, so it runs for the hits returned only, in one pass.
 * - With a media filter, the walk is bounded to the rowids of that media's segments (usually one
 *   contiguous run), so it never reads the rest of the library.
 * - A rowid bound must be an INTEGER for FTS5 to use it, and better-sqlite3 binds every JS number
 *   as a REAL: FTS5 then ignores the bound and returns rows outside it, hence the CASTs.
 */
export function createSearchRepo(db: Db): SearchRepo {
  const slice = (filtered: boolean) =>
    db
      .prepare<[Bounds & { match: string; from: number; to: number; n: number }], number>(
        filtered
          ? `SELECT search_index.rowid FROM search_index
               JOIN search_segments AS s ON s.id = search_index.rowid
               JOIN transcripts AS t ON t.id = s.transcript_id
              WHERE search_index MATCH @match
                AND search_index.rowid BETWEEN CAST(@from AS INTEGER) AND CAST(@to AS INTEGER)
                AND t.media_id = @mediaId
              ORDER BY search_index.rowid DESC LIMIT @n`
          : `SELECT rowid FROM search_index
              WHERE search_index MATCH @match
                AND rowid BETWEEN CAST(@from AS INTEGER) AND CAST(@to AS INTEGER)
              ORDER BY rowid DESC LIMIT @n`,
      )
      .pluck();
  const sliceAll = slice(false);
  const sliceOneMedia = slice(true);
  // Two subqueries: SQLite reads min() or max() off the end of an index only when it is alone.
  const allRowsStmt = db.prepare<[], { lo: number | null; hi: number | null }>(
    `SELECT (SELECT min(id) FROM search_segments) AS lo,
            (SELECT max(id) FROM search_segments) AS hi`,
  );
  const mediaRowsStmt = db.prepare<[string], { lo: number | null; hi: number | null }>(`
    SELECT min(s.id) AS lo, max(s.id) AS hi
      FROM transcripts AS t JOIN search_segments AS s ON s.transcript_id = t.id
     WHERE t.media_id = ?`);
  const tokenCountStmt = db
    .prepare<[string, number], number>(
      'SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ? LIMIT ?)',
    )
    .pluck();
  const byRelevanceStmt = db.prepare<
    [Bounds & { match: string; limit: number; offset: number }],
    HitRow
  >(`
    SELECT ${hitColumns}
      FROM search_index
      JOIN search_segments AS s ON s.id = search_index.rowid
      JOIN transcripts AS t ON t.id = s.transcript_id
      JOIN media AS m ON m.id = t.media_id
     WHERE search_index MATCH @match
       AND search_index.rowid BETWEEN CAST(@lo AS INTEGER) AND CAST(@hi AS INTEGER)
       AND (@mediaId IS NULL OR t.media_id = @mediaId)
     ORDER BY bm25(search_index), m.name, t.media_id, s.start_ms, s.transcript_id,
              s.segment_index
     LIMIT @limit OFFSET @offset`);
  // `@ids`: the windows the page lies in, newest first; `key / window` is the window. Newest
  // recording first: the media's creation, then the transcript's rowid (a transcript's own
  // created_at lies behind its document, an overflow-page walk per row; see migration 0005).
  const byNewestStmt = db.prepare<[{ ids: string; limit: number; offset: number }], HitRow>(`
    SELECT ${hitColumns}
      FROM json_each(@ids) AS j
      JOIN search_segments AS s ON s.id = j.value
      JOIN transcripts AS t ON t.id = s.transcript_id
      JOIN media AS m ON m.id = t.media_id
     ORDER BY j.key / ${window}, m.created_at DESC, m.rowid DESC, t.rowid DESC, s.start_ms,
              s.segment_index
     LIMIT @limit OFFSET @offset`);
  // One FTS5 pass over the rowids the page spans (a prefix FTS5 has no index for costs a merge of
  // its terms' doclists per pass); `+rowid` keeps the IN list from becoming one pass per hit.
  const highlightsStmt = db.prepare<
    [{ match: string; lo: number; hi: number; ids: string }],
    { id: number; marked: string }
  >(`
    SELECT rowid AS id, highlight(search_index, 0, '${highlightOpen}', '${highlightClose}') AS marked
      FROM search_index
     WHERE search_index MATCH @match
       AND rowid BETWEEN CAST(@lo AS INTEGER) AND CAST(@hi AS INTEGER)
       AND +rowid IN (SELECT value FROM json_each(@ids))`);

  /** Up to `n` matching rowids, newest first, a slice of the index per event-loop turn. */
  async function walk(match: string, bounds: Bounds, n: number): Promise<number[]> {
    const stmt = bounds.mediaId === null ? sliceAll : sliceOneMedia;
    const ids: number[] = [];
    for (let to = bounds.hi; to >= bounds.lo && ids.length < n; to -= sliceRows) {
      if (to !== bounds.hi) await nextTurn();
      const from = Math.max(bounds.lo, to - sliceRows + 1);
      // Not push(...rows): a slice of a common word holds more rows than a call takes arguments.
      for (const id of stmt.all({ ...bounds, match, from, to, n: n - ids.length })) ids.push(id);
    }
    return ids;
  }

  /** Whether every token occurs in few enough segments for bm25 to rank quickly. */
  async function rankable(tokens: string[], counted: number | null): Promise<boolean> {
    // A single word searched everywhere: the walk just counted it.
    if (tokens.length === 1 && counted !== null && counted <= rankableTokenSegments) return true;
    for (const token of tokens) {
      await nextTurn();
      const count = tokenCountStmt.get(token, rankableTokenSegments + 1) ?? 0;
      if (count > rankableTokenSegments) return false;
    }
    return true;
  }

  /** The page's rows as hits, with the ranges `highlight()` marks in each. */
  function toHits(match: string, rows: HitRow[]): SearchHit[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const marked = new Map(
      highlightsStmt
        .all({ match, lo: Math.min(...ids), hi: Math.max(...ids), ids: JSON.stringify(ids) })
        .map((h) => [h.id, h.marked]),
    );
    return rows.map((r) => ({
      transcriptId: r.transcript_id,
      mediaId: r.media_id,
      mediaName: r.media_name,
      segmentIndex: r.segment_index,
      startMs: r.start_ms,
      endMs: r.end_ms,
      speaker: r.speaker,
      text: r.text,
      snippet: r.text,
      highlights: highlightRanges(r.text, marked.get(r.id) ?? r.text),
    }));
  }

  return {
    async search({ q, limit = 50, offset = 0, mediaId }) {
      if (!q.trim()) {
        throw new EngineError('INVALID_ARGUMENT', 'The search query is empty; type what to find.');
      }
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        throw new EngineError('INVALID_ARGUMENT', `limit must be 1 to 200; got ${limit}.`);
      }
      if (!Number.isInteger(offset) || offset < 0) {
        throw new EngineError('INVALID_ARGUMENT', `offset must be 0 or more; got ${offset}.`);
      }
      const nothing: SearchResult = {
        hits: [],
        total: 0,
        totalIsLowerBound: false,
        order: 'relevance',
      };
      const query = toMatchQuery(q);
      if (!query) return nothing;
      const match = query.expression;
      const rows = mediaId === undefined ? allRowsStmt.get() : mediaRowsStmt.get(mediaId);
      if (rows?.lo == null || rows.hi == null) return nothing;
      const bounds: Bounds = { mediaId: mediaId ?? null, lo: rows.lo, hi: rows.hi };

      // Count to the end of the window the page ends in (at least the first thousand), and one
      // more, to know whether more match than that.
      const firstWindow = Math.floor(offset / window);
      const countTo = (Math.floor((offset + limit - 1) / window) + 1) * window;
      const ids = await walk(match, bounds, countTo + 1);
      const few = ids.length <= searchCountLimit;
      // The last slice, the page and its highlights (each a pass over the index) would add up.
      await nextTurn();
      const ranked =
        few && (await rankable(query.tokens, bounds.mediaId === null ? ids.length : null));
      const page = ranked
        ? byRelevanceStmt.all({ ...bounds, match, limit, offset })
        : byNewestStmt.all({
            ids: JSON.stringify(ids.slice(firstWindow * window, countTo)),
            limit,
            offset: offset - firstWindow * window,
          });
      return {
        hits: toHits(match, page),
        total: Math.min(ids.length, countTo),
        totalIsLowerBound: ids.length > countTo,
        order: ranked ? 'relevance' : 'newest',
      };
    },
  };
}
