import { Link } from '@remix-run/react';
import { ErrorState } from '../ErrorState.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { enumLabel, formatCount, formatTimestamp } from '../../format.ts';
import { trpc } from '../../trpc.ts';
import { formatMs } from './format.ts';

/** A payload as indented JSON text; masked secrets read `[redacted]` (the server masks them). */
function Payload({ id, title, value }: { id: string; title: string; value: unknown }) {
  return (
    <section aria-labelledby={id} className="log-detail__payload">
      <h3 id={id}>{title}</h3>
      {value === null || value === undefined ? (
        <p className="muted">None recorded.</p>
      ) : (
        <pre className="code-block" tabIndex={0} aria-labelledby={id}>
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </section>
  );
}

/** One log line in full (logs.get): what ran, how it ended, and the request and response kept for debugging. */
export function LogDetail({ id }: { id: string }) {
  const log = trpc.logs.get.useQuery({ id });
  if (log.isError) return <ErrorState title="Could not load this log line" retry={() => void log.refetch()} />;
  if (!log.data)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  const item = log.data;
  return (
    <div className="log-detail">
      <dl className="details">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={item.status} />
        </dd>
        <dt>Time</dt>
        <dd>{formatTimestamp(item.createdAt)}</dd>
        <dt>Integration</dt>
        <dd>
          <Link to={`/integrations/${item.integrationId}`}>{item.integrationName}</Link>
        </dd>
        <dt>Operation</dt>
        <dd>
          {enumLabel(item.operation)} · {enumLabel(item.direction)}
        </dd>
        <dt>Resource type</dt>
        <dd>{item.resourceType}</dd>
        <dt>Records</dt>
        <dd>
          {formatCount(item.recordsProcessed)} processed, {formatCount(item.recordsSucceeded)} succeeded,{' '}
          {formatCount(item.recordsFailed)} failed
        </dd>
        <dt>Duration</dt>
        <dd>{formatMs(item.durationMs)}</dd>
        <dt>Record id</dt>
        <dd>{item.recordId ? <code>{item.recordId}</code> : '—'}</dd>
        <dt>External id</dt>
        <dd>{item.externalId ? <code>{item.externalId}</code> : '—'}</dd>
        {item.httpStatus ? (
          <>
            <dt>HTTP status</dt>
            <dd>{item.httpStatus}</dd>
          </>
        ) : null}
        {item.retryCount ? (
          <>
            <dt>Retries</dt>
            <dd>{item.retryCount}</dd>
          </>
        ) : null}
        {item.errorMessage || item.errorCode ? (
          <>
            <dt>Error</dt>
            <dd className="cell-sub--bad">
              {item.errorCode ? <code>{item.errorCode}</code> : null} {item.errorMessage}
            </dd>
          </>
        ) : null}
        {item.jobExecutionId ? (
          <>
            <dt>Run</dt>
            <dd>
              <Link to={`/jobs/${item.jobExecutionId}`}>Open the run</Link>
            </dd>
          </>
        ) : null}
      </dl>
      <Payload id={`log-${item.id}-request`} title="Request payload" value={item.requestPayload} />
      <Payload id={`log-${item.id}-response`} title="Response payload" value={item.responsePayload} />
      <p className="field-hint">Secret values are never stored; any that slipped through show as [redacted].</p>
    </div>
  );
}
