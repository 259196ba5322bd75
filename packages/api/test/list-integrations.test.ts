import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createLogger } from '@syncbridge/engine';
import { appRouter, createContext } from '../src/index.ts';

const db = useTestDatabase();
const logger = createLogger({ name: 'api-test', level: 'silent' });
// integrations.list needs a signed-in user of any role (roles.test.ts covers the rest).
const viewer = { id: '00000000-0000-4000-8000-000000000001', email: 'viewer@example.com', role: 'VIEWER' as const };
const caller = () => appRouter.createCaller(createContext({ prisma: db.prisma, pool: db.pool, logger, user: viewer }));

const SECRET = 'ciphertext-that-must-never-leave-the-server';
const secretFields = ['credentialsEnc', 'credentialsKeyId', 'webhookSecretEnc', 'webhookSecretKeyId', 'settings'];

describe('integrations.list', () => {
  it('returns integrations by name, filtered by status and type, without secret fields', async () => {
    await db.prisma.integration.createMany({
      data: [
        {
          name: 'Sheets mirror',
          type: 'GOOGLE_SHEETS',
          status: 'ACTIVE',
          authType: 'SERVICE_ACCOUNT',
          credentialsEnc: SECRET,
          credentialsKeyId: 'key-2026',
          webhookSecretEnc: SECRET,
          webhookSecretKeyId: 'key-2026',
          settings: { spreadsheetId: 'abc' },
        },
        { name: 'Asana tasks', type: 'ASANA', status: 'PAUSED', credentialsEnc: SECRET },
        { name: 'Board', type: 'SMARTSHEET', status: 'ACTIVE' },
      ],
    });

    const all = await caller().integrations.list();
    expect(all.items.map((i) => i.name)).toEqual(['Asana tasks', 'Board', 'Sheets mirror']);

    const active = await caller().integrations.list({ status: 'ACTIVE' });
    expect(active.items.map((i) => i.name)).toEqual(['Board', 'Sheets mirror']);

    const activeSheets = await caller().integrations.list({ status: 'ACTIVE', type: 'GOOGLE_SHEETS' });
    expect(activeSheets.items).toHaveLength(1);
    const [sheets] = activeSheets.items;
    expect(sheets).toMatchObject({ name: 'Sheets mirror', type: 'GOOGLE_SHEETS', authType: 'SERVICE_ACCOUNT' });
    expect(sheets?.createdAt).toBeInstanceOf(Date);

    for (const item of all.items) {
      for (const field of secretFields) expect(item).not.toHaveProperty(field);
    }
    expect(JSON.stringify(all)).not.toContain(SECRET);
  });

  it('rejects an unknown status with BAD_REQUEST', async () => {
    const error = await caller()
      .integrations.list({ status: 'NOPE' as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
  });
});

describe('health.check', () => {
  it('reports the database as up', async () => {
    const health = await caller().health.check();
    expect(health).toMatchObject({ status: 'ok', database: true });
    expect(health.timestamp).toBeInstanceOf(Date);
  });
});
