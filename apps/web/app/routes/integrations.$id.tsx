import { useEffect, useState } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, Outlet, useLoaderData, useLocation } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { can } from '../components/roles.ts';
import { useUser } from '../components/user.ts';
import { ConnectionResult } from '../components/integrations/ConnectionResult.tsx';
import { ACTIVE_JOB, LatestRuns, type JobRow } from '../components/integrations/LatestRuns.tsx';
import { TabNav, type Tab } from '../components/integrations/TabNav.tsx';
import type { IntegrationOutletContext } from '../components/integrations/outlet.ts';
import { requireUser } from '../auth.server.ts';
import { integrationTypeLabel } from '../format.ts';
import { orNotFound, settle, uuidParam } from '../integration-loaders.server.ts';
import { trpc } from '../trpc.ts';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.integration.name ?? 'Integration'} · Syncbridge` },
];

const RUNS_LIMIT = 3;
/** After "Sync now", runs are polled every second for at most this long (a worker may be busy). */
const WATCH_MS = 120_000;

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const id = uuidParam(params.id, 'Integration');
  const [integration, runs] = await Promise.all([
    orNotFound(context.trpc.integrations.get({ id }), 'Integration'),
    settle(context.trpc.jobs.list({ integrationId: id, limit: RUNS_LIMIT }), context.log, 'latest runs'),
  ]);
  return { integration, runs, loadedAt: Date.now() };
}

/** "Sync now" was pressed: the runs known then, so the new ones can be told apart. */
interface Watch {
  known: Set<string>;
}

export default function IntegrationLayout() {
  const data = useLoaderData<typeof loader>();
  const user = useUser();
  const { pathname } = useLocation();
  const id = data.integration.id;
  const initial = { initialDataUpdatedAt: data.loadedAt };
  const integrationQuery = trpc.integrations.get.useQuery(
    { id },
    { ...initial, initialData: data.integration, refetchInterval: 10_000 },
  );
  const integration = integrationQuery.data;
  const [watch, setWatch] = useState<Watch | null>(null);
  const runsQuery = trpc.jobs.list.useQuery(
    { integrationId: id, limit: RUNS_LIMIT },
    {
      ...initial,
      initialData: data.runs,
      // Every second while a run is under way or one was just asked for; otherwise every 10 s.
      refetchInterval: (query) =>
        watch || query.state.data?.items.some((job) => ACTIVE_JOB.has(job.status)) ? 1_000 : 10_000,
    },
  );
  const runs: JobRow[] = runsQuery.data?.items ?? [];
  const fresh = watch ? runs.filter((job) => !watch.known.has(job.id)) : [];
  const finished = watch !== null && fresh.length > 0 && !fresh.some((job) => ACTIVE_JOB.has(job.status));
  const utils = trpc.useUtils();
  useEffect(() => {
    if (!finished) return;
    // The asked-for run has started and finished: back to the slow pace, and the tabs' figures
    // (resources' synced counts, logs, health) are read again rather than waiting for their timers.
    setWatch(null);
    void Promise.all([
      utils.integrations.get.invalidate({ id }),
      utils.resources.list.invalidate({ integrationId: id }),
      utils.logs.list.invalidate({ integrationId: id }),
      utils.alerts.health.invalidate({ integrationId: id }),
      utils.alerts.healthHistory.invalidate({ integrationId: id }),
    ]);
  }, [finished, utils, id]);
  useEffect(() => {
    // No run showed up (no worker running, or nothing to sync): stop waiting for one.
    if (!watch) return;
    const timer = setTimeout(() => setWatch(null), WATCH_MS);
    return () => clearTimeout(timer);
  }, [watch]);

  const [syncMessage, setSyncMessage] = useState<string | null>(null);
  const trigger = trpc.syncs.trigger.useMutation({
    onSuccess: (result) => {
      setSyncMessage(result.queued ? 'Sync queued' : 'A sync is already queued');
      setWatch({ known: new Set(runs.map((job) => job.id)) });
    },
    onError: (error) => setSyncMessage(error.message),
  });
  const test = trpc.integrations.testConnection.useMutation();
  const runnable = integration.status !== 'PAUSED' && integration.status !== 'DISABLED';

  const base = `/integrations/${id}`;
  const path = pathname.replace(/\/+$/, '');
  const tabs: Tab[] = [
    { id: 'tab-overview', to: base, label: 'Overview', selected: path === base },
    { id: 'tab-logs', to: `${base}/logs`, label: 'Sync logs', selected: path.startsWith(`${base}/logs`) },
    { id: 'tab-mappings', to: `${base}/mappings`, label: 'Mappings', selected: path.startsWith(`${base}/mappings`) },
    {
      id: 'tab-conflicts',
      to: `${base}/conflicts`,
      label: 'Conflicts',
      selected: path.startsWith(`${base}/conflicts`),
    },
  ];
  if (can(user?.role, 'ADMIN')) {
    tabs.push({
      id: 'tab-settings',
      to: `${base}/settings`,
      label: 'Settings',
      selected: path.startsWith(`${base}/settings`),
    });
  }
  const context: IntegrationOutletContext = { integration };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/integrations">Integrations</Link> <span aria-hidden="true">›</span> {integration.name}
      </p>
      <div className="page-head">
        <div>
          <h1>{integration.name}</h1>
          <p className="page-head__sub">
            {integrationTypeLabel(integration.type)} <StatusBadge status={integration.status} />
          </p>
        </div>
        <div className="page-head__actions">
          <Button
            requires="STAFF"
            busy={trigger.isPending}
            disabled={!runnable}
            title={runnable ? undefined : 'Paused and disabled integrations do not sync'}
            onClick={() => {
              setSyncMessage(null);
              trigger.mutate({ integrationId: id });
            }}
          >
            Sync now
          </Button>
          <Button requires="ADMIN" variant="secondary" busy={test.isPending} onClick={() => test.mutate({ id })}>
            Test connection
          </Button>
          <span role="status" className={trigger.isError ? 'action-result action-result--bad' : 'action-result'}>
            {syncMessage}
          </span>
        </div>
      </div>
      {test.isPending || test.data ? <ConnectionResult result={test.data ?? null} pending={test.isPending} /> : null}
      {test.isError ? <ErrorState title="Could not test the connection">{test.error.message}</ErrorState> : null}
      {integrationQuery.isError ? (
        <ErrorState title="Could not refresh this integration">Showing what was loaded last.</ErrorState>
      ) : null}

      <section className="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Latest runs</h2>
        <LatestRuns jobs={runs} waiting={watch !== null && fresh.length === 0} />
      </section>

      <TabNav label="Integration sections" tabs={tabs} panelId="integration-tab-panel">
        <Outlet context={context} />
      </TabNav>
    </>
  );
}
