import { Link } from '@remix-run/react';
import { DataTable, type Column } from '../DataTable.tsx';
import { ProgressBar } from '../ProgressBar.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { formatCount, formatDuration, formatRate } from '../../format.ts';
import { formatMs } from '../logs/format.ts';
import { ACTIVE_STATUSES, RunActions, runName, type JobSummary } from './RunActions.tsx';

const TRIGGERS: Record<string, string> = {
  schedule: 'on schedule',
  webhook: 'from a webhook',
  change: 'from a database change',
  retry: 'a retry',
};

/** What started a run, in words (`manual:<user id>` is a person pressing a button). */
export function triggerLabel(trigger: string | null): string {
  if (!trigger) return 'started by the system';
  if (trigger.startsWith('manual:')) return 'started by hand';
  return TRIGGERS[trigger] ?? trigger;
}

/** A count cell: zero is a quiet dash, so the figures that matter stand out. */
function count(value: number) {
  return value ? formatCount(value) : <span className="muted">0</span>;
}

/** Status, and for a run under way its live progress (the page polls while any run is active). */
export function RunProgress({ job }: { job: JobSummary }) {
  const active = ACTIVE_STATUSES.has(job.status);
  return (
    <div className="run-status">
      <StatusBadge status={job.status} />
      {job.cancelRequested && job.status === 'RUNNING' ? <span className="cell-sub">Stopping…</span> : null}
      {active && job.status !== 'PENDING_CONFIRMATION' ? (
        <>
          <ProgressBar value={job.processed} total={job.total || null} label={`Progress of ${runName(job)}`} />
          <span className="cell-sub">
            {formatCount(job.processed)}
            {job.total ? ` of ${formatCount(job.total)}` : ''} records
            {job.rate ? ` · ${formatRate(job.rate)}` : ''}
            {job.etaSeconds !== null ? ` · about ${formatDuration(job.etaSeconds)} left` : ''}
          </span>
        </>
      ) : null}
      {job.errorMessage ? <span className="cell-sub cell-sub--bad">{job.errorMessage}</span> : null}
    </div>
  );
}

/** The runs, newest first, with what each changed and the actions staff can take. */
export function RunsTable({ jobs, caption }: { jobs: JobSummary[]; caption: string }) {
  const columns: Column<JobSummary>[] = [
    {
      header: 'Run',
      rowHeader: true,
      className: 'run-cell',
      cell: (job) => (
        <>
          <Link to={`/jobs/${job.id}`} className="cell-title">
            {runName(job)}
          </Link>
          <span className="cell-sub">
            {job.resourceName && job.integrationName ? `${job.integrationName} · ` : ''}
            {triggerLabel(job.trigger)}
          </span>
        </>
      ),
    },
    { header: 'Status', className: 'run-status-cell', cell: (job) => <RunProgress job={job} /> },
    {
      header: 'Started',
      cell: (job) => <RelativeTime date={job.startedAt ?? job.createdAt} />,
    },
    { header: 'Duration', className: 'num', cell: (job) => formatMs(job.durationMs) },
    { header: 'Added', className: 'num', cell: (job) => count(job.added) },
    { header: 'Changed', className: 'num', cell: (job) => count(job.changed) },
    { header: 'Removed', className: 'num', cell: (job) => count(job.removed) },
    {
      header: 'Failed',
      className: 'num',
      cell: (job) => (job.failed ? <span className="cell-sub--bad">{formatCount(job.failed)}</span> : count(0)),
    },
    { header: 'Conflicts', className: 'num', cell: (job) => count(job.conflicts) },
    { header: 'Actions', cell: (job) => <RunActions job={job} /> },
  ];
  return (
    <div data-testid="runs">
      <DataTable caption={caption} columns={columns} rows={jobs} rowKey={(job) => job.id} />
    </div>
  );
}
