import { Link } from '@remix-run/react';
import { EmptyState } from '../EmptyState.tsx';
import { ProgressBar } from '../ProgressBar.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { enumLabel, formatCount, formatDuration, formatRate } from '../../format.ts';

/** What the running-jobs list needs of a job (jobs.list items have at least these fields). */
export interface RunningJob {
  id: string;
  integrationId?: string | null;
  integrationName?: string | null;
  jobType: string;
  processed: number;
  total: number;
  /** Records per second, when the job has run long enough to tell. */
  rate?: number | null;
  etaSeconds?: number | null;
  startedAt?: Date | null;
}

/** Jobs in progress with live progress (the page polls for new figures). */
export function RunningJobs({ jobs }: { jobs: RunningJob[] }) {
  if (jobs.length === 0) {
    return (
      <EmptyState title="No jobs running" level={3}>
        Syncs in progress show their progress here.
      </EmptyState>
    );
  }
  return (
    <ul className="jobs">
      {jobs.map((job) => {
        const name = `${job.integrationName ?? 'Housekeeping'} · ${enumLabel(job.jobType)}`;
        return (
          <li key={job.id} className="jobs__item" data-job-id={job.id}>
            <div className="jobs__head">
              <span className="feed__title">
                {job.integrationId && job.integrationName ? (
                  <Link to={`/integrations/${job.integrationId}`}>{job.integrationName}</Link>
                ) : (
                  (job.integrationName ?? 'Housekeeping')
                )}{' '}
                · {enumLabel(job.jobType)}
              </span>
              {job.startedAt ? (
                <span className="cell-sub">
                  started <RelativeTime date={job.startedAt} />
                </span>
              ) : null}
            </div>
            <ProgressBar value={job.processed} total={job.total || null} label={`Progress of ${name}`} />
            <p className="cell-sub jobs__figures">
              <span className="jobs__count">
                {formatCount(job.processed)}
                {job.total ? ` of ${formatCount(job.total)}` : ''} records
              </span>
              {job.rate ? <span> · {formatRate(job.rate)}</span> : null}
              {job.etaSeconds !== null && job.etaSeconds !== undefined ? (
                <span> · about {formatDuration(job.etaSeconds)} left</span>
              ) : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
