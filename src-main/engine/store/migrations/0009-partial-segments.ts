import type { Migration } from '../migrate';

/**
 * The segments a running job adds to its partial transcript, one row each, instead of the whole
 * document rewritten (and re-read for indexing) every time a few arrive: the transcript row keeps
 * the document the job started with, and reads of a partial transcript append these rows to its
 * `segments` in `position` order (its index in the document). `complete` and `update` replace
 * the whole document and drop the rows; deleting the transcript (or its media) drops them by
 * foreign key. See `appendPartial` in `transcripts-repo.ts`.
 */
export const partialSegments: Migration = {
  version: 9,
  name: 'partial-segments',
  up(db) {
    db.exec(`
      CREATE TABLE partial_segments (
        transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        segment_id    TEXT NOT NULL,
        start_ms      INTEGER NOT NULL,
        segment       TEXT NOT NULL,
        PRIMARY KEY (transcript_id, position),
        UNIQUE (transcript_id, segment_id)
      ) WITHOUT ROWID;
    `);
  },
};
