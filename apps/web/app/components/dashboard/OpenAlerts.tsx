import { Link } from '@remix-run/react';
import { EmptyState } from '../EmptyState.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { StatusBadge } from '../StatusBadge.tsx';

/** What the open-alerts list needs of an alert (alerts.list items have at least these fields). */
export interface OpenAlert {
  id: string;
  severity: string;
  title: string;
  message: string;
  integrationId?: string | null;
  integrationName?: string | null;
  createdAt: Date;
}

export function OpenAlerts({ alerts }: { alerts: OpenAlert[] }) {
  if (alerts.length === 0) {
    return (
      <EmptyState title="No open alerts" level={3}>
        Failing integrations, sync lag and piling conflicts raise alerts here.
      </EmptyState>
    );
  }
  return (
    <ul className="feed">
      {alerts.map((alert) => (
        <li key={alert.id} className="feed__item">
          <StatusBadge status={alert.severity} />
          <div className="feed__body">
            <p className="feed__title">{alert.title}</p>
            <p className="cell-sub">
              {alert.integrationName ? (
                <>
                  {alert.integrationId ? (
                    <Link to={`/integrations/${alert.integrationId}`}>{alert.integrationName}</Link>
                  ) : (
                    alert.integrationName
                  )}
                  {': '}
                </>
              ) : null}
              {alert.message}
            </p>
          </div>
          <RelativeTime date={alert.createdAt} />
        </li>
      ))}
    </ul>
  );
}
