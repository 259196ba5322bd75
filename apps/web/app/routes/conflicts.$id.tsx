import { useEffect, useRef, useState } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ErrorState } from '../components/ErrorState.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { ConflictDiff } from '../components/conflicts/ConflictDiff.tsx';
import { ResolveForm } from '../components/conflicts/ResolveForm.tsx';
import { choiceLabels } from '../components/conflicts/values.ts';
import { can } from '../components/roles.ts';
import { useUser } from '../components/user.ts';
import { requireUser } from '../auth.server.ts';
import { enumLabel, formatTimestamp } from '../format.ts';
import { orNotFound, uuidParam } from '../integration-loaders.server.ts';
import { trpc } from '../trpc.ts';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Conflict on ${data.conflict.resourceType} ${data.conflict.internalId} · Syncbridge`
      : 'Conflict · Syncbridge',
  },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const id = uuidParam(params.id, 'Conflict');
  const conflict = await orNotFound(context.trpc.conflicts.get({ id }), 'Conflict');
  return { conflict, loadedAt: Date.now() };
}

export default function ConflictPage() {
  const data = useLoaderData<typeof loader>();
  const user = useUser();
  const query = trpc.conflicts.get.useQuery(
    { id: data.conflict.id },
    { initialData: data.conflict, initialDataUpdatedAt: data.loadedAt },
  );
  const conflict = query.data;
  const [resolvedNow, setResolvedNow] = useState<{ pushed: boolean } | null>(null);
  const done = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Once resolved, the form is gone: focus goes to the message that says what happened.
    if (resolvedNow && conflict.status !== 'PENDING') done.current?.focus();
  }, [resolvedNow, conflict.status]);

  const pending = conflict.status === 'PENDING';
  const queue = `/conflicts?integrationId=${encodeURIComponent(conflict.integrationId)}`;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/conflicts">Conflicts</Link> / <Link to={queue}>{conflict.integrationName}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            Conflict on {conflict.resourceType} {conflict.internalId}
          </h1>
          <p className="page-head__sub">
            <StatusBadge status={conflict.status} />
            <span>
              detected <RelativeTime date={conflict.createdAt} />
            </span>
          </p>
        </div>
      </div>

      {query.isError ? <ErrorState title="Could not refresh this conflict">Showing what was loaded.</ErrorState> : null}

      <dl className="details conflict-facts">
        <dt>Integration</dt>
        <dd>
          <Link to={`/integrations/${conflict.integrationId}`}>{conflict.integrationName}</Link>
        </dd>
        <dt>Local record</dt>
        <dd>
          <code>{conflict.internalId}</code>
        </dd>
        <dt>External record</dt>
        <dd>
          <code>{conflict.externalId}</code>
        </dd>
        <dt>Why</dt>
        <dd>{conflict.conflictReason ?? 'Both sides changed this record since the last sync.'}</dd>
        {!pending ? (
          <>
            <dt>Resolved</dt>
            <dd>
              {conflict.resolvedAt ? formatTimestamp(conflict.resolvedAt) : '—'}
              {conflict.resolvedBy ? ` by ${conflict.resolvedBy.name ?? conflict.resolvedBy.email}` : ''}
              {conflict.choice ? ` · ${choiceLabels[conflict.choice]}` : ''}
              {!conflict.choice && conflict.resolutionStrategy ? ` · ${enumLabel(conflict.resolutionStrategy)}` : ''}
            </dd>
          </>
        ) : null}
      </dl>

      {resolvedNow && !pending ? (
        <div className="notice notice--ok" role="status" tabIndex={-1} ref={done}>
          <p>
            Resolved. The chosen values were written to this app’s database
            {resolvedNow.pushed ? ` and queued for ${conflict.integrationName}` : ''}.
          </p>
          <p>
            <Link to={queue}>Back to the conflicts of {conflict.integrationName}</Link>
          </p>
        </div>
      ) : null}

      {pending && can(user?.role, 'STAFF') ? (
        <ResolveForm conflict={conflict} onResolved={setResolvedNow} />
      ) : (
        <section aria-labelledby="diff-title">
          <h2 id="diff-title">{pending ? 'The two versions' : 'The two versions and the result'}</h2>
          {pending ? <p className="muted">Staff and admins resolve conflicts; your role can read them.</p> : null}
          <ConflictDiff
            fields={conflict.fields}
            externalName={conflict.integrationName}
            result={pending ? null : conflict.resolvedData}
          />
        </section>
      )}
    </>
  );
}
