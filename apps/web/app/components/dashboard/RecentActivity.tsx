import { Link } from '@remix-run/react';
import { EmptyState } from '../EmptyState.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { enumLabel, formatCount } from '../../format.ts';
import type { RouterOutputs } from '../../trpc.ts';

export type ActivityItem = RouterOutputs['logs']['list']['items'][number];

/** The latest sync log lines: what ran, on which integration, how it ended. */
export function RecentActivity({ items }: { items: ActivityItem[] }) {
  if (items.length === 0) {
    return (
      <EmptyState title="No activity yet" level={3}>
        Sync runs and webhook deliveries are listed here as they happen.
      </EmptyState>
    );
  }
  return (
    <ol className="feed">
      {items.map((item) => (
        <li key={item.id} className="feed__item">
          <StatusBadge status={item.status} />
          <div className="feed__body">
            <p className="feed__title">
              <Link to={`/integrations/${item.integrationId}`}>{item.integrationName}</Link> ·{' '}
              {enumLabel(item.operation)} {item.resourceType}
            </p>
            <p className="cell-sub">
              {formatCount(item.recordsProcessed)} processed
              {item.recordsFailed ? `, ${formatCount(item.recordsFailed)} failed` : ''}
              {item.errorMessage ? ` — ${item.errorMessage}` : ''}
            </p>
          </div>
          <RelativeTime date={item.createdAt} />
        </li>
      ))}
    </ol>
  );
}
