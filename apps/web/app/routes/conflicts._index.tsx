import { useState, type FormEvent } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { BulkResolveBar } from '../components/conflicts/BulkResolveBar.tsx';
import { ConflictGroups, groupByIntegration } from '../components/conflicts/ConflictGroups.tsx';
import { TabNav } from '../components/integrations/TabNav.tsx';
import { can } from '../components/roles.ts';
import { useUser } from '../components/user.ts';
import { requireUser } from '../auth.server.ts';
import { formatCount } from '../format.ts';
import { settle } from '../integration-loaders.server.ts';
import { trpc } from '../trpc.ts';

export const meta: MetaFunction = () => [{ title: 'Conflicts · Syncbridge' }];

const PAGE_SIZE = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ConflictSearch {
  history: boolean;
  integrationId: string | null;
  resourceType: string | null;
}

function searchOf(params: URLSearchParams): ConflictSearch {
  const integrationId = params.get('integrationId');
  const resourceType = params.get('resourceType')?.trim();
  return {
    history: params.get('view') === 'history',
    integrationId: integrationId && UUID.test(integrationId) ? integrationId.toLowerCase() : null,
    resourceType: resourceType && resourceType.length <= 100 ? resourceType : null,
  };
}

function queryOf(search: ConflictSearch, history = search.history): string {
  const params = new URLSearchParams();
  if (history) params.set('view', 'history');
  if (search.integrationId) params.set('integrationId', search.integrationId);
  if (search.resourceType) params.set('resourceType', search.resourceType);
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

function listInput(search: ConflictSearch) {
  return {
    status: search.history ? ('RESOLVED' as const) : ('PENDING' as const),
    limit: PAGE_SIZE,
    ...(search.integrationId ? { integrationId: search.integrationId } : {}),
    ...(search.resourceType ? { resourceType: search.resourceType } : {}),
  };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireUser(context);
  const search = searchOf(new URL(request.url).searchParams);
  const [conflicts, integrations] = await Promise.all([
    settle(context.trpc.conflicts.list(listInput(search)), context.log, 'conflicts'),
    settle(context.trpc.integrations.list(), context.log, 'integrations'),
  ]);
  return {
    search,
    conflicts,
    integrations: (integrations?.items ?? []).map(({ id, name }) => ({ id, name })),
    loadedAt: Date.now(),
  };
}

export default function ConflictsPage() {
  const data = useLoaderData<typeof loader>();
  const { search } = data;
  const user = useUser();
  const navigate = useNavigate();
  const input = listInput(search);
  const list = trpc.conflicts.list.useInfiniteQuery(input, {
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: data.conflicts ? { pages: [data.conflicts], pageParams: [undefined] } : undefined,
    initialDataUpdatedAt: data.loadedAt,
    refetchInterval: search.history ? false : 15_000,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const groups = groupByIntegration(items);
  const filtered = Boolean(search.integrationId || search.resourceType);

  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Only conflicts still listed count as selected (one resolved elsewhere drops out).
  const selectedIds = items.filter((item) => selected.has(item.id)).map((item) => item.id);
  const canResolve = !search.history && can(user?.role, 'STAFF');
  const toggle = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const labelOf = (id: string) => {
    const item = items.find((conflict) => conflict.id === id);
    return item ? `${item.resourceType} ${item.internalId}` : id;
  };

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = searchOf(
      new URLSearchParams([...form].filter((pair): pair is [string, string] => typeof pair[1] === 'string')),
    );
    navigate(`/conflicts${queryOf({ ...next, history: search.history })}`);
  };
  const resourceTypes = [...new Set(items.map((item) => item.resourceType))].sort();

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Conflicts</h1>
          <p className="page-head__sub">Records changed on both sides where the strategy asks a person to decide.</p>
        </div>
      </div>

      <Form
        method="get"
        action="/conflicts"
        className="filters filters--inline"
        onSubmit={applyFilters}
        key={queryOf(search)}
        aria-label="Filter conflicts"
      >
        {search.history ? <input type="hidden" name="view" value="history" /> : null}
        <div className="field">
          <label htmlFor="conflicts-integration">Integration</label>
          <select id="conflicts-integration" name="integrationId" defaultValue={search.integrationId ?? ''}>
            <option value="">All integrations</option>
            {data.integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="conflicts-resource-type">Resource type</label>
          <input
            id="conflicts-resource-type"
            name="resourceType"
            type="text"
            autoComplete="off"
            maxLength={100}
            list="conflict-resource-types"
            defaultValue={search.resourceType ?? ''}
          />
          <datalist id="conflict-resource-types">
            {resourceTypes.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Apply filters
          </button>
          {filtered ? (
            <Link className="button button--link" to={`/conflicts${search.history ? '?view=history' : ''}`}>
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      <TabNav
        label="Conflicts"
        panelId="conflicts-panel"
        tabs={[
          {
            id: 'conflicts-tab-pending',
            to: `/conflicts${queryOf(search, false)}`,
            label: 'Waiting for review',
            selected: !search.history,
          },
          {
            id: 'conflicts-tab-history',
            to: `/conflicts${queryOf(search, true)}`,
            label: 'History',
            selected: search.history,
          },
        ]}
      >
        {!list.data ? (
          list.isError ? (
            <ErrorState title="Could not load the conflicts" retry={() => void list.refetch()} />
          ) : (
            <p className="muted" role="status">
              Loading…
            </p>
          )
        ) : (
          <>
            {list.isError ? (
              <ErrorState title="Could not refresh the conflicts">Showing the last list loaded.</ErrorState>
            ) : null}
            <p className="conflict-count" role="status">
              <span className="totals__value">{formatCount(total)}</span>{' '}
              {search.history
                ? total === 1
                  ? 'conflict resolved by a person'
                  : 'conflicts resolved by a person'
                : total === 1
                  ? 'conflict waits for a decision'
                  : 'conflicts wait for a decision'}
              {filtered ? ' (filtered)' : ''}.
            </p>
            {canResolve && items.length ? (
              <BulkResolveBar selected={selectedIds} labelOf={labelOf} onDone={(resolved) => toggle(resolved, false)} />
            ) : null}
            {items.length === 0 ? (
              search.history ? (
                <EmptyState title="No resolved conflicts yet">
                  Conflicts resolved here are kept with who chose what, and when.
                </EmptyState>
              ) : filtered ? (
                <EmptyState title="No conflicts match these filters">
                  <p>
                    <Link to="/conflicts">Show all conflicts</Link>
                  </p>
                </EmptyState>
              ) : (
                <EmptyState title="Nothing to review">
                  A conflict appears when both sides changed the same record and the strategy asks for a person.
                </EmptyState>
              )
            ) : (
              <ConflictGroups
                groups={groups}
                history={search.history}
                selection={canResolve ? { selected, toggle } : null}
              />
            )}
            {list.hasNextPage ? (
              <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                Show more
              </Button>
            ) : null}
          </>
        )}
      </TabNav>
    </>
  );
}
