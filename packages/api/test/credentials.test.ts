// Credentials are write-only: stored encrypted, never returned by a procedure, never logged,
// never in an audit row or an error message.
import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { decryptCredentials } from '@syncbridge/engine';
import type { SessionUser } from '../src/index.ts';
import { callerFor, capturingLogger, createRoleUsers, fakeSender, keyRingWith } from './helpers.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');
const TOKEN = 'sk_live_token-that-must-stay-secret';
const NEW_TOKEN = 'sk_live_replacement-token-also-secret';
let users: Record<UserRole, SessionUser>;

beforeAll(async () => {
  users = await createRoleUsers(db);
});

describe('integration credentials', () => {
  it('are encrypted at rest and appear in no output, log line or audit row', async () => {
    const { logger, lines } = capturingLogger();
    const admin = callerFor(db, users.ADMIN, { keyRing: ring, sendJob: fakeSender(), logger });
    const outputs: unknown[] = [];

    const created = await admin.integrations.create({
      name: 'REST tasks',
      type: 'GENERIC_REST',
      baseUrl: 'https://api.example.com',
      authType: 'BEARER_TOKEN',
      credentials: { token: TOKEN },
      settings: { requestsPerWindow: 10 },
    });
    const { webhookSecret, integration } = created;
    outputs.push(integration);
    expect(webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    for (const field of ['credentialsEnc', 'credentialsKeyId', 'webhookSecretEnc', 'webhookSecretKeyId']) {
      expect(integration).not.toHaveProperty(field);
    }

    const stored = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(stored.credentialsEnc).not.toContain(TOKEN);
    expect(stored.credentialsKeyId).toBe('k1');
    expect(decryptCredentials(stored, ring)).toEqual({ token: TOKEN });
    expect(ring.decrypt(stored.webhookSecretKeyId!, stored.webhookSecretEnc!)).toBe(webhookSecret);

    outputs.push(await admin.integrations.get({ id: integration.id }));
    outputs.push(await admin.integrations.list());
    outputs.push(
      await admin.integrations.update({ id: integration.id, credentials: { token: NEW_TOKEN }, status: 'PAUSED' }),
    );
    outputs.push(await admin.syncs.trigger({ integrationId: integration.id }));
    outputs.push(await admin.users.list());
    outputs.push(await admin.auth.me());
    const replaced = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(decryptCredentials(replaced, ring)).toEqual({ token: NEW_TOKEN });
    expect(replaced.webhookSecretEnc).toBe(stored.webhookSecretEnc);

    // Without a key ring nothing is stored, and the refusal does not echo the credentials.
    const noKeys = callerFor(db, users.ADMIN, { logger });
    const refusal = await noKeys.integrations
      .update({ id: integration.id, credentials: { token: NEW_TOKEN } })
      .catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(String((refusal as Error).message)).not.toContain(NEW_TOKEN);
    // Bad input elsewhere in the object: the validation error names fields, not values.
    const invalid = await admin.integrations
      .create({ name: '', type: 'GENERIC_REST', credentials: { token: TOKEN } })
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify(invalid) + String((invalid as Error).message)).not.toContain(TOKEN);

    outputs.push(await admin.integrations.delete({ id: integration.id }));

    const everything = JSON.stringify(outputs);
    const audit = JSON.stringify(await db.prisma.auditEvent.findMany());
    for (const secret of [TOKEN, NEW_TOKEN, webhookSecret, stored.credentialsEnc!, stored.webhookSecretEnc!]) {
      expect(everything).not.toContain(secret);
      expect(audit).not.toContain(secret);
      for (const line of lines) expect(line).not.toContain(secret);
    }
  });

  it('every mutation leaves an audit row naming who, what and when, without secrets', async () => {
    const admin = callerFor(db, users.ADMIN, { keyRing: ring });
    const { integration } = await admin.integrations.create({
      name: 'Audited',
      type: 'ASANA',
      credentials: { token: TOKEN },
    });
    await admin.integrations.update({ id: integration.id, frequency: 'DAILY' });
    await admin.users.create({ email: 'new@example.com', role: 'STAFF', password: 'another long password' });
    const rows = await db.prisma.auditEvent.findMany({
      where: { actorId: users.ADMIN.id, action: { in: ['integration.create', 'integration.update', 'user.create'] } },
      orderBy: { createdAt: 'asc' },
    });
    const byAction = Object.fromEntries(rows.map((row) => [`${row.action}:${row.entityId}`, row]));
    const update = byAction[`integration.update:${integration.id}`];
    expect(update).toMatchObject({ entityType: 'integration', ip: '203.0.113.7' });
    expect(update?.before).toMatchObject({ frequency: 'REALTIME', name: 'Audited' });
    expect(update?.after).toMatchObject({ frequency: 'DAILY', replaced: [] });
    expect(update?.createdAt).toBeInstanceOf(Date);
    expect(byAction[`integration.create:${integration.id}`]?.after).toMatchObject({
      stored: ['credentials', 'webhook signing key'],
    });
    const userRow = rows.find((row) => row.action === 'user.create');
    expect(userRow?.after).toMatchObject({ email: 'new@example.com', role: 'STAFF' });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('another long password');
    expect(text).not.toMatch(/scrypt\$/);
  });
});
