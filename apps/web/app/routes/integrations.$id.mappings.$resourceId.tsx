import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { DataTable } from '../components/DataTable.tsx';
import { can } from '../components/roles.ts';
import { useUser } from '../components/user.ts';
import { DIRECTIONS, labelOf, typeInfo } from '../components/integrations/catalog.ts';
import { MappingEditor } from '../components/integrations/MappingEditor.tsx';
import { rowsFromMappings, TRANSFORM_OPTIONS, type MappingRow } from '../components/integrations/mapping-rows.ts';
import { useIntegration } from '../components/integrations/outlet.ts';
import { requireUser } from '../auth.server.ts';
import { notFound, orNotFound, settle, uuidParam } from '../integration-loaders.server.ts';
import { trpc } from '../trpc.ts';

export async function loader({ context, params }: LoaderFunctionArgs) {
  await requireUser(context);
  const integrationId = uuidParam(params.id, 'Integration');
  const resourceId = uuidParam(params.resourceId, 'Resource');
  const [resource, suggestions] = await Promise.all([
    orNotFound(context.trpc.resources.get({ id: resourceId }), 'Resource'),
    settle(context.trpc.resources.suggestMappings({ resourceId }), context.log, 'mapping suggestions'),
  ]);
  if (resource.integrationId !== integrationId) throw notFound('Resource');
  return { resource, suggestions, loadedAt: Date.now() };
}

/** One resource's field mappings: the editor for admins, a read-only list for everyone else. */
export default function ResourceMappingsPage() {
  const data = useLoaderData<typeof loader>();
  const integration = useIntegration();
  const user = useUser();
  const { resource } = data;
  const suggestions = trpc.resources.suggestMappings.useQuery(
    { resourceId: resource.id },
    { initialData: data.suggestions, initialDataUpdatedAt: data.loadedAt },
  );
  const info = typeInfo(integration.type);
  const toolLabel = info?.label ?? 'tool';
  return (
    <section className="panel" aria-labelledby="resource-title">
      <h2 id="resource-title">Field mappings: {resource.name}</h2>
      <p className="muted">
        <code>{resource.localTable}</code> ({resource.localKeyColumn}) ↔ {info?.externalObject.label ?? 'object'}{' '}
        <code>{resource.externalObject}</code>
        {resource.externalKeyField ? (
          <>
            {' '}
            keyed by <code>{resource.externalKeyField}</code>
          </>
        ) : null}{' '}
        · {labelOf(DIRECTIONS, resource.direction)}
      </p>
      {can(user?.role, 'ADMIN') ? (
        <MappingEditor key={resource.id} resource={resource} suggestions={suggestions.data} toolLabel={toolLabel} />
      ) : (
        <ReadOnlyMappings
          rows={rowsFromMappings(
            resource.fieldMappings,
            resource.direction === 'PULL' ? 'reverseTransform' : 'transform',
          )}
          toolLabel={toolLabel}
        />
      )}
    </section>
  );
}

function ReadOnlyMappings({ rows, toolLabel }: { rows: MappingRow[]; toolLabel: string }) {
  return (
    <DataTable
      caption={`${rows.length} mapped ${rows.length === 1 ? 'field' : 'fields'}`}
      rows={rows}
      rowKey={(row) => row.key}
      columns={[
        { header: `${toolLabel} field`, rowHeader: true, cell: (row) => row.external },
        { header: 'Postgres column', cell: (row) => row.local || '—' },
        {
          header: 'Direction',
          cell: (row) => ({ both: 'Both ways', push: 'Push only', pull: 'Pull only' })[row.direction],
        },
        {
          header: 'Transform',
          cell: (row) =>
            row.kind === 'jsonata' ? (
              <code>{row.expression}</code>
            ) : row.kind === 'constant' ? (
              `Fixed: ${row.constant}`
            ) : row.kind === 'function' ? (
              `${row.functionName}()`
            ) : (
              (TRANSFORM_OPTIONS.find((option) => option.value === row.kind)?.label ?? String(row.saved?.type ?? '—'))
            ),
        },
      ]}
    />
  );
}
