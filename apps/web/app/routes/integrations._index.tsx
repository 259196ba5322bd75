import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useLocation } from '@remix-run/react';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { HealthGauge } from '../components/HealthGauge.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { can } from '../components/roles.ts';
import { useUser } from '../components/user.ts';
import { DIRECTIONS, labelOf } from '../components/integrations/catalog.ts';
import { deletedStateOf, removedSentence } from '../components/integrations/deleted.ts';
import { requireUser } from '../auth.server.ts';
import { enumLabel, integrationTypeLabel } from '../format.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';

export const meta: MetaFunction = () => [{ title: 'Integrations · Syncbridge' }];

export async function loader({ context }: LoaderFunctionArgs) {
  await requireUser(context);
  return { integrations: await context.trpc.integrations.list(), loadedAt: Date.now() };
}

type Row = RouterOutputs['integrations']['list']['items'][number];

const columns: Column<Row>[] = [
  {
    header: 'Name',
    rowHeader: true,
    cell: (integration) => (
      <>
        <Link to={`/integrations/${integration.id}`} className="cell-title">
          {integration.name}
        </Link>
        <span className="cell-sub">{integrationTypeLabel(integration.type)}</span>
      </>
    ),
  },
  { header: 'Status', cell: (integration) => <StatusBadge status={integration.status} /> },
  { header: 'Health', cell: (integration) => <HealthGauge score={integration.healthScore} /> },
  { header: 'Direction', cell: (integration) => labelOf(DIRECTIONS, integration.direction) },
  {
    header: 'Last sync',
    cell: (integration) => (
      <>
        <RelativeTime date={integration.lastSyncAt} />
        {integration.lastErrorAt &&
        (!integration.lastSuccessAt || integration.lastErrorAt > integration.lastSuccessAt) ? (
          <span className="cell-sub cell-sub--bad">Last run failed</span>
        ) : null}
      </>
    ),
  },
  {
    header: 'Next sync',
    cell: (integration) => (
      <>
        <RelativeTime date={integration.nextSyncAt} empty="Not scheduled" />
        <span className="cell-sub">{enumLabel(integration.frequency)}</span>
      </>
    ),
  },
];

export default function IntegrationsPage() {
  const data = useLoaderData<typeof loader>();
  const user = useUser();
  const location = useLocation();
  const deleted = deletedStateOf(location.state);
  const integrations = trpc.integrations.list.useQuery(undefined, {
    initialData: data.integrations,
    initialDataUpdatedAt: data.loadedAt,
    refetchInterval: 10_000,
  });
  const items = integrations.data.items;
  const admin = can(user?.role, 'ADMIN');
  return (
    <>
      <div className="page-head">
        <h1>Integrations</h1>
        {admin ? (
          <div className="page-head__actions">
            <Link to="/integrations/new" className="button button--primary">
              Add integration
            </Link>
          </div>
        ) : null}
      </div>
      {deleted ? (
        <p role="status" className="notice notice--ok">
          Deleted {deleted.name}. {removedSentence(deleted.removed)}
        </p>
      ) : null}
      {integrations.isError ? (
        <ErrorState title="Could not refresh the integrations">Showing the last list loaded.</ErrorState>
      ) : null}
      {items.length === 0 ? (
        <EmptyState title="No integrations yet">
          {admin ? (
            <p>
              <Link to="/integrations/new">Add the first integration</Link> to start syncing a table with a tool.
            </p>
          ) : (
            <p>An admin adds integrations; they are listed here once they exist.</p>
          )}
        </EmptyState>
      ) : (
        <DataTable
          caption={`${items.length} ${items.length === 1 ? 'integration' : 'integrations'}`}
          columns={columns}
          rows={items}
          rowKey={(integration) => integration.id}
        />
      )}
    </>
  );
}
