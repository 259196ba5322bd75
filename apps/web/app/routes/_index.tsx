import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import type { TIntegrationSummary } from '@syncbridge/api';
import { directionLabels, enumLabel, formatTimestamp, integrationTypeLabel } from '../format.ts';

export const meta: MetaFunction = () => [
  { title: 'Syncbridge' },
  { name: 'description', content: 'Integrations syncing your Postgres tables with SaaS tools.' },
];

export async function loader({ context }: LoaderFunctionArgs) {
  // Reading integrations needs a signed-in user (any role); signed out, the page says so.
  const { user } = await context.trpc.auth.me();
  if (!user) return { signedIn: false, integrations: [] };
  const { items } = await context.trpc.integrations.list();
  return { signedIn: true, integrations: items };
}

export default function IntegrationsPage() {
  const { signedIn, integrations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Integrations</h1>
      {!signedIn ? (
        <SignedOut />
      ) : integrations.length === 0 ? (
        <EmptyState />
      ) : (
        <IntegrationsTable integrations={integrations} />
      )}
    </>
  );
}

function SignedOut() {
  return (
    <section className="empty-state" aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">Sign in to see integrations</h2>
      <p>
        <a href="/sign-in">Sign in</a>
      </p>
      <p className="muted">No account? Ask an admin.</p>
    </section>
  );
}

function EmptyState() {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No integrations yet</h2>
      <p className="muted">Once you connect a tool, its sync status shows up here.</p>
    </section>
  );
}

function IntegrationsTable({ integrations }: { integrations: TIntegrationSummary[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{`${integrations.length} ${integrations.length === 1 ? 'integration' : 'integrations'}`}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Direction</th>
            <th scope="col">Frequency</th>
            <th scope="col">Last sync</th>
          </tr>
        </thead>
        <tbody>
          {integrations.map((integration) => (
            <tr key={integration.id}>
              <th scope="row">{integration.name}</th>
              <td>{integrationTypeLabel(integration.type)}</td>
              <td>
                <span className={`badge badge--${integration.status.toLowerCase()}`}>
                  {enumLabel(integration.status)}
                </span>
              </td>
              <td>{directionLabels[integration.direction]}</td>
              <td>{enumLabel(integration.frequency)}</td>
              <td>
                {integration.lastSyncAt ? (
                  <time dateTime={integration.lastSyncAt.toISOString()}>{formatTimestamp(integration.lastSyncAt)}</time>
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
