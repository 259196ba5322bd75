// The connector registry and declarative definitions: shipped definitions per integration type,
// GENERIC_REST's choice between the hand-written connector and settings.definition (validated, with
// the paths of every problem), and OAuth2 tokens stored back encrypted after a refresh.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeclarativeConnector } from '@syncbridge/connectors';
import {
  createDeclarativeSandbox,
  salesforceProfile,
  SANDBOX_CREDENTIALS,
  type DeclarativeSandbox,
  type SandboxProfile,
  type SandboxServer,
} from '@syncbridge/connectors/sandboxes';
import type { Prisma } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createConnectorProvider, decryptCredentials } from '../src/connector-registry.ts';
import { createKeyRing } from '../src/crypto.ts';
import { AppError } from '../src/errors.ts';

const db = useTestDatabase();
const keyRing = createKeyRing(new Map([['k1', randomBytes(32)]]), 'k1');
const provider = () => createConnectorProvider({ pool: db.pool, keyRing });

async function integration(data: {
  type: Prisma.IntegrationCreateInput['type'];
  baseUrl?: string;
  settings?: Prisma.InputJsonValue;
  credentials?: Record<string, unknown>;
}) {
  const sealed = data.credentials ? keyRing.encrypt(JSON.stringify(data.credentials)) : null;
  return db.prisma.integration.create({
    data: {
      name: `${data.type} ${randomBytes(3).toString('hex')}`,
      type: data.type,
      baseUrl: data.baseUrl,
      settings: data.settings ?? {},
      credentialsEnc: sealed?.ciphertext,
      credentialsKeyId: sealed?.keyId,
    },
  });
}

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('no error');
}

describe('declarative connectors in the registry', () => {
  let sandbox: DeclarativeSandbox;
  let server: SandboxServer;

  beforeAll(async () => {
    const rotating: SandboxProfile = {
      ...salesforceProfile,
      auth: {
        ...(salesforceProfile.auth as Extract<SandboxProfile['auth'], { style: 'oauth2' }>),
        rotateRefreshToken: true,
      },
    };
    sandbox = createDeclarativeSandbox(rotating);
    server = await sandbox.start();
  });
  afterAll(() => server?.close());

  it('serves TRELLO … SALESFORCE with their shipped definitions', async () => {
    const connectors = provider();
    for (const [type, credentials, settings] of [
      ['TRELLO', { apiKey: 'k', token: 't' }, {}],
      ['MONDAY', { token: 't' }, {}],
      ['CLICKUP', { token: 't' }, {}],
      ['TOGGL', { apiToken: 't' }, {}],
      ['HARVEST', { token: 't' }, { accountId: '1' }],
      ['CLOCKIFY', { apiKey: 'k' }, { workspaceId: 'w' }],
      ['SALESFORCE', { clientId: 'c', clientSecret: 's', refreshToken: 'r' }, {}],
    ] as const) {
      const connector = (await connectors(await integration({ type, credentials, settings }))) as DeclarativeConnector;
      expect(connector.type).toBe(type);
      expect(connector.definition.integrationType).toBe(type);
    }
  });

  it('keeps the hand-written REST connector for GENERIC_REST unless settings.definition is given', async () => {
    const connectors = provider();
    const plain = await connectors(
      await integration({ type: 'GENERIC_REST', baseUrl: 'http://127.0.0.1:9', credentials: { token: 't' } }),
    );
    expect((plain as Partial<DeclarativeConnector>).definition).toBeUndefined();
    const named = await connectors(
      await integration({
        type: 'GENERIC_REST',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { token: 't' },
        settings: { definition: 'generic' },
      }),
    );
    expect((named as DeclarativeConnector).definition.id).toBe('generic');
    const custom = await connectors(
      await integration({
        type: 'GENERIC_REST',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { token: 't' },
        settings: {
          definition: { ...(named as DeclarativeConnector).definition, id: 'custom-api', name: 'Custom API' },
        },
      }),
    );
    expect((custom as DeclarativeConnector).definition.name).toBe('Custom API');
  });

  it('refuses a bad custom definition with VALIDATION listing every path', async () => {
    const connectors = provider();
    const bad = await integration({
      type: 'GENERIC_REST',
      baseUrl: 'http://127.0.0.1:9',
      settings: {
        definition: {
          id: 'x',
          name: 'X',
          baseUrl: 'nope',
          auth: { type: 'bearer' },
          rateLimit: { requests: 0, windowMs: 1000 },
        },
      },
    });
    const error = appError(() => connectors(bad));
    expect(error.code).toBe('VALIDATION');
    const paths = (error.details?.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['id', 'baseUrl', 'rateLimit.requests', 'testConnection', 'record', 'list']),
    );
    expect(error.message).toMatch(/^Invalid settings\.definition: .*baseUrl: /);
    const unknown = await integration({
      type: 'GENERIC_REST',
      baseUrl: 'http://127.0.0.1:9',
      settings: { definition: 'nope' },
    });
    expect(appError(() => connectors(unknown)).message).toMatch(/unknown definition "nope"/);
    const noAccount = await integration({ type: 'HARVEST', credentials: { token: 'secret-harvest-token' } });
    const missing = appError(() => connectors(noAccount));
    expect(missing).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/accountId/) });
    expect(missing.message).not.toContain('secret-harvest-token');
  });

  it('stores a rotated refresh token encrypted, without touching updated_at', async () => {
    const row = await integration({
      type: 'SALESFORCE',
      baseUrl: `${server.url}${salesforceProfile.basePath}`,
      credentials: { ...SANDBOX_CREDENTIALS.salesforce },
      settings: { loginUrl: server.url },
    });
    const connector = await provider()(row);
    await expect(connector.testConnection()).resolves.toMatchObject({ ok: true });
    // Each exchange is written back as it happens; wait for the write (no sleeping).
    const deadline = Date.now() + 5000;
    let stored = await db.prisma.integration.findUniqueOrThrow({ where: { id: row.id } });
    while (
      decryptCredentials(stored, keyRing).refreshToken === SANDBOX_CREDENTIALS.salesforce.refreshToken &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setImmediate(resolve));
      stored = await db.prisma.integration.findUniqueOrThrow({ where: { id: row.id } });
    }
    const credentials = decryptCredentials(stored, keyRing);
    expect(credentials.refreshToken).toBe(sandbox.oauth.refreshToken);
    expect(credentials.refreshToken).not.toBe(SANDBOX_CREDENTIALS.salesforce.refreshToken);
    expect(credentials.clientSecret).toBe(SANDBOX_CREDENTIALS.salesforce.clientSecret);
    expect(stored.credentialsEnc).not.toContain(String(credentials.refreshToken));
    expect(stored.updatedAt.getTime()).toBe(row.updatedAt.getTime());
    // A new process (a fresh registry) starts from the stored, rotated token.
    sandbox.oauth.revokeAccessTokens();
    await expect((await provider()(stored)).testConnection()).resolves.toMatchObject({ ok: true });
  });
});
