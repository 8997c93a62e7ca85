import type { Migration } from '../migrate';

/**
 * Indexes for the job list at any length of history: newest first over every job, by kind and by
 * media (each ordered by creation, so a page is an index range, not a sort). `jobs_state` (from
 * 0001) already answers "what is queued or running" and the counts. The media index also keeps
 * deleting a library item (which detaches its jobs) from scanning every job.
 */
export const jobIndexes: Migration = {
  version: 7,
  name: 'job-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX jobs_created ON jobs(created_at);
      CREATE INDEX jobs_kind ON jobs(kind, created_at);
      CREATE INDEX jobs_media ON jobs(media_id, created_at);
    `);
  },
};
