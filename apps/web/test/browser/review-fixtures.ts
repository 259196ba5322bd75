// Real conflicts for the review-page browser tests: a two-way REST tasks resource under
// MANUAL_REVIEW against the REST sandbox over HTTP (or one-way, for the jobs tests). A task is adopted from the sandbox, edited on
// both sides, and pulled again; the engine then records the conflict exactly as in production.
import {
  createRestSandbox,
  type FieldValidator,
  type RestSandbox,
  type SandboxServer,
} from '@syncbridge/connectors/sandboxes';
import type { SyncDirection } from '@syncbridge/db';
import type { TestDatabase } from '@syncbridge/db/testing';
import {
  createConnectorProvider,
  pullResource,
  restTasksResource,
  saveResource,
  unlimited,
  type EngineContext,
  type KeyRing,
} from '@syncbridge/engine';
import { silentLogger } from '../helpers.ts';

export const REST_TOKEN = 'review-rest-token';

export interface TaskFields {
  title: string;
  notes?: string | null;
  status?: string;
  done?: boolean;
  due?: string | null;
}

export interface RestTasksFixture {
  sandbox: RestSandbox;
  server: SandboxServer;
  /** The engine as the worker runs it (connectors from the registry, credentials decrypted). */
  engine: EngineContext;
  integrationId: string;
  resourceId: string;
  /**
   * A pending conflict: `base` is adopted from the sandbox, then the local row gets `local` and the
   * sandbox record gets `external` (both merged over the base), and a pull detects the conflict.
   */
  makeConflict(
    base: TaskFields,
    local: Partial<{ title: string; description: string | null; status: string }>,
    external: Partial<TaskFields>,
  ): Promise<{ conflictId: string; taskId: string; externalId: string }>;
  close(): Promise<void>;
}

export async function startRestTasks(
  db: TestDatabase,
  keyRing: KeyRing,
  options: { name?: string; direction?: SyncDirection; validate?: FieldValidator } = {},
): Promise<RestTasksFixture> {
  const sandbox = createRestSandbox({ token: REST_TOKEN, validate: options.validate });
  const server = await sandbox.start();
  const engine: EngineContext = {
    pool: db.pool,
    prisma: db.prisma,
    logger: silentLogger,
    connectors: createConnectorProvider({ pool: db.pool, keyRing }),
    limiter: unlimited,
  };
  const sealed = keyRing.encrypt(JSON.stringify({ token: REST_TOKEN }));
  const integration = await db.prisma.integration.create({
    data: {
      name: options.name ?? 'Tasks ↔ REST',
      type: 'GENERIC_REST',
      baseUrl: server.url,
      direction: options.direction ?? 'BIDIRECTIONAL',
      conflictStrategy: 'MANUAL_REVIEW',
      credentialsEnc: sealed.ciphertext,
      credentialsKeyId: sealed.keyId,
    },
  });
  const resource = await saveResource(engine, {
    ...restTasksResource(integration.id),
    direction: options.direction ?? 'BIDIRECTIONAL',
  });

  return {
    sandbox,
    server,
    engine,
    integrationId: integration.id,
    resourceId: resource.id,
    async makeConflict(base, local, external) {
      const created = sandbox.store.create('tasks', {
        fields: { notes: null, status: 'todo', done: false, due: null, ...base },
      });
      const adopted = await pullResource(engine, resource.id, { full: true });
      if (adopted.added !== 1) throw new Error(`expected to adopt 1 task, got ${JSON.stringify(adopted)}`);
      const mapping = await db.prisma.integrationMapping.findFirstOrThrow({
        where: { resourceId: resource.id, externalId: created.id },
      });
      await db.prisma.tasks.update({ where: { id: mapping.internalId }, data: local });
      sandbox.store.update('tasks', created.id, { fields: external });
      const pulled = await pullResource(engine, resource.id, { full: true });
      if (pulled.conflicts !== 1) throw new Error(`expected 1 conflict, got ${JSON.stringify(pulled)}`);
      const conflict = await db.prisma.conflictResolution.findFirstOrThrow({
        where: { resourceId: resource.id, internalId: mapping.internalId, status: 'PENDING' },
      });
      return { conflictId: conflict.id, taskId: mapping.internalId, externalId: created.id };
    },
    async close() {
      await server.close();
    },
  };
}
