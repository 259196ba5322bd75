// Key rotation: secrets encrypted under key A, B becomes primary, re-encrypt, A removed.
import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createKeyRing, decryptCredentials, parseKeyRing } from '@syncbridge/engine';
import { reencryptSecrets, type SessionUser } from '../src/index.ts';
import { callerFor, createRoleUsers } from './helpers.ts';

const db = useTestDatabase();
const TOKEN = 'sk_live_token-that-must-stay-secret';
let users: Record<UserRole, SessionUser>;

beforeAll(async () => {
  users = await createRoleUsers(db);
});

describe('key rotation', () => {
  it('re-encrypts everything under the new primary; the old key can then go', async () => {
    const keyA = Buffer.alloc(32, 1);
    const keyB = Buffer.alloc(32, 2);
    const onlyA = createKeyRing(new Map([['a', keyA]]), 'a');
    const admin = callerFor(db, users.ADMIN, { keyRing: onlyA });
    const created = [];
    for (const name of ['One', 'Two']) {
      created.push(
        await admin.integrations.create({ name, type: 'GENERIC_REST', credentials: { token: `${name}-${TOKEN}` } }),
      );
    }
    // One integration without credentials (only a webhook secret).
    created.push(await admin.integrations.create({ name: 'Three', type: 'ASANA' }));

    const bothBPrimary = parseKeyRing(`b:${keyB.toString('base64')},a:${keyA.toString('base64')}`);
    expect(bothBPrimary.primaryId).toBe('b');
    const first = await reencryptSecrets(db, bothBPrimary);
    expect(first).toEqual({ primaryKeyId: 'b', credentials: 2, webhookSecrets: 3 });
    expect(await reencryptSecrets(db, bothBPrimary)).toEqual({ primaryKeyId: 'b', credentials: 0, webhookSecrets: 0 });

    const onlyB = createKeyRing(new Map([['b', keyB]]), 'b');
    for (const [i, { integration, webhookSecret }] of created.entries()) {
      const row = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
      expect(row.webhookSecretKeyId).toBe('b');
      expect(onlyB.decrypt(row.webhookSecretKeyId!, row.webhookSecretEnc!)).toBe(webhookSecret);
      if (i < 2) {
        expect(row.credentialsKeyId).toBe('b');
        expect(decryptCredentials(row, onlyB)).toEqual({ token: `${['One', 'Two'][i]}-${TOKEN}` });
      } else expect(row.credentialsEnc).toBeNull();
    }
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'keys.reencrypt' } });
    expect(audit.after).toEqual({ primary: 'b', reencrypted: 5 });
    // Nothing anywhere still needs key a.
    const leftovers = await db.prisma.integration.count({
      where: { OR: [{ credentialsKeyId: { not: 'b' } }, { webhookSecretKeyId: { not: 'b' } }] },
    });
    expect(leftovers).toBe(0);
  });
});
