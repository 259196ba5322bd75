import { useState } from 'react';
import { Link } from '@remix-run/react';
import { Button } from '../Button.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { can } from '../roles.ts';
import { useUser } from '../user.ts';
import { formatCount, formatPercent } from '../../format.ts';
import { trpc, type RouterOutputs } from '../../trpc.ts';

export type PendingMassDelete = RouterOutputs['jobs']['pendingMassDeletes']['items'][number];

function records(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'record' : 'records'}`;
}

/**
 * One paused pull: how many records a confirmation would remove and from how many, a sample of the
 * ids that disappeared, and (admins) a two-step confirm or a reject.
 */
function MassDelete({ item, onAnswered }: { item: PendingMassDelete; onAnswered: (message: string) => void }) {
  const user = useUser();
  const utils = trpc.useUtils();
  const [confirming, setConfirming] = useState(false);
  const answer = trpc.jobs.confirmMassDelete.useMutation({
    onSuccess: async (result, input) => {
      const where = `${item.resourceName}${item.integrationName ? ` (${item.integrationName})` : ''}`;
      onAnswered(
        input.confirm
          ? `Removed ${records(result.removed)} from ${where}.`
          : `Nothing was removed from ${where}; the records stay and the run is closed.`,
      );
      setConfirming(false);
      await Promise.all([utils.jobs.pendingMassDeletes.invalidate(), utils.jobs.list.invalidate()]);
    },
  });
  const headingId = `mass-delete-${item.jobId}`;
  const where = `${item.resourceName}${item.integrationName ? ` (${item.integrationName})` : ''}`;
  const share = item.mapped ? formatPercent(item.pendingDeletes / item.mapped) : null;
  const send = (confirm: boolean) => answer.mutate({ resourceId: item.resourceId, jobId: item.jobId, confirm });
  return (
    <li className="mass-delete" data-job-id={item.jobId}>
      <h3 id={headingId}>
        {records(item.pendingDeletes)} would be removed from {where}
      </h3>
      <p>
        The last full read of {item.integrationName ?? 'the external system'} no longer has{' '}
        <strong>{records(item.pendingDeletes)}</strong>
        {item.mapped !== null ? ` of the ${formatCount(item.mapped)} it had synced (${share})` : ''}. That is more than
        a sync removes on its own, so it paused <RelativeTime date={item.createdAt} /> to ask first. Confirming applies
        the resource’s delete policy to those {formatCount(item.pendingDeletes)} local records; rejecting keeps them
        all.
      </p>
      {item.message ? <p className="muted">{item.message}</p> : null}
      {item.sampleExternalIds.length ? (
        <details className="disclosure">
          <summary>
            {item.sampleExternalIds.length < item.pendingDeletes
              ? `${item.sampleExternalIds.length} of the missing external ids`
              : 'The missing external ids'}
          </summary>
          <ul className="id-list">
            {item.sampleExternalIds.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p>
        <Link to={`/jobs/${item.jobId}`}>Open the paused run</Link>
      </p>
      {can(user?.role, 'ADMIN') ? (
        confirming ? (
          <div className="confirm" role="group" aria-label="Confirm the deletion">
            <p>
              Remove {records(item.pendingDeletes)} from {where}? This cannot be undone from here.
            </p>
            <div className="row-actions">
              <Button variant="danger" busy={answer.isPending} onClick={() => send(true)}>
                Yes, remove {records(item.pendingDeletes)}
              </Button>
              <Button variant="secondary" disabled={answer.isPending} onClick={() => setConfirming(false)}>
                Go back
              </Button>
            </div>
          </div>
        ) : (
          <div className="row-actions">
            <Button variant="danger" onClick={() => setConfirming(true)} disabled={answer.isPending}>
              Confirm deletion…
            </Button>
            <Button variant="secondary" busy={answer.isPending} onClick={() => send(false)}>
              Reject and keep the records
            </Button>
          </div>
        )
      ) : (
        <p className="muted">An admin confirms or rejects this.</p>
      )}
      {answer.isError ? (
        <p role="alert" className="field-error">
          {answer.error.message}
        </p>
      ) : null}
    </li>
  );
}

/**
 * Pulls paused by the mass-delete guard, waiting for an admin. Renders nothing when none wait (and
 * nothing was just answered); the answer's outcome stays after its item leaves the list.
 */
export function MassDeletes({ items }: { items: PendingMassDelete[] }) {
  const [outcome, setOutcome] = useState<string | null>(null);
  if (items.length === 0 && !outcome) return null;
  return (
    <section className="panel" aria-labelledby="mass-deletes-title">
      <h2 id="mass-deletes-title">Deletions waiting for confirmation</h2>
      <p role="status" className="action-result">
        {outcome}
      </p>
      {items.length ? (
        <ul className="mass-deletes">
          {items.map((item) => (
            <MassDelete key={item.jobId} item={item} onAnswered={setOutcome} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
