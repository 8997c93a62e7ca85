import type { Engine } from '../create-engine';
import type { JobSnapshot } from '../jobs/job-runner';

/** Resolves with the job once it has completed, failed or been cancelled. */
export function jobFinished(engine: Pick<Engine, 'jobs'>, id: string): Promise<JobSnapshot> {
  return new Promise<JobSnapshot>((resolve) => {
    const check = () => {
      const job = engine.jobs.get(id);
      if (job && ['completed', 'failed', 'cancelled'].includes(job.state)) {
        off();
        resolve(job);
      }
    };
    const off = engine.jobs.onEvent(check);
    check();
  });
}
