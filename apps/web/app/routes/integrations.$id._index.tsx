import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { ErrorState } from '../components/ErrorState.tsx';
import { HealthGauge } from '../components/HealthGauge.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { CONFLICT_STRATEGIES, DIRECTIONS, FREQUENCIES, labelOf, typeInfo } from '../components/integrations/catalog.ts';
import { useIntegration } from '../components/integrations/outlet.ts';
import { Sparkline } from '../components/integrations/Sparkline.tsx';
import { requireUser } from '../auth.server.ts';
import { enumLabel, formatCount, formatDuration, formatPercent, integrationTypeLabel } from '../format.ts';
import { settle, uuidParam } from '../integration-loaders.server.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';

const HISTORY = { hours: 24, bucketMinutes: 60 };

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const integrationId = uuidParam(params.id, 'Integration');
  const [health, history] = await Promise.all([
    settle(context.trpc.alerts.health({ integrationId }), context.log, 'health'),
    settle(context.trpc.alerts.healthHistory({ integrationId, ...HISTORY }), context.log, 'health history'),
  ]);
  return { integrationId, health, history, loadedAt: Date.now() };
}

type Health = RouterOutputs['alerts']['health']['items'][number];
type Component = Health['components']['successRate'];

const CHECK_STATUS: Record<Component['status'], { status: string; label: string }> = {
  PASS: { status: 'SUCCESS', label: 'Pass' },
  WARN: { status: 'WARNING', label: 'Warn' },
  FAIL: { status: 'FAILED', label: 'Fail' },
};

const HEALTH_TONE: Record<Health['status'], string> = { HEALTHY: 'ACTIVE', DEGRADED: 'DEGRADED', UNHEALTHY: 'FAILED' };

const ms = (value: number) => `${formatCount(Math.round(value))} ms`;

function componentRows(health: Health) {
  const { successRate, responseTime, errorRate, freshness } = health.components;
  const value = (component: Component, format: (n: number) => string) =>
    component.value === null ? '—' : format(component.value);
  return [
    { name: 'Success rate', component: successRate, shown: value(successRate, formatPercent) },
    { name: 'Response time', component: responseTime, shown: value(responseTime, ms) },
    { name: 'Error rate', component: errorRate, shown: value(errorRate, formatPercent) },
    {
      name: 'Freshness',
      component: freshness,
      shown: value(freshness, (n) => `${formatDuration(n / 1000)} since the last success`),
    },
  ];
}

export default function IntegrationOverview() {
  const data = useLoaderData<typeof loader>();
  const integration = useIntegration();
  const initial = { initialDataUpdatedAt: data.loadedAt };
  const health = trpc.alerts.health.useQuery(
    { integrationId: data.integrationId },
    { ...initial, initialData: data.health, refetchInterval: 30_000 },
  );
  const history = trpc.alerts.healthHistory.useQuery(
    { integrationId: data.integrationId, ...HISTORY },
    { ...initial, initialData: data.history, refetchInterval: 60_000 },
  );
  const measured = health.data?.items[0];
  const buckets = history.data?.buckets ?? [];
  const info = typeInfo(integration.type);

  return (
    <div className="panel-grid panel-grid--wide-first">
      <section className="panel" aria-labelledby="health-title">
        <h2 id="health-title">Health over the last 24 hours</h2>
        {measured ? (
          <>
            <div className="health-summary">
              <HealthGauge score={measured.score} size={64} />
              <p>
                <StatusBadge status={HEALTH_TONE[measured.status]} label={enumLabel(measured.status)} />{' '}
                {formatCount(measured.metrics.runs)} runs, {formatCount(measured.metrics.recordsProcessed)} records,{' '}
                {formatCount(measured.metrics.pendingConflicts)} pending conflicts
              </p>
            </div>
            <div className="table-wrap">
              <table>
                <caption>What the score is made of</caption>
                <thead>
                  <tr>
                    <th scope="col">Check</th>
                    <th scope="col">Measured</th>
                    <th scope="col" className="num">
                      Score
                    </th>
                    <th scope="col" className="num">
                      Weight
                    </th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {componentRows(measured).map((row) => (
                    <tr key={row.name}>
                      <th scope="row">{row.name}</th>
                      <td>{row.shown}</td>
                      <td className="num">{Math.round(row.component.score)}</td>
                      <td className="num">{formatPercent(row.component.weight)}</td>
                      <td>
                        <StatusBadge {...CHECK_STATUS[row.component.status]} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : health.isError ? (
          <ErrorState title="Could not load the health score" retry={() => void health.refetch()} />
        ) : !health.data ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : (
          <p className="muted">Not measured yet.</p>
        )}
        {history.data ? (
          <div className="sparklines">
            <Sparkline
              title="Success rate per hour"
              values={buckets.map((bucket) => bucket.successRate)}
              format={formatPercent}
              period="hour"
              min={0}
              max={1}
            />
            <Sparkline
              title="Average latency per hour"
              values={buckets.map((bucket) => bucket.avgLatencyMs)}
              format={ms}
              period="hour"
              min={0}
            />
          </div>
        ) : history.isError ? (
          <ErrorState title="Could not load the 24-hour history" retry={() => void history.refetch()} />
        ) : null}
      </section>

      <section className="panel" aria-labelledby="config-title">
        <h2 id="config-title">Configuration</h2>
        <dl className="details">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={integration.status} />
            {integration.consecutiveFailures ? ` · ${integration.consecutiveFailures} failures in a row` : ''}
          </dd>
          <dt>Tool</dt>
          <dd>{integrationTypeLabel(integration.type)}</dd>
          <dt>Base URL</dt>
          <dd>{integration.baseUrl ?? `${info?.defaultBaseUrl ?? '—'} (default)`}</dd>
          <dt>Authentication</dt>
          <dd>{enumLabel(integration.authType)}</dd>
          <dt>Direction</dt>
          <dd>{labelOf(DIRECTIONS, integration.direction)}</dd>
          <dt>Frequency</dt>
          <dd>{labelOf(FREQUENCIES, integration.frequency)}</dd>
          <dt>Conflicts</dt>
          <dd>{labelOf(CONFLICT_STRATEGIES, integration.conflictStrategy)}</dd>
          <dt>Scheduled syncs</dt>
          <dd>{integration.pollingEnabled ? 'On' : 'Off (stopped after repeated failures)'}</dd>
          <dt>Last sync</dt>
          <dd>
            <RelativeTime date={integration.lastSyncAt} />
          </dd>
          <dt>Last success</dt>
          <dd>
            <RelativeTime date={integration.lastSuccessAt} />
          </dd>
          <dt>Next sync</dt>
          <dd>
            <RelativeTime date={integration.nextSyncAt} empty="Not scheduled" />
          </dd>
          <dt>Last error</dt>
          <dd>
            {integration.lastErrorAt ? (
              <>
                <RelativeTime date={integration.lastErrorAt} />
                {integration.lastErrorMessage ? (
                  <span className="cell-sub cell-sub--bad">{integration.lastErrorMessage}</span>
                ) : null}
              </>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
          <dt>Created</dt>
          <dd>
            <RelativeTime date={integration.createdAt} />
          </dd>
        </dl>
      </section>
    </div>
  );
}
