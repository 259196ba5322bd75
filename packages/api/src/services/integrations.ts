// Creating, changing and removing integrations. Credentials and the webhook secret are encrypted
// with the key ring before they touch the database and are never read back here: callers get the
// webhook secret once, at creation, and credentials never.
import { randomBytes } from 'node:crypto';
import type {
  AuthType,
  ConflictStrategy,
  Database,
  IntegrationType,
  Prisma,
  SyncDirection,
  SyncFrequency,
} from '@syncbridge/db';
import { AppError, type KeyRing } from '@syncbridge/engine';
import { recordAudit, type Actor } from './audit.ts';
import { integrationSummarySelect, type IntegrationSummaryRow } from './integration-summaries.ts';

type Db = Pick<Database, 'prisma'>;

export interface NewIntegration {
  name: string;
  type: IntegrationType;
  baseUrl?: string | null;
  authType?: AuthType;
  direction?: SyncDirection;
  frequency?: SyncFrequency;
  conflictStrategy?: ConflictStrategy;
  settings?: Record<string, unknown>;
  credentials?: Record<string, unknown> | null;
}

export interface IntegrationChanges {
  status?: 'ACTIVE' | 'PAUSED';
  frequency?: SyncFrequency;
  conflictStrategy?: ConflictStrategy;
  /** Replaces the stored credentials entirely. */
  credentials?: Record<string, unknown>;
}

function requireKeyRing(keyRing: KeyRing | null): KeyRing {
  if (!keyRing) {
    throw new AppError(
      'PRECONDITION_FAILED',
      'No encryption key is configured (ENCRYPTION_KEYS), so secrets cannot be stored.',
    );
  }
  return keyRing;
}

/** A Standard Webhooks style secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export async function getIntegrationSummary(db: Db, id: string): Promise<IntegrationSummaryRow> {
  const integration = await db.prisma.integration.findUnique({ where: { id }, select: integrationSummarySelect });
  if (!integration) throw new AppError('NOT_FOUND', 'Integration not found.');
  return integration;
}

export async function createIntegration(
  db: Db,
  keyRing: KeyRing | null,
  actor: Actor,
  input: NewIntegration,
): Promise<{ integration: IntegrationSummaryRow; webhookSecret: string }> {
  const ring = requireKeyRing(keyRing);
  const webhookSecret = generateWebhookSecret();
  const sealedSecret = ring.encrypt(webhookSecret);
  const sealedCredentials = input.credentials ? ring.encrypt(JSON.stringify(input.credentials)) : null;
  const integration = await db.prisma.$transaction(async (tx) => {
    const created = await tx.integration.create({
      data: {
        name: input.name,
        type: input.type,
        baseUrl: input.baseUrl ?? null,
        authType: input.authType,
        direction: input.direction,
        frequency: input.frequency,
        conflictStrategy: input.conflictStrategy,
        settings: (input.settings ?? {}) as Prisma.InputJsonValue,
        credentialsEnc: sealedCredentials?.ciphertext ?? null,
        credentialsKeyId: sealedCredentials?.keyId ?? null,
        webhookSecretEnc: sealedSecret.ciphertext,
        webhookSecretKeyId: sealedSecret.keyId,
      },
      select: integrationSummarySelect,
    });
    await recordAudit(tx, actor, {
      action: 'integration.create',
      entityType: 'integration',
      entityId: created.id,
      after: { ...created, settings: input.settings ?? {}, stored: storedSecrets(!!sealedCredentials, true) },
    });
    return created;
  });
  return { integration, webhookSecret };
}

/** Names (never values) of the secrets an integration has stored, for the audit trail. */
function storedSecrets(credentials: boolean, webhook: boolean): string[] {
  return [...(credentials ? ['credentials'] : []), ...(webhook ? ['webhook signing key'] : [])];
}

export async function updateIntegration(
  db: Db,
  keyRing: KeyRing | null,
  actor: Actor,
  id: string,
  changes: IntegrationChanges,
): Promise<IntegrationSummaryRow> {
  const sealed = changes.credentials ? requireKeyRing(keyRing).encrypt(JSON.stringify(changes.credentials)) : null;
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.integration.findUnique({ where: { id }, select: integrationSummarySelect });
    if (!before) throw new AppError('NOT_FOUND', 'Integration not found.');
    const after = await tx.integration.update({
      where: { id },
      data: {
        status: changes.status,
        frequency: changes.frequency,
        conflictStrategy: changes.conflictStrategy,
        // Resuming starts with a clean slate, so the next failure does not trip the breaker at once.
        ...(changes.status === 'ACTIVE' && before.status !== 'ACTIVE' ? { consecutiveFailures: 0 } : {}),
        ...(sealed ? { credentialsEnc: sealed.ciphertext, credentialsKeyId: sealed.keyId } : {}),
      },
      select: integrationSummarySelect,
    });
    await recordAudit(tx, actor, {
      action: 'integration.update',
      entityType: 'integration',
      entityId: id,
      before,
      after: { ...after, replaced: sealed ? ['credentials'] : [] },
    });
    return after;
  });
}

export interface RemovedCounts {
  resources: number;
  mappings: number;
  syncLogs: number;
  conflicts: number;
}

/** Deletes an integration and (by cascade) everything recorded about it; says how much went. */
export async function deleteIntegration(db: Db, actor: Actor, id: string): Promise<RemovedCounts> {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.integration.findUnique({ where: { id }, select: integrationSummarySelect });
    if (!before) throw new AppError('NOT_FOUND', 'Integration not found.');
    const where = { integrationId: id };
    const removed: RemovedCounts = {
      resources: await tx.syncResource.count({ where }),
      mappings: await tx.integrationMapping.count({ where }),
      syncLogs: await tx.syncLog.count({ where }),
      conflicts: await tx.conflictResolution.count({ where }),
    };
    await tx.integration.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: 'integration.delete',
      entityType: 'integration',
      entityId: id,
      before,
      after: { removed },
    });
    return removed;
  });
}
