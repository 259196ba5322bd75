// Auth of declarative connectors against the sandbox's token endpoint: OAuth2 tokens refreshed on
// expiry and once on a 401 (never in a loop), rotated refresh tokens handed to onTokens, a dead
// grant failing as auth, and no secret in any error message.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition } from '../src/declarative/definition.ts';
import { genericDefinition } from '../src/declarative/definitions/generic.ts';
import type { OAuthTokens } from '../src/declarative/oauth2.ts';
import { genericProfile, salesforceProfile, SANDBOX_CREDENTIALS } from '../src/declarative/sandbox-profiles.ts';
import type { SandboxProfile } from '../src/declarative/sandbox-profile.ts';
import { collectPages, startDeclarative, type DeclarativeHarness } from './declarative-harness.ts';

let h: DeclarativeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CLIENT = { clientId: 'records-client', clientSecret: 'records-client-secret-value' };

/** The generic API behind an OAuth2 client-credentials token endpoint that says expires_in. */
function clientCredentials(ttlMs: number): { profile: SandboxProfile; definition: ReturnType<typeof parseDefinition> } {
  const profile: SandboxProfile = {
    ...genericProfile,
    auth: { style: 'oauth2', tokenPath: '/oauth/token', ...CLIENT, ttlMs, announceExpiry: true },
  };
  const definition = parseDefinition({
    ...genericDefinition,
    credentials: ['clientId', 'clientSecret'],
    auth: {
      type: 'oauth2',
      grant: 'client_credentials',
      tokenUrl: '{settings.loginUrl}/oauth/token',
      scopes: ['records:read', 'records:write'],
      clientAuth: 'basic',
    },
  });
  return { profile, definition };
}

describe('OAuth2 client credentials', () => {
  it('reuses a token until it is about to expire', async () => {
    const { profile, definition } = clientCredentials(3_600_000);
    const tokens: OAuthTokens[] = [];
    h = await startDeclarative('generic', {
      profile,
      definition,
      connector: { credentials: CLIENT, onTokens: (t) => void tokens.push(t) },
    });
    for (let i = 0; i < 3; i++) await expect(h.connector.testConnection()).resolves.toMatchObject({ ok: true });
    expect(h.sandbox.oauth.tokenRequests).toBe(1);
    expect(tokens).toHaveLength(1);
    expect(Date.parse(tokens[0]!.expiresAt!) - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('refreshes before each call when the token is inside the refresh margin, with no 401 first', async () => {
    const { profile, definition } = clientCredentials(30_000); // expires_in 30 s < the 60 s margin
    h = await startDeclarative('generic', { profile, definition, connector: { credentials: CLIENT } });
    h.sandbox.store.create('tasks', { title: 'one' });
    for (let i = 0; i < 3; i++) await expect(h.connector.testConnection()).resolves.toMatchObject({ ok: true });
    const pages = await collectPages(h.connector.listChanges({ object: 'tasks' }, null));
    expect(pages[0]!.records).toHaveLength(1);
    expect(h.sandbox.oauth.tokenRequests).toBe(4);
    expect(h.connector.tokenExchanges).toBe(4);
  });

  it('fails as auth (without the secret) when the client is refused', async () => {
    const { profile, definition } = clientCredentials(3_600_000);
    h = await startDeclarative('generic', {
      profile,
      definition,
      connector: { credentials: { ...CLIENT, clientSecret: 'wrong-secret-value' } },
    });
    const result = await h.connector.testConnection();
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth', code: 'invalid_client' } });
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
  });
});

describe('OAuth2 refresh token (Salesforce)', () => {
  const secrets = Object.values(SANDBOX_CREDENTIALS.salesforce);

  it('refreshes once on a 401 and retries the request', async () => {
    h = await startDeclarative('salesforce');
    await expect(h.connector.testConnection()).resolves.toMatchObject({ ok: true });
    expect(h.sandbox.oauth.tokenRequests).toBe(1);
    h.sandbox.oauth.revokeAccessTokens(); // the session expired on Salesforce's side
    await expect(h.connector.testConnection()).resolves.toMatchObject({ ok: true });
    expect(h.sandbox.oauth.tokenRequests).toBe(2);
    // Concurrent requests that all meet the 401 share one refresh.
    h.sandbox.oauth.revokeAccessTokens();
    const results = await Promise.all([1, 2, 3].map(() => h!.connector.testConnection()));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.sandbox.oauth.tokenRequests).toBe(3);
  });

  it('fails cleanly when the retried request meets a 401 again: one refresh, no loop, no secret', async () => {
    h = await startDeclarative('salesforce', {
      profile: {
        ...salesforceProfile,
        auth: { ...(salesforceProfile.auth as Extract<SandboxProfile['auth'], { style: 'oauth2' }>), ttlMs: 0 },
      },
    });
    const before = h.sandbox.counters.total;
    const result = await h.connector.testConnection();
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth', status: 401, code: 'INVALID_SESSION_ID' } });
    expect(h.sandbox.oauth.tokenRequests).toBe(2); // the first token, then one refresh after the 401
    expect(h.sandbox.counters.total - before).toBe(0); // both attempts were refused before any route
    await expect(collectPages(h.connector.listChanges({ object: 'Contact' }, null))).rejects.toMatchObject({
      kind: 'auth',
      status: 401,
    });
    expect(h.sandbox.oauth.tokenRequests).toBe(3); // its token was held: one refresh after the 401, then it gives up
    for (const secret of secrets) expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('hands a rotated refresh token to onTokens and uses it for the next refresh', async () => {
    const rotating: SandboxProfile = {
      ...salesforceProfile,
      auth: {
        ...(salesforceProfile.auth as Extract<SandboxProfile['auth'], { style: 'oauth2' }>),
        rotateRefreshToken: true,
      },
    };
    const tokens: OAuthTokens[] = [];
    h = await startDeclarative('salesforce', {
      profile: rotating,
      connector: { onTokens: (t) => void tokens.push(t) },
    });
    await h.connector.testConnection();
    h.sandbox.oauth.revokeAccessTokens();
    await expect(h.connector.testConnection()).resolves.toMatchObject({ ok: true });
    expect(tokens).toHaveLength(2);
    expect(tokens[1]!.refreshToken).toBe(h.sandbox.oauth.refreshToken);
    expect(tokens[1]!.refreshToken).not.toBe(SANDBOX_CREDENTIALS.salesforce.refreshToken);
    expect(tokens[1]!.instanceUrl).toBe(h.server.url);
    expect(tokens[1]!.expiresAt).toBeNull(); // Salesforce does not say
    // The old refresh token is dead now; the connector uses the rotated one.
    h.sandbox.oauth.revokeAccessTokens();
    await expect(h.connector.testConnection()).resolves.toMatchObject({ ok: true });
    expect(tokens).toHaveLength(3);
  });

  it('reports a revoked grant as auth (invalid_grant) without the refresh token', async () => {
    h = await startDeclarative('salesforce');
    await h.connector.testConnection();
    h.sandbox.oauth.revokeAccessTokens();
    h.sandbox.oauth.revokeRefreshToken();
    const result = await h.connector.testConnection();
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth', code: 'invalid_grant' } });
    for (const secret of secrets) expect(result.message).not.toContain(secret);
  });
});

describe('secrets in errors', () => {
  it('never shows query-string keys (Trello) in failures: vendor errors, faults, network errors', async () => {
    h = await startDeclarative('trello');
    const { apiKey, token } = SANDBOX_CREDENTIALS.trello;
    const resource = { object: 'board-1' };
    h.sandbox.faults.failNext(1, 'error', { status: 503 });
    const failure = await collectPages(h.connector.listChanges(resource, null)).catch((error: unknown) =>
      h!.connector.classifyError(error),
    );
    expect(failure).toMatchObject({ kind: 'retryable', status: 503 });
    const upsert = await h.connector.upsertBatch(resource, [
      { internalId: 'x', externalId: 'missing-card', fields: { name: 'x' } },
    ]);
    expect(upsert[0]).toMatchObject({ ok: false, error: { kind: 'invalid', status: 404 } });
    await h.close();
    const offline = await h.connector.testConnection();
    expect(offline).toMatchObject({ ok: false, error: { kind: 'retryable' } });
    for (const text of [JSON.stringify(failure), JSON.stringify(upsert), JSON.stringify(offline)]) {
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain(token);
    }
    h = undefined;
  });
});
