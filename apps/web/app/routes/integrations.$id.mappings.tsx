import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, Outlet, useLoaderData, useNavigate, useParams } from '@remix-run/react';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { can } from '../components/roles.ts';
import { useUser } from '../components/user.ts';
import { DIRECTIONS, labelOf, typeInfo } from '../components/integrations/catalog.ts';
import { useIntegration, type IntegrationOutletContext } from '../components/integrations/outlet.ts';
import { AddResourceForm } from '../components/integrations/ResourceForm.tsx';
import { requireUser } from '../auth.server.ts';
import { formatCount } from '../format.ts';
import { uuidParam } from '../integration-loaders.server.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const integrationId = uuidParam(params.id, 'Integration');
  return { integrationId, resources: await context.trpc.resources.list({ integrationId }), loadedAt: Date.now() };
}

type ResourceRow = RouterOutputs['resources']['list']['items'][number];

function mappedFields(resource: ResourceRow): number {
  return Array.isArray(resource.fieldMappings) ? resource.fieldMappings.length : 0;
}

/** The integration's resources (table ↔ object) and, below, the mapping editor of the chosen one. */
export default function IntegrationMappingsTab() {
  const data = useLoaderData<typeof loader>();
  const integration = useIntegration();
  const user = useUser();
  const navigate = useNavigate();
  const { resourceId } = useParams();
  const utils = trpc.useUtils();
  const resources = trpc.resources.list.useQuery(
    { integrationId: data.integrationId },
    { initialData: data.resources, initialDataUpdatedAt: data.loadedAt, refetchInterval: 30_000 },
  );
  const info = typeInfo(integration.type);
  const base = `/integrations/${data.integrationId}/mappings`;
  const columns: Column<ResourceRow>[] = [
    {
      header: 'Resource',
      rowHeader: true,
      cell: (resource) => (
        <>
          <Link
            to={`${base}/${resource.id}`}
            className="cell-title"
            aria-current={resource.id === resourceId ? 'page' : undefined}
            preventScrollReset
          >
            {resource.name}
          </Link>
          {resource.enabled ? null : <span className="cell-sub">Disabled</span>}
        </>
      ),
    },
    { header: 'Postgres table', cell: (resource) => <code>{resource.localTable}</code> },
    { header: info?.externalObject.label ?? 'Object', cell: (resource) => <code>{resource.externalObject}</code> },
    { header: 'Direction', cell: (resource) => labelOf(DIRECTIONS, resource.direction) },
    { header: 'Fields', className: 'num', cell: (resource) => formatCount(mappedFields(resource)) },
    {
      header: 'Records synced',
      className: 'num',
      cell: (resource) =>
        `${formatCount(resource.mappingCounts.SYNCED)} of ${formatCount(resource.mappingCounts.total)}`,
    },
    { header: 'Last sync', cell: (resource) => <RelativeTime date={resource.lastSyncAt} /> },
  ];
  const context: IntegrationOutletContext = { integration };
  const items = resources.data.items;
  return (
    <>
      <section aria-labelledby="resources-title">
        <h2 id="resources-title">Resources</h2>
        {resources.isError ? <ErrorState title="Could not refresh the resources" /> : null}
        {items.length === 0 ? (
          <EmptyState title="Nothing synced yet" level={3}>
            A resource pairs one Postgres table with one {info?.externalObject.label.toLowerCase() ?? 'object'} in{' '}
            {info?.label ?? 'the tool'}.
          </EmptyState>
        ) : (
          <DataTable
            caption={`${items.length} ${items.length === 1 ? 'resource' : 'resources'}: choose one to edit its fields`}
            columns={columns}
            rows={items}
            rowKey={(resource) => resource.id}
          />
        )}
        {can(user?.role, 'ADMIN') ? (
          <details className="disclosure" open={items.length === 0}>
            <summary>Add a resource</summary>
            <AddResourceForm
              integrationId={data.integrationId}
              info={info}
              direction={integration.direction}
              onCreated={async (resource) => {
                await utils.resources.list.invalidate({ integrationId: data.integrationId });
                navigate(`${base}/${resource.id}`, { preventScrollReset: true });
              }}
            />
          </details>
        ) : null}
      </section>
      <Outlet context={context} />
    </>
  );
}
