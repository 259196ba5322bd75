import { useState } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useLocation } from '@remix-run/react';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { LogDetail } from '../components/logs/LogDetail.tsx';
import { LogFilters } from '../components/logs/LogFilters.tsx';
import { exportHref, isFiltered, logFilterOf, parseLogSearch, searchQuery } from '../components/logs/filters.ts';
import { formatMs } from '../components/logs/format.ts';
import { requireUser } from '../auth.server.ts';
import { enumLabel, formatCount, formatTimestamp } from '../format.ts';
import { settle } from '../integration-loaders.server.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';

export const meta: MetaFunction = () => [{ title: 'Sync logs · Syncbridge' }];

const PAGE_SIZE = 50;

/** A bad-request answer (an outdated page cursor, a filter the API refuses) is said, not thrown. */
function isBadRequest(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'BAD_REQUEST';
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireUser(context);
  const url = new URL(request.url);
  const { search, problems } = parseLogSearch(url.searchParams);
  const cursor = url.searchParams.get('cursor')?.trim() || null;
  const input = { ...logFilterOf(search), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  const [logs, integrations] = await Promise.all([
    context.trpc.logs.list(input).then(
      (page) => ({ page, error: null }),
      (error: unknown) => {
        if (!isBadRequest(error)) context.log.warn({ err: error }, 'logs failed to load');
        return { page: undefined, error: isBadRequest(error) ? 'bad-request' : 'failed' } as const;
      },
    ),
    settle(context.trpc.integrations.list(), context.log, 'integrations'),
  ]);
  return {
    search,
    problems,
    cursor,
    input,
    logs: logs.page,
    logsError: logs.error,
    integrations: (integrations?.items ?? []).map(({ id, name }) => ({ id, name })),
    loadedAt: Date.now(),
  };
}

type LogRow = RouterOutputs['logs']['list']['items'][number];

/** Cursors of the pages before this one ('' is the first page), carried in the history entry. */
interface PageState {
  back?: string[];
}

export default function LogsPage() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const back = ((location.state as PageState | null)?.back ?? []).filter((item) => typeof item === 'string');
  const [openId, setOpenId] = useState<string | null>(null);

  const logs = trpc.logs.list.useQuery(data.input, {
    initialData: data.logs,
    initialDataUpdatedAt: data.loadedAt,
    // A refused input stays refused; the first page follows new activity.
    enabled: data.logsError !== 'bad-request',
    refetchInterval: data.cursor ? false : 15_000,
  });
  const filter = logFilterOf(data.search);
  const filtered = isFiltered(data.search);
  const page = logs.data;
  const pageNumber = data.cursor ? (back.length ? back.length + 1 : null) : 1;

  const columns: Column<LogRow>[] = [
    {
      header: 'Time',
      rowHeader: true,
      cell: (log) => <time dateTime={log.createdAt.toISOString()}>{formatTimestamp(log.createdAt)}</time>,
    },
    {
      header: 'Operation',
      cell: (log) => (
        <>
          {enumLabel(log.operation)}
          <span className="cell-sub">{enumLabel(log.direction)}</span>
        </>
      ),
    },
    { header: 'Resource type', cell: (log) => log.resourceType },
    { header: 'Integration', cell: (log) => log.integrationName },
    {
      header: 'Status',
      cell: (log) => (
        <>
          <StatusBadge status={log.status} />
          {log.errorMessage ? <span className="cell-sub cell-sub--bad log-error">{log.errorMessage}</span> : null}
        </>
      ),
    },
    { header: 'Duration', className: 'num', cell: (log) => formatMs(log.durationMs) },
    {
      header: 'Records',
      className: 'num',
      cell: (log) => (
        <>
          {formatCount(log.recordsProcessed)}
          {log.recordsFailed ? (
            <span className="cell-sub cell-sub--bad">{formatCount(log.recordsFailed)} failed</span>
          ) : null}
        </>
      ),
    },
    {
      header: 'Record id',
      cell: (log) =>
        log.recordId || log.externalId ? (
          <code className="record-id">{log.recordId ?? log.externalId}</code>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      header: 'Details',
      cell: (log) => (
        <button type="button" className="button button--link" onClick={() => setOpenId(log.id)}>
          Details
          <span className="visually-hidden">
            {' '}
            of {enumLabel(log.operation)} {log.resourceType} at {formatTimestamp(log.createdAt)}
          </span>
        </button>
      ),
    },
  ];

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Sync logs</h1>
          <p className="page-head__sub">Every push, pull and webhook delivery, newest first.</p>
        </div>
        <div className="page-head__actions">
          {/* A plain link: the browser downloads the file the server streams (same filters, all pages). */}
          <a className="button button--secondary" href={exportHref(filter)} download>
            Export CSV
          </a>
        </div>
      </div>

      {data.problems.length ? (
        <p className="notice notice--warn" role="alert">
          Left out of the filter because it was not valid: {data.problems.join(', ')}.
        </p>
      ) : null}

      <LogFilters search={data.search} integrations={data.integrations} />

      <section className="panel" aria-labelledby="logs-results-title">
        <h2 id="logs-results-title" className="visually-hidden">
          Results
        </h2>
        {data.logsError === 'bad-request' ? (
          <ErrorState title="This page of results is no longer available">
            <p>
              <Link to={`/logs${searchQuery(data.search)}`}>Go to the first page</Link>
            </p>
          </ErrorState>
        ) : !page ? (
          logs.isError ? (
            <ErrorState title="Could not load the sync logs" retry={() => void logs.refetch()} />
          ) : (
            <p className="muted" role="status">
              Loading…
            </p>
          )
        ) : (
          <>
            {logs.isError ? (
              <ErrorState title="Could not refresh the logs">Showing the last lines loaded.</ErrorState>
            ) : null}
            {page.items.length === 0 ? (
              filtered || data.cursor ? (
                <EmptyState title="No log lines match these filters">
                  <p>
                    <Link to="/logs">Clear the filters</Link>
                  </p>
                </EmptyState>
              ) : (
                <EmptyState title="No sync logs yet">Every run and webhook delivery leaves a line here.</EmptyState>
              )
            ) : (
              <DataTable
                caption={`${formatCount(page.total)} matching log ${page.total === 1 ? 'line' : 'lines'}${
                  pageNumber ? `, page ${pageNumber}` : ''
                }`}
                columns={columns}
                rows={page.items}
                rowKey={(log) => log.id}
              />
            )}
            <nav className="pager" aria-label="Pages of logs">
              {back.length ? (
                <Link
                  to={`/logs${searchQuery(data.search, back.at(-1) || null)}`}
                  state={{ back: back.slice(0, -1) } satisfies PageState}
                  rel="prev"
                >
                  Previous page
                </Link>
              ) : data.cursor ? (
                <Link to={`/logs${searchQuery(data.search)}`}>First page</Link>
              ) : null}
              {page.nextCursor ? (
                <Link
                  to={`/logs${searchQuery(data.search, page.nextCursor)}`}
                  state={{ back: [...back, data.cursor ?? ''] } satisfies PageState}
                  rel="next"
                >
                  Next page
                </Link>
              ) : null}
            </nav>
          </>
        )}
      </section>

      <Drawer open={openId !== null} title="Log line" onClose={() => setOpenId(null)}>
        {openId ? <LogDetail id={openId} /> : null}
      </Drawer>
    </>
  );
}
