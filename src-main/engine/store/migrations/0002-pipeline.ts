import type { Migration } from '../migrate';

/**
 * What the transcription pipeline needs: the media's content hash (computed once, for the result
 * cache), transcripts that fill in while their job runs, and the cache key a transcript answers.
 */
export const pipeline: Migration = {
  version: 2,
  name: 'pipeline',
  up(db) {
    db.exec(`
      ALTER TABLE media ADD COLUMN sha256 TEXT;

      ALTER TABLE transcripts ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'
        CHECK (status IN ('partial','complete'));
      ALTER TABLE transcripts ADD COLUMN job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL;
      ALTER TABLE transcripts ADD COLUMN cache_key TEXT;
      CREATE INDEX transcripts_cache_key ON transcripts(cache_key) WHERE status = 'complete';
      CREATE INDEX transcripts_job ON transcripts(job_id);

      ALTER TABLE jobs ADD COLUMN note TEXT;
    `);
  },
};
