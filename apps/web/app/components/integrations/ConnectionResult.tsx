import type { RouterOutputs } from '../../trpc.ts';

export type ConnectionTest = RouterOutputs['integrations']['testConnection'];

const HEADLINES: Record<ConnectionTest['status'], string> = {
  connected: 'Connection works',
  auth_failed: 'The credentials were refused',
  unreachable: 'Could not reach the service',
  error: 'The service answered with an error',
};

/** The server's message without the words the headline already says ("The credentials were refused: …"). */
function detailOf(result: ConnectionTest): string {
  const prefix = `${HEADLINES[result.status]}: `;
  return result.message.startsWith(prefix) ? result.message.slice(prefix.length) : result.message;
}

/**
 * A connection test's outcome, announced: a success politely (status), a failure as an alert. The
 * message comes from the server and never holds a credential.
 */
export function ConnectionResult({ result, pending }: { result: ConnectionTest | null; pending: boolean }) {
  if (pending) {
    return (
      <p className="connection-result connection-result--pending" role="status">
        Testing the connection…
      </p>
    );
  }
  if (!result) return <p role="status" className="visually-hidden" />;
  return (
    <div
      className={`connection-result connection-result--${result.ok ? 'ok' : 'bad'}`}
      role={result.ok ? 'status' : 'alert'}
      data-status={result.status}
    >
      <p className="connection-result__title">{HEADLINES[result.status]}</p>
      <p className="connection-result__message">{detailOf(result)}</p>
      <p className="cell-sub">
        {result.latencyMs} ms
        {result.apiVersion ? ` · API ${result.apiVersion}` : ''}
        {result.credentialsValid === null ? '' : ` · credentials ${result.credentialsValid ? 'accepted' : 'refused'}`}
      </p>
    </div>
  );
}
