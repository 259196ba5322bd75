import { useState } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { ACTIVE_STATUSES, RunActions, runName } from '../components/jobs/RunActions.tsx';
import { RunProgress, triggerLabel } from '../components/jobs/RunsTable.tsx';
import { formatMs } from '../components/logs/format.ts';
import { requireUser } from '../auth.server.ts';
import { formatCount, formatTimestamp } from '../format.ts';
import { orNotFound, uuidParam } from '../integration-loaders.server.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${runName(data.job)} · Jobs · Syncbridge` : 'Run · Syncbridge' },
];

const FAILED_LIMIT = 100;

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const id = uuidParam(params.id, 'Run');
  const job = await orNotFound(context.trpc.jobs.get({ id, failedLimit: FAILED_LIMIT }), 'Run');
  return { job, loadedAt: Date.now() };
}

type FailedItem = RouterOutputs['jobs']['get']['failedItems'][number];

/** Puts one failed record back in line (jobs.retryItem) and says so. */
function RetryItem({ item }: { item: FailedItem }) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const retry = trpc.jobs.retryItem.useMutation({
    onSuccess: async () => {
      setMessage({ text: 'Queued again', bad: false });
      await utils.jobs.get.invalidate();
    },
    onError: (error) => setMessage({ text: error.message, bad: true }),
  });
  const record = item.recordId ?? item.externalId ?? 'this record';
  const mappingId = item.retryable ? item.mappingId : null;
  return (
    <div className="row-actions">
      {mappingId ? (
        <Button
          requires="STAFF"
          variant="secondary"
          busy={retry.isPending}
          onClick={() => retry.mutate({ mappingId })}
          aria-label={`Retry ${record}`}
        >
          Retry
        </Button>
      ) : message ? null : (
        <span className="muted">{item.mappingStatus === 'SYNCED' ? 'Synced since' : 'Nothing to retry'}</span>
      )}
      <span role="status" className={message?.bad ? 'action-result action-result--bad' : 'action-result'}>
        {message?.text}
      </span>
    </div>
  );
}

const failedColumns: Column<FailedItem>[] = [
  {
    header: 'Record',
    rowHeader: true,
    cell: (item) => (
      <>
        {item.recordId ? <code className="record-id">{item.recordId}</code> : <span className="muted">—</span>}
        {item.externalId ? <span className="cell-sub">External id {item.externalId}</span> : null}
      </>
    ),
  },
  {
    header: 'Error',
    cell: (item) => (
      <>
        <StatusBadge status={item.logStatus} />
        <span className="cell-sub cell-sub--bad log-error">
          {item.errorCode ? `${item.errorCode}: ` : ''}
          {item.errorMessage ?? 'No message'}
          {item.httpStatus ? ` (HTTP ${item.httpStatus})` : ''}
        </span>
      </>
    ),
  },
  { header: 'When', cell: (item) => <RelativeTime date={item.createdAt} /> },
  {
    header: 'State now',
    cell: (item) =>
      item.mappingStatus ? <StatusBadge status={item.mappingStatus} /> : <span className="muted">—</span>,
  },
  { header: 'Retry', cell: (item) => <RetryItem item={item} /> },
];

export default function JobPage() {
  const data = useLoaderData<typeof loader>();
  const query = trpc.jobs.get.useQuery(
    { id: data.job.id, failedLimit: FAILED_LIMIT },
    {
      initialData: data.job,
      initialDataUpdatedAt: data.loadedAt,
      refetchInterval: (q) => (q.state.data && ACTIVE_STATUSES.has(q.state.data.status) ? 1_000 : 10_000),
    },
  );
  const job = query.data;
  const counts: [string, number][] = [
    ['Added', job.added],
    ['Changed', job.changed],
    ['Removed', job.removed],
    ['Failed', job.failed],
    ['Conflicts', job.conflicts],
    ['Skipped', job.skipped],
  ];
  return (
    <>
      <p className="breadcrumb">
        <Link to="/jobs">Jobs</Link>
        {job.integrationId && job.integrationName ? (
          <>
            {' '}
            / <Link to={`/integrations/${job.integrationId}`}>{job.integrationName}</Link>
          </>
        ) : null}
      </p>
      <div className="page-head">
        <div>
          <h1>{runName(job)}</h1>
          <p className="page-head__sub">{triggerLabel(job.trigger)}</p>
        </div>
        <div className="page-head__actions">
          <RunActions job={job} />
        </div>
      </div>
      {query.isError ? <ErrorState title="Could not refresh this run">Showing what was loaded.</ErrorState> : null}

      <section className="panel" aria-labelledby="run-summary-title">
        <h2 id="run-summary-title">Summary</h2>
        <RunProgress job={job} />
        <dl className="totals run-counts" aria-label="Records in this run">
          {counts.map(([label, value]) => (
            <div key={label} className="totals__item">
              <dt>{label}</dt>
              <dd>
                <span className="totals__value">{formatCount(value)}</span>
              </dd>
            </div>
          ))}
        </dl>
        <dl className="details">
          <dt>Processed</dt>
          <dd>
            {formatCount(job.processed)}
            {job.total ? ` of ${formatCount(job.total)}` : ''} records
          </dd>
          <dt>Started</dt>
          <dd>{job.startedAt ? formatTimestamp(job.startedAt) : 'Not yet'}</dd>
          <dt>Finished</dt>
          <dd>{job.completedAt ? formatTimestamp(job.completedAt) : '—'}</dd>
          <dt>Duration</dt>
          <dd>{formatMs(job.durationMs)}</dd>
        </dl>
      </section>

      <section className="panel" aria-labelledby="failed-title">
        <h2 id="failed-title">Failed records</h2>
        {job.failedItems.length === 0 ? (
          <EmptyState title="No failed records" level={3}>
            Every record this run handled went through.
          </EmptyState>
        ) : (
          <DataTable
            caption={
              job.failedItemsTotal > job.failedItems.length
                ? `Latest ${job.failedItems.length} of ${formatCount(job.failedItemsTotal)} failed records`
                : `${formatCount(job.failedItemsTotal)} failed ${job.failedItemsTotal === 1 ? 'record' : 'records'}`
            }
            columns={failedColumns}
            rows={job.failedItems}
            rowKey={(item) => item.logId}
          />
        )}
      </section>
    </>
  );
}
