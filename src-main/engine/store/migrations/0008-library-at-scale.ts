import type { Migration } from '../migrate';
import { foldName, nameSortKey } from '../media-names';

/**
 * What the library list needs to stay fast at 10,000 items (`media-repo.ts`).
 *
 * `transcript_counts`: each transcript's word and speaker counts, stored when the document is
 * saved (by the indexer in `search-index.ts`, in the save's transaction) instead of counted from
 * the document when listed, which meant parsing every listed document again after each start:
 * about 4 ms per hour-long transcript, seconds for a page of 500. `version` is the transcript
 * version they were taken from; the list counts (and stores) any that are missing or older.
 * Transcripts saved before this migration have none: each is counted once, the first time it is
 * listed, rather than all of them here (a minute of start-up for 10,000 hour-long transcripts).
 *
 * `media.name_key` and `media.name_fold`: the name's sort key and its lower-case form
 * (`media-names.ts`), written with the item, so sorting by name is an index walk and a name
 * filter a plain `instr` instead of a JavaScript call per item. Indexes serve the name and
 * duration sorts as `media_created` serves the date sorts.
 */
export const libraryAtScale: Migration = {
  version: 8,
  name: 'library-at-scale',
  up(db) {
    db.exec(`
      CREATE TABLE transcript_counts (
        transcript_id TEXT PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
        version       INTEGER NOT NULL,
        words         INTEGER NOT NULL,
        speakers      INTEGER NOT NULL
      ) WITHOUT ROWID;

      ALTER TABLE media ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE media ADD COLUMN name_fold TEXT NOT NULL DEFAULT '';
    `);
    const update = db.prepare<[string, string, string]>(
      'UPDATE media SET name_key = ?, name_fold = ? WHERE id = ?',
    );
    const names = db.prepare<[], { id: string; name: string }>('SELECT id, name FROM media');
    for (const { id, name } of names.all()) update.run(nameSortKey(name), foldName(name), id);
    db.exec(`
      CREATE INDEX media_name ON media(name_key, name, created_at DESC);
      CREATE INDEX media_duration ON media(duration_sec, created_at DESC);
    `);
  },
};
