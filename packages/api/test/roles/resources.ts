// Resources and mappings, plus the integration procedures that go with the add-integration wizard.
import { randomUUID } from 'node:crypto';
import type { RoleCases } from './cases.ts';

const cases: RoleCases = ({ db, integrationId, resourceId }) => {
  // Discovery needs a connector that answers without a network: an in-database resource whose
  // "external" object is another local table. Made once, on first use.
  let inDatabaseResource: Promise<string> | null = null;
  const discoverable = () =>
    (inDatabaseResource ??= (async () => {
      const integration = await db.prisma.integration.create({ data: { name: 'CRM → calendar', type: 'IN_DATABASE' } });
      const resource = await db.prisma.syncResource.create({
        data: {
          integrationId: integration.id,
          name: 'interactions',
          resourceType: 'INTERACTION',
          localTable: 'interaction',
          localKeyColumn: 'interaction_id',
          externalObject: 'calendar_events',
          options: {
            connector: {
              table: 'calendar_events',
              idColumn: 'event_id',
              conflictColumns: ['related_table', 'related_id'],
            },
          },
        },
      });
      return resource.id;
    })());

  return [
    { path: 'resources.list', minimum: 'VIEWER', call: (c) => c.resources.list({ integrationId }) },
    { path: 'resources.get', minimum: 'VIEWER', call: (c) => c.resources.get({ id: resourceId }) },
    {
      path: 'resources.suggestMappings',
      minimum: 'VIEWER',
      call: (c) => c.resources.suggestMappings({ resourceId }),
    },
    {
      path: 'resources.previewMapping',
      minimum: 'VIEWER',
      call: (c) =>
        c.resources.previewMapping({
          resourceId,
          sample: { title: 'x' },
          mapping: [{ local: 'title', external: 'Title' }],
        }),
    },
    {
      path: 'resources.discoverFields',
      minimum: 'STAFF',
      call: async (c) => c.resources.discoverFields({ resourceId: await discoverable() }),
    },
    {
      path: 'resources.create',
      minimum: 'ADMIN',
      call: (c) =>
        c.resources.create({
          integrationId,
          name: `tasks-${randomUUID()}`,
          resourceType: 'TASK',
          localTable: 'tasks',
          localKeyColumn: 'id',
          externalObject: 'sheet-2',
          fieldMappings: [{ local: 'title', external: 'Title' }],
        }),
    },
    {
      path: 'resources.update',
      minimum: 'ADMIN',
      call: (c) => c.resources.update({ id: resourceId, resourceType: 'TASK' }),
    },
    {
      path: 'integrations.testConnection',
      minimum: 'ADMIN',
      // Port 1 on the loopback: refused at once, so the test answers "unreachable" without a network.
      call: (c) =>
        c.integrations.testConnection({
          type: 'GENERIC_REST',
          baseUrl: 'http://127.0.0.1:1',
          credentials: { token: 't' },
        }),
    },
    {
      path: 'integrations.rotateWebhookSecret',
      minimum: 'ADMIN',
      call: (c) => c.integrations.rotateWebhookSecret({ id: integrationId }),
    },
  ];
};

export default cases;
