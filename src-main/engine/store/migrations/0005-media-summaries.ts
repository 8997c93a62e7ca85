import type { Migration } from '../migrate';

/**
 * The library list shows each item's newest transcript in brief (`media-repo.ts`). Every column
 * it reads is in this index, so listing never reads a transcript row: those hold the document,
 * and columns stored after it (created_at, status, … ) can only be reached by walking the
 * document's overflow pages, about half a millisecond per hour-long transcript.
 */
export const mediaSummaries: Migration = {
  version: 5,
  name: 'media-summaries',
  up(db) {
    db.exec(`
      CREATE INDEX transcripts_media_newest
        ON transcripts(media_id, created_at, status, language, updated_at, version, id);
    `);
  },
};
