import type { FormEvent } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { requireUser } from '../auth.server.ts';
import { enumLabel } from '../format.ts';
import { settle } from '../integration-loaders.server.ts';
import { trpc, type RouterInputs, type RouterOutputs } from '../trpc.ts';

export const meta: MetaFunction = () => [{ title: 'Alerts · Syncbridge' }];

const PAGE_SIZE = 50;

type ListInput = Exclude<RouterInputs['alerts']['list'], void | undefined>;
type AlertStatus = NonNullable<ListInput['status']>;
type AlertSeverity = NonNullable<ListInput['severity']>;
type AlertItem = RouterOutputs['alerts']['list']['items'][number];

const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const satisfies readonly AlertStatus[];
const SEVERITIES = ['CRITICAL', 'WARNING', 'INFO'] as const satisfies readonly AlertSeverity[];

interface AlertSearch {
  status: AlertStatus | null;
  severity: AlertSeverity | null;
}

function searchOf(params: URLSearchParams): AlertSearch {
  const status = params.get('status');
  const severity = params.get('severity');
  return {
    status: STATUSES.includes(status as AlertStatus) ? (status as AlertStatus) : null,
    severity: SEVERITIES.includes(severity as AlertSeverity) ? (severity as AlertSeverity) : null,
  };
}

function listInput(search: AlertSearch) {
  return {
    limit: PAGE_SIZE,
    ...(search.status ? { status: search.status } : {}),
    ...(search.severity ? { severity: search.severity } : {}),
  };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireUser(context);
  const search = searchOf(new URL(request.url).searchParams);
  const alerts = await settle(context.trpc.alerts.list(listInput(search)), context.log, 'alerts');
  return { search, alerts, loadedAt: Date.now() };
}

function Acknowledge({ alert }: { alert: AlertItem }) {
  const utils = trpc.useUtils();
  const acknowledge = trpc.alerts.acknowledge.useMutation({
    onSuccess: () => utils.alerts.list.invalidate(),
  });
  return (
    <div className="row-actions">
      <Button
        requires="STAFF"
        variant="secondary"
        busy={acknowledge.isPending}
        onClick={() => acknowledge.mutate({ id: alert.id })}
        aria-label={`Acknowledge ${alert.title}`}
      >
        Acknowledge
      </Button>
      {acknowledge.isError ? (
        <span role="alert" className="action-result action-result--bad">
          {acknowledge.error.message}
        </span>
      ) : null}
    </div>
  );
}

function AlertEntry({ alert }: { alert: AlertItem }) {
  return (
    <li className="feed__item alert-item" data-alert-id={alert.id} data-status={alert.status}>
      <StatusBadge status={alert.severity} />
      <div className="feed__body">
        <p className="feed__title">{alert.title}</p>
        <p>
          {alert.integrationId && alert.integrationName ? (
            <>
              <Link to={`/integrations/${alert.integrationId}`}>{alert.integrationName}</Link>:{' '}
            </>
          ) : null}
          {alert.message}
        </p>
        <p className="cell-sub">
          <StatusBadge status={alert.status} /> {enumLabel(alert.rule)} · raised <RelativeTime date={alert.createdAt} />
          {alert.acknowledgedAt ? (
            <>
              {' '}
              · acknowledged <RelativeTime date={alert.acknowledgedAt} />
              {alert.acknowledgedBy ? ` by ${alert.acknowledgedBy.name ?? alert.acknowledgedBy.email}` : ''}
            </>
          ) : null}
        </p>
      </div>
      {alert.status === 'OPEN' ? <Acknowledge alert={alert} /> : <span />}
    </li>
  );
}

export default function AlertsPage() {
  const data = useLoaderData<typeof loader>();
  const { search } = data;
  const navigate = useNavigate();
  const alerts = trpc.alerts.list.useInfiniteQuery(listInput(search), {
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: data.alerts ? { pages: [data.alerts], pageParams: [undefined] } : undefined,
    initialDataUpdatedAt: data.loadedAt,
    refetchInterval: 15_000,
  });
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(search.status || search.severity);

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(event.currentTarget)) {
      if (typeof value === 'string' && value) params.set(name, value);
    }
    const query = params.toString();
    navigate(`/alerts${query ? `?${query}` : ''}`);
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="page-head__sub">Failing integrations, sync lag, error rates and piling conflicts.</p>
        </div>
      </div>
      <Form
        method="get"
        action="/alerts"
        className="filters filters--inline"
        onSubmit={applyFilters}
        key={JSON.stringify(search)}
        aria-label="Filter alerts"
      >
        <div className="field">
          <label htmlFor="alerts-status">Status</label>
          <select id="alerts-status" name="status" defaultValue={search.status ?? ''}>
            <option value="">Any</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {enumLabel(status)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="alerts-severity">Severity</label>
          <select id="alerts-severity" name="severity" defaultValue={search.severity ?? ''}>
            <option value="">Any</option>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {enumLabel(severity)}
              </option>
            ))}
          </select>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Apply filters
          </button>
          {filtered ? (
            <Link className="button button--link" to="/alerts">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      <section className="panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title" className="visually-hidden">
          Alerts found
        </h2>
        {!alerts.data ? (
          alerts.isError ? (
            <ErrorState title="Could not load the alerts" retry={() => void alerts.refetch()} />
          ) : (
            <p className="muted" role="status">
              Loading…
            </p>
          )
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState title="No alerts match these filters">
              <p>
                <Link to="/alerts">Show all alerts</Link>
              </p>
            </EmptyState>
          ) : (
            <EmptyState title="No alerts">
              Failing integrations, sync lag and piling conflicts raise alerts here.
            </EmptyState>
          )
        ) : (
          <>
            {alerts.isError ? (
              <ErrorState title="Could not refresh the alerts">Showing the last list loaded.</ErrorState>
            ) : null}
            <ul className="feed" aria-label="Alerts, newest first">
              {items.map((alert) => (
                <AlertEntry key={alert.id} alert={alert} />
              ))}
            </ul>
            {alerts.hasNextPage ? (
              <Button variant="secondary" busy={alerts.isFetchingNextPage} onClick={() => void alerts.fetchNextPage()}>
                Show older alerts
              </Button>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
