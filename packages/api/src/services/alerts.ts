// Alerts and health for the admin app: alerts newest first with a keyset cursor, acknowledging one
// (with an audit event), and the engine's health scores and history. The engine raises and
// notifies alerts (worker health check); nothing here sends anything.
import type { AlertSeverity, AlertStatus, Database, Prisma } from '@syncbridge/db';
import {
  AppError,
  loadHealth,
  loadHealthHistory,
  type HealthHistory,
  type IntegrationHealth,
} from '@syncbridge/engine';
import { recordAudit, withoutSecrets, type Actor } from './audit.ts';
import { afterPosition, decodeCursor, encodeCursor, NEWEST_FIRST } from './keyset-cursor.ts';

type Db = Pick<Database, 'prisma' | 'pool'>;

export const alertSelect = {
  id: true,
  integrationId: true,
  rule: true,
  severity: true,
  status: true,
  title: true,
  message: true,
  details: true,
  acknowledgedAt: true,
  createdAt: true,
  integration: { select: { name: true } },
  acknowledgedBy: { select: { id: true, email: true, name: true } },
} as const satisfies Prisma.AlertSelect;

type AlertRow = Prisma.AlertGetPayload<{ select: typeof alertSelect }>;

export type AlertItem = Omit<AlertRow, 'integration' | 'details'> & {
  integrationName: string | null;
  details: unknown;
};

function toItem({ integration, details, ...row }: AlertRow): AlertItem {
  // Details are written by the engine; secret-looking keys are dropped again on the way out.
  return { ...row, integrationName: integration?.name ?? null, details: withoutSecrets(details) ?? null };
}

export interface AlertFilter {
  status?: AlertStatus;
  severity?: AlertSeverity;
  integrationId?: string;
  limit: number;
  cursor?: string | null;
}

export async function listAlerts(
  db: Pick<Db, 'prisma'>,
  filter: AlertFilter,
): Promise<{ items: AlertItem[]; nextCursor: string | null }> {
  const where: Prisma.AlertWhereInput = {
    status: filter.status,
    severity: filter.severity,
    integrationId: filter.integrationId,
    ...(filter.cursor ? afterPosition(decodeCursor(filter.cursor)) : {}),
  };
  // One more than asked for says whether there is a next page.
  const rows = await db.prisma.alert.findMany({
    where,
    select: alertSelect,
    orderBy: NEWEST_FIRST,
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null,
  };
}

/**
 * OPEN → ACKNOWLEDGED with who and when, and an audit event. Acknowledging an acknowledged alert
 * changes nothing (two admins clicking at once both succeed); a resolved one is a CONFLICT.
 */
export async function acknowledgeAlert(db: Pick<Db, 'prisma'>, actor: Actor, id: string): Promise<AlertItem> {
  const item = await db.prisma.$transaction(async (tx) => {
    const current = await tx.alert.findUnique({ where: { id }, select: { status: true } });
    if (!current) throw new AppError('NOT_FOUND', 'Alert not found.');
    if (current.status === 'RESOLVED') throw new AppError('CONFLICT', 'This alert is already resolved.');
    // Conditional on OPEN, so a concurrent acknowledgement is not overwritten (nor audited twice).
    const { count } = await tx.alert.updateMany({
      where: { id, status: 'OPEN' },
      data: { status: 'ACKNOWLEDGED', acknowledgedAt: new Date(), acknowledgedById: actor.userId },
    });
    const after = await tx.alert.findUniqueOrThrow({ where: { id }, select: alertSelect });
    if (count === 1) {
      await recordAudit(tx, actor, {
        action: 'alert.acknowledge',
        entityType: 'alert',
        entityId: id,
        before: { status: 'OPEN' },
        after: { status: after.status, acknowledgedAt: after.acknowledgedAt, rule: after.rule },
      });
    }
    return after;
  });
  return toItem(item);
}

/** Health per integration (or one, NOT_FOUND when unknown) over the last `windowHours`. */
export async function integrationHealth(
  db: Pick<Db, 'pool'>,
  options: { integrationId?: string; windowHours?: number } = {},
): Promise<IntegrationHealth[]> {
  return loadHealth(
    { pool: db.pool },
    { integrationId: options.integrationId, windowMs: (options.windowHours ?? 24) * 3_600_000 },
  );
}

export async function integrationHealthHistory(
  db: Pick<Db, 'pool'>,
  integrationId: string,
  options: { hours?: number; bucketMinutes?: number } = {},
): Promise<HealthHistory> {
  return loadHealthHistory({ pool: db.pool }, integrationId, options);
}
