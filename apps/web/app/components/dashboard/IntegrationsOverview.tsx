import { useState } from 'react';
import { Link } from '@remix-run/react';
import { Button } from '../Button.tsx';
import { DataTable, type Column } from '../DataTable.tsx';
import { EmptyState } from '../EmptyState.tsx';
import { HealthGauge } from '../HealthGauge.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { enumLabel, formatCount, formatPercent, integrationTypeLabel } from '../../format.ts';
import { trpc } from '../../trpc.ts';
import type { DashboardIntegration } from './types.ts';

/** Every integration with its health at a glance; STAFF and ADMIN get a "Sync now" button per row. */
export function IntegrationsOverview({ integrations }: { integrations: DashboardIntegration[] }) {
  if (integrations.length === 0) {
    return <EmptyState title="No integrations yet">Once you connect a tool, its sync status shows up here.</EmptyState>;
  }
  const columns: Column<DashboardIntegration>[] = [
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
    { header: 'Success rate', className: 'num', cell: (integration) => formatPercent(integration.successRate) },
    {
      header: 'Pending conflicts',
      className: 'num',
      cell: (integration) =>
        integration.pendingConflicts === null || integration.pendingConflicts === undefined
          ? '—'
          : formatCount(integration.pendingConflicts),
    },
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
    { header: 'Actions', cell: (integration) => <SyncNow integration={integration} /> },
  ];
  return (
    <DataTable
      caption={`${integrations.length} ${integrations.length === 1 ? 'integration' : 'integrations'}`}
      columns={columns}
      rows={integrations}
      rowKey={(integration) => integration.id}
    />
  );
}

function SyncNow({ integration }: { integration: DashboardIntegration }) {
  const [message, setMessage] = useState<string | null>(null);
  const trigger = trpc.syncs.trigger.useMutation({
    onSuccess: (result) => setMessage(result.queued ? 'Sync queued' : 'Already queued'),
    onError: (error) => setMessage(error.message),
  });
  const runnable = integration.status !== 'DISABLED' && integration.status !== 'PAUSED';
  return (
    <div className="row-actions">
      <Button
        requires="STAFF"
        variant="secondary"
        busy={trigger.isPending}
        disabled={!runnable}
        title={runnable ? undefined : `${enumLabel(integration.status)} integrations do not sync`}
        onClick={() => {
          setMessage(null);
          trigger.mutate({ integrationId: integration.id });
        }}
      >
        Sync now<span className="visually-hidden"> {integration.name}</span>
      </Button>
      <span role="status" className={trigger.isError ? 'action-result action-result--bad' : 'action-result'}>
        {message}
      </span>
    </div>
  );
}
