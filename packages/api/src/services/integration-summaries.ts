import type { Database, IntegrationStatus, IntegrationType, Prisma } from '@syncbridge/db';
import { loadHealth } from '@syncbridge/engine';

type PrismaLike = Pick<Database['prisma'], 'integration'>;

/**
 * The columns an integration summary may show. Selecting them (rather than omitting secrets)
 * means a secret column added later stays out until someone lists it here on purpose.
 */
export const integrationSummarySelect = {
  id: true,
  name: true,
  type: true,
  status: true,
  baseUrl: true,
  authType: true,
  direction: true,
  frequency: true,
  conflictStrategy: true,
  pollingEnabled: true,
  consecutiveFailures: true,
  lastSyncAt: true,
  lastSuccessAt: true,
  lastErrorAt: true,
  lastErrorMessage: true,
  nextSyncAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.IntegrationSelect;

export type IntegrationSummaryRow = Prisma.IntegrationGetPayload<{ select: typeof integrationSummarySelect }>;

export interface IntegrationFilter {
  status?: IntegrationStatus;
  type?: IntegrationType;
}

/** Integrations without any secret field, by name; the worker and CLIs may call this too. */
export async function listIntegrationSummaries(
  prisma: PrismaLike,
  filter: IntegrationFilter = {},
): Promise<IntegrationSummaryRow[]> {
  return prisma.integration.findMany({
    where: { status: filter.status, type: filter.type },
    select: integrationSummarySelect,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

export type IntegrationListItem = IntegrationSummaryRow & {
  /** 0–100 over the last 24 hours (see alerts.health for its parts); null if it could not be computed. */
  healthScore: number | null;
};

/** The summaries of integrations.list, each with its current health score. */
export async function listIntegrationSummariesWithHealth(
  db: Pick<Database, 'prisma' | 'pool'>,
  filter: IntegrationFilter = {},
): Promise<IntegrationListItem[]> {
  const rows = await listIntegrationSummaries(db.prisma, filter);
  if (rows.length === 0) return [];
  const health = await loadHealth({ pool: db.pool }, { integrationIds: rows.map((r) => r.id) });
  const scores = new Map(health.map((h) => [h.integrationId, h.score]));
  return rows.map((row) => ({ ...row, healthScore: scores.get(row.id) ?? null }));
}
