import { HealthGauge } from '../HealthGauge.tsx';
import { formatCount, formatPercent } from '../../format.ts';
import type { DashboardIntegration } from './types.ts';

function average(values: number[]): number | null {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

/** Figures across all integrations, each a term and its value (a <dl>, read as pairs). */
export function Totals({
  integrations,
  runningJobs,
  pendingConflicts,
  openAlerts,
}: {
  integrations: DashboardIntegration[];
  runningJobs: number | null;
  /** Across all integrations (conflicts.list total); else summed from the integrations' own counts. */
  pendingConflicts: number | null;
  /** `more`: there are more open alerts than were read. */
  openAlerts: { count: number; more: boolean } | null;
}) {
  const healthy = integrations.filter((integration) => integration.status === 'ACTIVE').length;
  const failing = integrations.filter(
    (integration) => integration.status === 'ERROR' || integration.status === 'DEGRADED',
  ).length;
  const health = average(integrations.map((integration) => integration.healthScore).filter(present));
  const successRate = average(integrations.map((integration) => integration.successRate).filter(present));
  const perIntegration = integrations.map((integration) => integration.pendingConflicts).filter(present);
  const conflicts =
    pendingConflicts ?? (perIntegration.length ? perIntegration.reduce((sum, value) => sum + value, 0) : null);
  return (
    <dl className="totals" aria-label="Totals across all integrations">
      <div className="totals__item">
        <dt>Integrations</dt>
        <dd>
          <span className="totals__value">{formatCount(integrations.length)}</span>
          <span className="cell-sub">
            {healthy} active{failing ? `, ${failing} failing` : ''}
          </span>
        </dd>
      </div>
      <div className="totals__item">
        <dt>Average health</dt>
        <dd>
          <HealthGauge score={health} size={40} />
        </dd>
      </div>
      <div className="totals__item">
        <dt>Success rate</dt>
        <dd className="totals__value">{formatPercent(successRate)}</dd>
      </div>
      <div className="totals__item">
        <dt>Pending conflicts</dt>
        <dd className="totals__value">{conflicts === null ? '—' : formatCount(conflicts)}</dd>
      </div>
      <div className="totals__item">
        <dt>Running jobs</dt>
        <dd className="totals__value">{runningJobs === null ? '—' : formatCount(runningJobs)}</dd>
      </div>
      <div className="totals__item">
        <dt>Open alerts</dt>
        <dd className="totals__value">
          {openAlerts === null ? '—' : `${formatCount(openAlerts.count)}${openAlerts.more ? '+' : ''}`}
        </dd>
      </div>
    </dl>
  );
}
