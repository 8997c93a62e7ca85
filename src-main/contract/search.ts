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

/** Hits best match first (then by media and time); `total` counts all of them, for paging. */
export const searchResult = z.object({
  hits: z.array(searchHit),
  total: z.number().int().nonnegative(),
});
export type SearchResult = z.infer<typeof searchResult>;
