import { createRestConnector, type Connector } from '@syncbridge/connectors';
import { createRestSandbox, type RestSandbox, type RestSandboxOptions, type SandboxServer, type StoredRecord } from '@syncbridge/connectors/sandboxes';
import type { ConflictStrategy, Database, Prisma, SyncDirection } from '@syncbridge/db';
import type { EngineContext } from '../src/context.ts';
import { saveResource } from '../src/resources.ts';
import { restTaskMappings } from '../src/presets/rest-tasks.ts';
import { engineContext } from './support.ts';

export const TOKEN = 'engine-test-token';

export interface RestWorld {
  ctx: EngineContext;
  sandbox: RestSandbox;
  server: SandboxServer;
  connector: Connector;
  integrationId: string;
  resourceId: string;
  close(): Promise<void>;
}

export async function restWorld(
  db: Database,
  options: { direction?: SyncDirection; strategy?: ConflictStrategy; sandbox?: RestSandboxOptions; connector?: { requestsPerWindow?: number; windowMs?: number; maxBatchSize?: number }; customMergeRules?: Prisma.InputJsonValue } = {},
): Promise<RestWorld> {
  const sandbox = createRestSandbox({ token: TOKEN, ...options.sandbox });
  const server = await sandbox.start();
  const connector = createRestConnector({ baseUrl: server.url, token: TOKEN, timeoutMs: 5000, ...options.connector });
  const ctx = engineContext(db, { connectorFor: (integration) => (integration.type === 'GENERIC_REST' ? connector : undefined!) });
  const integration = await db.prisma.integration.create({
    data: {
      name: 'Tasks ↔ REST',
      type: 'GENERIC_REST',
      baseUrl: server.url,
      direction: options.direction ?? 'BIDIRECTIONAL',
      conflictStrategy: options.strategy ?? 'LATEST_WINS',
    },
  });
  const resource = await saveResource(ctx, {
    integrationId: integration.id,
    name: 'tasks',
    resourceType: 'TASK',
    localTable: 'tasks',
    localKeyColumn: 'id',
    externalObject: 'tasks',
    externalKeyField: 'internal_id',
    direction: options.direction ?? 'BIDIRECTIONAL',
    deletePolicy: 'DELETE',
    fieldMappings: restTaskMappings,
    customMergeRules: options.customMergeRules,
    options: { updatedAtColumn: 'updated_at' },
  });
  return { ctx, sandbox, server, connector, integrationId: integration.id, resourceId: resource.id, close: () => server.close() };
}

export function externalRecords(sandbox: RestSandbox, collection = 'tasks') {
  const all: StoredRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = sandbox.store.list(collection, { limit: 500, cursor });
    all.push(...page.records);
    cursor = page.next_cursor;
  } while (cursor);
  return all.filter((r) => !r.deleted);
}

export function externalByKey(sandbox: RestSandbox, collection = 'tasks') {
  return new Map(externalRecords(sandbox, collection).map((r) => [r.key, r]));
}
