import type { RunnableJob } from '../jobs/job-definition';
import type { JobHandler } from '../jobs/job-runner';

/**
 * Job kinds for tests of the runner itself: each handler runs with whatever parameters it was
 * given (an object), without a schema.
 */
export function plainJobs(handlers: Record<string, JobHandler>): RunnableJob[] {
  return Object.entries(handlers).map(([kind, handler]) => ({
    kind,
    parseParams: (raw) => {
      if (typeof raw !== 'object' || raw === null) throw new Error('params must be an object');
      return { ...raw };
    },
    handler,
  }));
}
