import { z } from 'zod';

/** `GET /v1/search`: full-text search over every transcript, one hit per matching segment. */
export const searchQuery = z.object({
  /**
   * Words to find, in any case and with or without accents; all must occur in a segment.
   * "Quoted words" must occur as a phrase; the last unquoted word also matches as a prefix.
   */
  q: z.string().max(1000),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  /** Only search the transcripts of this media. */
  mediaId: z.string().min(1).optional(),
});
export type SearchQuery = z.infer<typeof searchQuery>;

const ms = z.number().int().nonnegative();

export const searchHit = z.object({
  transcriptId: z.string(),
  mediaId: z.string(),
  mediaName: z.string(),
  /** Index of the segment in the document's `segments`. */
  segmentIndex: z.number().int().nonnegative(),
  startMs: ms,
  endMs: ms,
  /** The segment's speaker id from the document's `speakers`, or null when unknown. */
  speaker: z.string().nullable(),
  /** The segment's words, joined by spaces. */
  text: z.string(),
  /** Plain text to show for the hit (the whole segment); never HTML. */
  snippet: z.string(),
  /** `[start, end)` ranges of matched words in `snippet`, as UTF-16 offsets (string indices). */
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SearchHit = z.infer<typeof searchHit>;

/** How many matching segments are counted before `total` becomes "at least". */
export const searchCountLimit = 1000;

/** A word in more segments than this is too common to rank a search containing it by. */
export const searchRankableWordLimit = 20_000;

/**
 * One page of hits.
 *
 * Order: while at most `searchCountLimit` segments match, best match first (bm25 relevance,
 * then media name and time), and `order` is `relevance`. Past that, ranking every match would
 * take seconds for a common word in a large library, so the hits come newest first: the most
 * recently saved matches, a thousand at a time, each thousand shown newest recording first and
 * each recording's hits in time order; `order` is `newest`. A search with a word said in more
 * than `searchRankableWordLimit` segments (such as "the") is also shown newest first however few
 * hits it has: ranking it would mean reading every occurrence of that word.
 *
 * `total` counts the matches up to `searchCountLimit`, or to the end of the thousand the page
 * lies in; `totalIsLowerBound` says more match than that (show "1,000+").
 */
export const searchResult = z.object({
  hits: z.array(searchHit),
  total: z.number().int().nonnegative(),
  totalIsLowerBound: z.boolean(),
  order: z.enum(['relevance', 'newest']),
});
export type SearchResult = z.infer<typeof searchResult>;
