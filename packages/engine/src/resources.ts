// Saving resources: validated against the live schema, and a push resource gets its table's
// change-capture triggers installed (idempotently) in the same call.
import type { Prisma, SyncResource } from '@syncbridge/db';
import { ensureChangeCapture } from './capture.ts';
import type { EngineContext } from './context.ts';
import { AppError } from './errors.ts';
import { validateResource } from './resource-config.ts';

export type ResourceInput = Omit<Prisma.SyncResourceUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt'>;

export async function saveResource(ctx: EngineContext, input: ResourceInput, id?: string): Promise<SyncResource> {
  const integration = await ctx.prisma.integration.findUnique({ where: { id: input.integrationId } });
  if (!integration) throw new AppError('NOT_FOUND', `Integration ${input.integrationId} not found.`);
  const draft = {
    id: id ?? '00000000-0000-0000-0000-000000000000',
    localSchema: 'public',
    externalKeyField: null,
    direction: 'PUSH',
    frequency: null,
    conflictStrategy: null,
    deletePolicy: 'IGNORE',
    fieldMappings: [],
    syncConditions: null,
    customMergeRules: null,
    options: {},
    enabled: true,
    cursor: null,
    cursorUpdatedAt: null,
    lastSyncAt: null,
    discoveredFields: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...input,
  } as SyncResource;
  await validateResource(ctx, draft, integration); // throws VALIDATION / NOT_FOUND naming the problem
  const data = input as Prisma.SyncResourceUncheckedCreateInput;
  const saved = id
    ? await ctx.prisma.syncResource.update({ where: { id }, data })
    : await ctx.prisma.syncResource.create({ data });
  if (saved.direction !== 'PULL') await ensureChangeCapture(ctx.pool, saved.localSchema, saved.localTable);
  return saved;
}
