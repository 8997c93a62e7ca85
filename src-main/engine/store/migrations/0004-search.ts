import type { Migration } from '../migrate';

/**
 * A json_each element as JSON when it is an object, else NULL: `value` holds a string element as
 * plain text, which the JSON functions would reject as malformed.
 */
const objectOf = (element: string) =>
  `CASE ${element}.type WHEN 'object' THEN ${element}.value END`;
const seg = objectOf('seg');
const line = objectOf('l');
const word = objectOf('w');

/**
 * Full-text search over transcripts, one row per segment so a hit carries its time offsets.
 *
 * `search_segments` holds the rows, written by the transcripts repository in the transaction
 * that saves a document (see `search-index.ts`); `search_index` is an external-content FTS5 index
 * over their text, kept in step by triggers. Deleting a transcript, also by the cascade from its
 * media, deletes its rows by trigger.
 *
 * Tokenizer: unicode61 folds case and, with `remove_diacritics 2`, accents; counting combining
 * marks (M*) as part of words keeps scripts such as Devanagari whole and lets decomposed accents
 * fold too. `prefix` indexes make the type-ahead prefix queries cheap.
 *
 * The backfill applies the rules of `searchableSegments` in SQL: segments with integer times,
 * their words' text joined by spaces, line after line.
 */
export const search: Migration = {
  version: 4,
  name: 'search',
  up(db) {
    db.exec(`
      CREATE TABLE search_segments (
        id            INTEGER PRIMARY KEY,
        transcript_id TEXT NOT NULL,
        segment_index INTEGER NOT NULL,
        start_ms      INTEGER NOT NULL,
        end_ms        INTEGER NOT NULL,
        speaker       TEXT,
        text          TEXT NOT NULL,
        UNIQUE (transcript_id, segment_index)
      );

      CREATE VIRTUAL TABLE search_index USING fts5(
        text,
        content = 'search_segments',
        content_rowid = 'id',
        tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
        prefix = '2 3'
      );

      CREATE TRIGGER search_segments_ai AFTER INSERT ON search_segments BEGIN
        INSERT INTO search_index (rowid, text) VALUES (NEW.id, NEW.text);
      END;
      CREATE TRIGGER search_segments_ad AFTER DELETE ON search_segments BEGIN
        INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', OLD.id, OLD.text);
      END;
      CREATE TRIGGER transcripts_search_ad AFTER DELETE ON transcripts BEGIN
        DELETE FROM search_segments WHERE transcript_id = OLD.id;
      END;

      INSERT INTO search_segments (transcript_id, segment_index, start_ms, end_ms, speaker, text)
      SELECT t.id, seg.key,
             json_extract(${seg}, '$.start'), json_extract(${seg}, '$.end'),
             CASE json_type(${seg}, '$.speaker') WHEN 'text' THEN json_extract(${seg}, '$.speaker') END,
             coalesce((SELECT group_concat(json_extract(${word}, '$.text'), ' ' ORDER BY l.key, w.key)
                         FROM json_each(${seg}, '$.lines') AS l, json_each(${line}, '$.words') AS w
                        WHERE json_type(${seg}, '$.lines') = 'array'
                          AND json_type(${line}, '$.words') = 'array'
                          AND json_type(${word}, '$.text') = 'text'), '')
        FROM transcripts AS t, json_each(t.document, '$.segments') AS seg
       WHERE json_type(t.document, '$.segments') = 'array'
         AND json_type(${seg}, '$.start') = 'integer'
         AND json_type(${seg}, '$.end') = 'integer'
       ORDER BY t.rowid, seg.key;
    `);
  },
};
