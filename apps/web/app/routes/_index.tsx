import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { ErrorState } from '../components/ErrorState.tsx';
import { IntegrationsOverview } from '../components/dashboard/IntegrationsOverview.tsx';
import { OpenAlerts } from '../components/dashboard/OpenAlerts.tsx';
import { RecentActivity } from '../components/dashboard/RecentActivity.tsx';
import { RunningJobs } from '../components/dashboard/RunningJobs.tsx';
import { Totals } from '../components/dashboard/Totals.tsx';
import type { DashboardIntegration } from '../components/dashboard/types.ts';
import { requireUser } from '../auth.server.ts';
import { trpc } from '../trpc.ts';

export const meta: MetaFunction = () => [
  { title: 'Dashboard · Syncbridge' },
  { name: 'description', content: 'Integrations syncing your Postgres tables with SaaS tools.' },
];

const ACTIVITY_INPUT = { limit: 8 };
const RUNNING_JOBS_INPUT = { status: 'RUNNING' as const, limit: 20 };
const OPEN_ALERTS_INPUT = { status: 'OPEN' as const, limit: 10 };
// Only the count is read (`total`).
const PENDING_CONFLICTS_INPUT = { status: 'PENDING' as const, limit: 1 };
// Success rate and pending conflicts per integration (last 24 h).
const HEALTH_INPUT = {};

/** A section's first data, or undefined when it failed (the section then loads in the browser). */
async function settle<T>(read: Promise<T>, log: { warn: (obj: object, msg: string) => void }, section: string) {
  try {
    return await read;
  } catch (error) {
    log.warn({ err: error, section }, 'dashboard section failed to load');
    return undefined;
  }
}

// The first paint comes from here (server-rendered); the queries below take over in the browser.
export async function loader({ context }: LoaderFunctionArgs) {
  await requireUser(context);
  const { trpc: api, log } = context;
  const [integrations, health, activity, runningJobs, openAlerts, pendingConflicts] = await Promise.all([
    api.integrations.list(),
    settle(api.alerts.health(HEALTH_INPUT), log, 'health'),
    settle(api.logs.list(ACTIVITY_INPUT), log, 'activity'),
    settle(api.jobs.list(RUNNING_JOBS_INPUT), log, 'running jobs'),
    settle(api.alerts.list(OPEN_ALERTS_INPUT), log, 'open alerts'),
    settle(api.conflicts.list(PENDING_CONFLICTS_INPUT), log, 'pending conflicts'),
  ]);
  return { integrations, health, activity, runningJobs, openAlerts, pendingConflicts, loadedAt: Date.now() };
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const initial = { initialDataUpdatedAt: data.loadedAt };
  const integrations = trpc.integrations.list.useQuery(undefined, {
    ...initial,
    initialData: data.integrations,
    refetchInterval: 10_000,
  });
  const health = trpc.alerts.health.useQuery(HEALTH_INPUT, {
    ...initial,
    initialData: data.health,
    refetchInterval: 30_000,
  });
  const activity = trpc.logs.list.useQuery(ACTIVITY_INPUT, {
    ...initial,
    initialData: data.activity,
    refetchInterval: 10_000,
  });
  // Progress bars move without a reload: polled every second while jobs run, every 5 s otherwise
  // (to notice new ones).
  const runningJobs = trpc.jobs.list.useQuery(RUNNING_JOBS_INPUT, {
    ...initial,
    initialData: data.runningJobs,
    refetchInterval: (query) => (query.state.data?.items.length ? 1_000 : 5_000),
  });
  const openAlerts = trpc.alerts.list.useQuery(OPEN_ALERTS_INPUT, {
    ...initial,
    initialData: data.openAlerts,
    refetchInterval: 10_000,
  });
  const pendingConflicts = trpc.conflicts.list.useQuery(PENDING_CONFLICTS_INPUT, {
    ...initial,
    initialData: data.pendingConflicts,
    refetchInterval: 10_000,
  });

  const healthById = new Map((health.data?.items ?? []).map((item) => [item.integrationId, item]));
  const items: DashboardIntegration[] = integrations.data.items.map((integration) => {
    const measured = healthById.get(integration.id);
    return measured
      ? {
          ...integration,
          successRate: measured.components.successRate.value,
          pendingConflicts: measured.metrics.pendingConflicts,
        }
      : integration;
  });

  return (
    <>
      <h1>Dashboard</h1>
      <Totals
        integrations={items}
        runningJobs={runningJobs.data?.items.length ?? null}
        pendingConflicts={pendingConflicts.data?.total ?? null}
        openAlerts={
          openAlerts.data ? { count: openAlerts.data.items.length, more: openAlerts.data.nextCursor !== null } : null
        }
      />

      <section className="panel" aria-labelledby="integrations-title">
        <h2 id="integrations-title">Integrations</h2>
        {integrations.isError ? (
          <ErrorState title="Could not refresh the integrations">Showing the last figures loaded.</ErrorState>
        ) : null}
        <IntegrationsOverview integrations={items} />
      </section>

      <div className="panel-grid">
        <Section id="jobs-title" title="Running jobs" query={runningJobs}>
          {(jobs) => <RunningJobs jobs={jobs.items} />}
        </Section>
        <Section id="alerts-title" title="Open alerts" query={openAlerts}>
          {(alerts) => <OpenAlerts alerts={alerts.items} />}
        </Section>
        <Section id="activity-title" title="Recent activity" query={activity}>
          {(logs) => <RecentActivity items={logs.items} />}
        </Section>
      </div>
    </>
  );
}

/** A dashboard panel: its content once loaded, an error with a retry, or a loading line. */
function Section<T>({
  id,
  title,
  query,
  children,
}: {
  id: string;
  title: string;
  query: { data: T | undefined; isError: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {query.data !== undefined ? (
        children(query.data)
      ) : query.isError ? (
        <ErrorState title={`Could not load ${title.toLowerCase()}`} retry={() => void query.refetch()} />
      ) : (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
    </section>
  );
}
