import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { requireUser } from '../auth.server.ts';
import { enumLabel, formatCount } from '../format.ts';
import { uuidParam } from '../integration-loaders.server.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';

const PAGE = 20;

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const integrationId = uuidParam(params.id, 'Integration');
  return {
    integrationId,
    logs: await context.trpc.logs.list({ integrationId, limit: PAGE }),
    loadedAt: Date.now(),
  };
}

type LogRow = RouterOutputs['logs']['list']['items'][number];

const columns: Column<LogRow>[] = [
  { header: 'When', rowHeader: true, cell: (log) => <RelativeTime date={log.createdAt} /> },
  {
    header: 'What',
    cell: (log) => (
      <>
        {enumLabel(log.operation)} {log.resourceType}
        <span className="cell-sub">{enumLabel(log.direction)}</span>
      </>
    ),
  },
  { header: 'Status', cell: (log) => <StatusBadge status={log.status} /> },
  { header: 'Records', className: 'num', cell: (log) => formatCount(log.recordsProcessed) },
  { header: 'Failed', className: 'num', cell: (log) => (log.recordsFailed ? formatCount(log.recordsFailed) : '—') },
  {
    header: 'Record',
    cell: (log) => ((log.recordId ?? log.externalId) ? <code>{log.recordId ?? log.externalId}</code> : '—'),
  },
  {
    header: 'Error',
    cell: (log) => (log.errorMessage ? <span className="cell-sub--bad">{log.errorMessage}</span> : '—'),
  },
];

/** The integration's latest log lines; the logs viewer has filters, search and export. */
export default function IntegrationLogsTab() {
  const data = useLoaderData<typeof loader>();
  const logs = trpc.logs.list.useQuery(
    { integrationId: data.integrationId, limit: PAGE },
    { initialData: data.logs, initialDataUpdatedAt: data.loadedAt, refetchInterval: 10_000 },
  );
  const fullViewer = `/logs?integrationId=${encodeURIComponent(data.integrationId)}`;
  return (
    <section aria-labelledby="logs-title">
      <div className="section-head">
        <h2 id="logs-title">Sync logs</h2>
        <Link to={fullViewer}>Open in the logs viewer (filters, search, export)</Link>
      </div>
      {logs.isError ? <ErrorState title="Could not refresh the logs">Showing the last lines loaded.</ErrorState> : null}
      {logs.data.items.length === 0 ? (
        <EmptyState title="No sync logs yet">Every run and webhook delivery leaves a line here.</EmptyState>
      ) : (
        <DataTable
          caption={`Latest ${logs.data.items.length} of ${formatCount(logs.data.total)} log lines`}
          columns={columns}
          rows={logs.data.items}
          rowKey={(log) => log.id}
        />
      )}
    </section>
  );
}
