import type { Migration } from '../migrate';

/**
 * Speakers across files. `speaker_prints` keeps, per transcript speaker, the voice print the
 * diarization measured (and which known voice it was confirmed as); `voices` is the voice
 * library: a name and a print, compared with new transcripts' prints to suggest names. Prints
 * are JSON arrays of numbers, tagged with their kind: prints of different kinds (the fallback's
 * spectra, a neural model's embeddings) are never compared. Forgetting a voice deletes its print;
 * the names it gave stay in the documents.
 */
export const voices: Migration = {
  version: 6,
  name: 'voices',
  up(db) {
    db.exec(`
      CREATE TABLE voices (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        kind       TEXT NOT NULL,
        print      TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE speaker_prints (
        transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        speaker_id    TEXT NOT NULL,
        kind          TEXT NOT NULL,
        print         TEXT NOT NULL,
        voice_id      TEXT REFERENCES voices(id) ON DELETE SET NULL,
        PRIMARY KEY (transcript_id, speaker_id)
      );
      CREATE INDEX speaker_prints_voice ON speaker_prints(voice_id);
    `);
  },
};
