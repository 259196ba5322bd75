import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { requireUser } from '../auth.server.ts';
import { formatCount } from '../format.ts';
import { uuidParam } from '../integration-loaders.server.ts';
import { trpc } from '../trpc.ts';

const RECENT = 5;

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const integrationId = uuidParam(params.id, 'Integration');
  return {
    integrationId,
    pending: await context.trpc.conflicts.list({ integrationId, status: 'PENDING', limit: RECENT }),
    loadedAt: Date.now(),
  };
}

/** How many conflicts wait for a decision, the latest few, and the way to the review queue. */
export default function IntegrationConflictsTab() {
  const data = useLoaderData<typeof loader>();
  const pending = trpc.conflicts.list.useQuery(
    { integrationId: data.integrationId, status: 'PENDING', limit: RECENT },
    { initialData: data.pending, initialDataUpdatedAt: data.loadedAt, refetchInterval: 15_000 },
  );
  const queue = `/conflicts?integrationId=${encodeURIComponent(data.integrationId)}`;
  const total = pending.data.total;
  return (
    <section aria-labelledby="conflicts-title">
      <div className="section-head">
        <h2 id="conflicts-title">Conflicts</h2>
        <Link to={queue}>Review them in the conflicts queue</Link>
      </div>
      {pending.isError ? <ErrorState title="Could not refresh the conflicts" /> : null}
      <p className="conflict-count" role="status">
        <span className="totals__value">{formatCount(total)}</span> {total === 1 ? 'conflict waits' : 'conflicts wait'}{' '}
        for a decision.
      </p>
      {total === 0 ? (
        <EmptyState title="Nothing to review" level={3}>
          A conflict appears when both sides changed the same record and the strategy asks for a person.
        </EmptyState>
      ) : (
        <ul className="feed">
          {pending.data.items.map((conflict) => (
            <li key={conflict.id} className="feed__item">
              <div className="feed__body">
                <p className="feed__title">
                  {conflict.resourceType} {conflict.internalId}
                </p>
                <p className="cell-sub">Both sides changed: {conflict.conflictedFields.join(', ')}</p>
              </div>
              <RelativeTime date={conflict.createdAt} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
