import { useQuery } from '@tanstack/react-query';
import { useUiStore } from '../../app/ui-store';
import { isActive, sortJobs } from './format';
import { JobRow } from './JobRow';
import { jobListQuery } from './queries';
import './queue.css';

export function QueueView() {
  const jobs = useQuery(jobListQuery());
  const navigate = useUiStore((s) => s.navigate);

  const header = (
    <header className="view-header">
      <div>
        <h2 id="queue-title">Queue</h2>
        <p>Transcriptions and exports, live as they run.</p>
      </div>
    </header>
  );
  if (jobs.isPending) {
    return (
      <section className="view" aria-labelledby="queue-title">
        {header}
        <p className="muted">Loading the queue…</p>
      </section>
    );
  }
  if (jobs.isError) {
    return (
      <section className="view" aria-labelledby="queue-title">
        {header}
        <p role="alert" className="alert">
          {jobs.error.message}
        </p>
      </section>
    );
  }
  const sorted = sortJobs(jobs.data.jobs);
  const active = sorted.filter(isActive);
  const done = sorted.filter((job) => !isActive(job));

  return (
    <section className="view" aria-labelledby="queue-title">
      {header}
      {sorted.length === 0 ? (
        <div className="empty">
          <p className="empty-title">No jobs yet</p>
          <p className="muted">
            Transcribe a file from the Library and it shows up here with its progress.
          </p>
          <button type="button" className="primary" onClick={() => navigate({ view: 'library' })}>
            Go to the Library
          </button>
        </div>
      ) : (
        <>
          <section aria-labelledby="queue-active">
            <h3 id="queue-active" className="queue-group">
              In progress <span className="muted num">{active.length}</span>
            </h3>
            {active.length === 0 ? (
              <p className="muted">Nothing is running.</p>
            ) : (
              <ul className="job-list" aria-labelledby="queue-active">
                {active.map((job) => (
                  <JobRow key={job.id} job={job} />
                ))}
              </ul>
            )}
          </section>
          {done.length > 0 && (
            <section aria-labelledby="queue-done">
              <h3 id="queue-done" className="queue-group">
                Finished <span className="muted num">{done.length}</span>
              </h3>
              <ul className="job-list" aria-labelledby="queue-done">
                {done.map((job) => (
                  <JobRow key={job.id} job={job} />
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </section>
  );
}
