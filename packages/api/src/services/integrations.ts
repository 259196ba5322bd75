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
import { AppError, type KeyRing, type OutboundPolicy } from '@syncbridge/engine';
import { recordAudit, type Actor } from './audit.ts';
import {
  assertBaseUrlAllowed,
  connectionFailure,
  testDraftConnection,
  testStoredConnection,
  type ConnectionCheck,
  type ConnectionDraft,
  type ConnectionTestDeps,
} from './connection-test.ts';
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
  /** Test the connection first (as integrations.testConnection does) and save nothing if it fails. */
  testConnection?: boolean;
}

export interface IntegrationChanges {
  /** Already trimmed (the router's zod schema); must not be another integration's name. */
  name?: string;
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
  db: Pick<Database, 'prisma' | 'pool'> & { outbound?: OutboundPolicy | null },
  keyRing: KeyRing | null,
  actor: Actor,
  input: NewIntegration,
): Promise<{ integration: IntegrationSummaryRow; webhookSecret: string; connection: ConnectionCheck | null }> {
  const ring = requireKeyRing(keyRing);
  // Internal addresses are refused before anything is stored or tested (SSRF).
  await assertBaseUrlAllowed(db.outbound, input.baseUrl);
  await assertNameFree(db.prisma, input.name); // before a connection test that may take seconds
  const connection = input.testConnection ? await testDraftConnection(db, input) : null;
  if (connection && !connection.ok) throw connectionFailure(connection);
  const webhookSecret = generateWebhookSecret();
  const sealedSecret = ring.encrypt(webhookSecret);
  const sealedCredentials = input.credentials ? ring.encrypt(JSON.stringify(input.credentials)) : null;
  const integration = await db.prisma.$transaction(async (tx) => {
    await assertNameFree(tx, input.name); // again: another admin may have taken it meanwhile
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
      after: {
        ...created,
        settings: input.settings ?? {},
        stored: storedSecrets(!!sealedCredentials, true),
        ...(connection ? { connectionTest: { status: connection.status, latencyMs: connection.latencyMs } } : {}),
      },
    });
    return created;
  });
  return { integration, webhookSecret, connection };
}

/**
 * Tests a stored integration (`{ id }`) or the wizard's unsaved draft with the connector the engine
 * would use. Audited (who tested what, and the outcome); credentials appear nowhere in either.
 */
export async function testIntegrationConnection(
  deps: ConnectionTestDeps,
  actor: Actor,
  target: { id: string } | ConnectionDraft,
): Promise<ConnectionCheck> {
  let check: ConnectionCheck;
  let entity: { id: string | null; type: IntegrationType; baseUrl: string | null };
  if ('id' in target) {
    const tested = await testStoredConnection(deps, target.id);
    check = tested.check;
    entity = { id: tested.integration.id, type: tested.integration.type, baseUrl: tested.integration.baseUrl };
  } else {
    check = await testDraftConnection(deps, target);
    entity = { id: null, type: target.type, baseUrl: target.baseUrl ?? null };
  }
  await recordAudit(deps.prisma, actor, {
    action: 'integration.test_connection',
    entityType: 'integration',
    entityId: entity.id,
    after: { draft: entity.id === null, type: entity.type, baseUrl: entity.baseUrl, ...check },
  });
  return check;
}

/**
 * Replaces the webhook signing secret with a new random one (sealed with the key ring, as on
 * create) and returns it once; deliveries signed with the old secret are refused from now on.
 */
export async function rotateWebhookSecret(
  db: Db,
  keyRing: KeyRing | null,
  actor: Actor,
  id: string,
): Promise<{ integration: IntegrationSummaryRow; webhookSecret: string }> {
  const ring = requireKeyRing(keyRing);
  const webhookSecret = generateWebhookSecret();
  const sealed = ring.encrypt(webhookSecret);
  const integration = await db.prisma.$transaction(async (tx) => {
    const before = await tx.integration.findUnique({
      where: { id },
      select: { ...integrationSummarySelect, webhookSecretEnc: true },
    });
    if (!before) throw new AppError('NOT_FOUND', 'Integration not found.');
    if (before.type === 'ASANA') {
      // Asana chooses the secret in its handshake (X-Hook-Secret); one we made up would never match.
      throw new AppError(
        'PRECONDITION_FAILED',
        'Asana sets the webhook secret itself when the webhook is registered; register the webhook again instead.',
      );
    }
    const after = await tx.integration.update({
      where: { id },
      data: { webhookSecretEnc: sealed.ciphertext, webhookSecretKeyId: sealed.keyId },
      select: integrationSummarySelect,
    });
    await recordAudit(tx, actor, {
      action: 'integration.rotate_webhook_secret',
      entityType: 'integration',
      entityId: id,
      before: { stored: storedSecrets(false, before.webhookSecretEnc !== null) },
      after: { replaced: storedSecrets(false, true) },
    });
    return after;
  });
  return { integration, webhookSecret };
}

/** Names (never values) of the secrets an integration has stored, for the audit trail. */
function storedSecrets(credentials: boolean, webhook: boolean): string[] {
  return [...(credentials ? ['credentials'] : []), ...(webhook ? ['webhook signing key'] : [])];
}

/**
 * CONFLICT when another integration already has this name (ignoring case): the dashboard, logs and
 * alerts tell integrations apart by name. Checked by create and rename inside their transaction;
 * there is no database constraint (integrations made before the check, or straight in the database
 * by a seed, may share a name and keep it).
 */
async function assertNameFree(tx: Pick<Db['prisma'], 'integration'>, name: string, exceptId?: string): Promise<void> {
  const taken = await tx.integration.findFirst({
    where: { name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (taken) throw new AppError('CONFLICT', 'Another integration already has this name.');
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
    if (changes.name !== undefined && changes.name !== before.name) await assertNameFree(tx, changes.name, id);
    const after = await tx.integration.update({
      where: { id },
      data: {
        name: changes.name,
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
