import { EmptyState } from '../EmptyState.tsx';
import { ProgressBar } from '../ProgressBar.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { enumLabel, formatCount, formatDuration, formatRate } from '../../format.ts';
import type { RouterOutputs } from '../../trpc.ts';

export type JobRow = RouterOutputs['jobs']['list']['items'][number];

const FINISHED_OK = new Set(['COMPLETED', 'PARTIAL']);
export const ACTIVE_JOB = new Set(['PENDING', 'RUNNING', 'PENDING_CONFIRMATION']);

/** A finished run is all the way through even when it had nothing to do (total 0). */
function progressOf(job: JobRow): { value: number; total: number | null } {
  if (FINISHED_OK.has(job.status)) return { value: Math.max(job.total, 1), total: Math.max(job.total, 1) };
  return { value: job.processed, total: job.total || null };
}

/** The integration's most recent runs with live progress (the caller polls while they run). */
export function LatestRuns({ jobs, waiting }: { jobs: JobRow[]; waiting: boolean }) {
  return (
    <>
      {waiting ? (
        <p role="status" className="muted">
          Waiting for a worker to start the sync…
        </p>
      ) : null}
      {jobs.length === 0 ? (
        waiting ? null : (
          <EmptyState title="No runs yet" level={3}>
            Runs show here with their progress as they happen.
          </EmptyState>
        )
      ) : (
        <ul className="jobs">
          {jobs.map((job) => {
            const name = `${job.resourceName ?? job.integrationName ?? 'Run'} · ${enumLabel(job.jobType)}`;
            const progress = progressOf(job);
            return (
              <li key={job.id} className="jobs__item" data-job-id={job.id} data-status={job.status}>
                <div className="jobs__head">
                  <span className="feed__title">
                    {name} <StatusBadge status={job.status} />
                  </span>
                  {job.startedAt ? (
                    <span className="cell-sub">
                      started <RelativeTime date={job.startedAt} />
                    </span>
                  ) : null}
                </div>
                <ProgressBar value={progress.value} total={progress.total} label={`Progress of ${name}`} />
                <p className="cell-sub jobs__figures">
                  <span className="jobs__count">
                    {formatCount(job.processed)}
                    {job.total ? ` of ${formatCount(job.total)}` : ''} records
                  </span>
                  {job.failed ? <span> · {formatCount(job.failed)} failed</span> : null}
                  {job.rate && ACTIVE_JOB.has(job.status) ? <span> · {formatRate(job.rate)}</span> : null}
                  {job.etaSeconds !== null && ACTIVE_JOB.has(job.status) ? (
                    <span> · about {formatDuration(job.etaSeconds)} left</span>
                  ) : null}
                  {job.errorMessage ? <span className="cell-sub--bad"> · {job.errorMessage}</span> : null}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
