// OAuth against the sandbox's token endpoint: google-auth-library's refresh-token flow and the
// service-account JWT grant, directly and through the connector, plus how auth failures classify.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auth, sheets } from 'googleapis/build/src/apis/sheets/index.js';
import type { Connector, ResourceRef } from '../src/contract.ts';
import { SHEETS_ENDPOINTS } from '../src/google-sheets/sandbox/index.ts';
import { startGoogleSheetsHarness, type GoogleSheetsHarness } from '../src/google-sheets/testing.ts';
import { collect } from './helpers.ts';

const ID = 'auth-sheet';
const contacts: ResourceRef = { object: ID, keyField: 'Email' };
const SA_EMAIL = 'syncbridge@demo-project.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const strangerKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let h: GoogleSheetsHarness;
beforeAll(async () => {
  h = await startGoogleSheetsHarness({
    clients: [{ clientId: 'client-1.apps.googleusercontent.com', clientSecret: 'client-secret' }],
    refreshTokens: [
      { refreshToken: '1//refresh-ada', clientId: 'client-1.apps.googleusercontent.com', user: 'ada@example.com' },
      {
        refreshToken: '1//refresh-readonly',
        clientId: 'client-1.apps.googleusercontent.com',
        user: 'ro@example.com',
        scopes: ['https://www.googleapis.com/auth/spreadsheets.readonly'],
      },
    ],
    serviceAccounts: [{ clientEmail: SA_EMAIL, key: keys.publicKey }],
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.spreadsheets.clear();
  h.sandbox.counters.reset();
  h.sandbox.spreadsheets.create({
    spreadsheetId: ID,
    sheets: [{ title: 'Contacts', header: ['Email', 'Name'], rows: [['ada@example.com', 'Ada']] }],
    sharedWith: ['ada@example.com', 'ro@example.com', SA_EMAIL],
  });
});

const refreshAuth = (refreshToken = '1//refresh-ada', clientSecret = 'client-secret') => ({
  refreshToken,
  clientId: 'client-1.apps.googleusercontent.com',
  clientSecret,
  tokenUrl: h.tokenUrl,
});

async function failure(connector: Connector, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return connector.classifyError(error);
  }
  throw new Error('expected the call to fail');
}

describe('OAuth refresh-token flow', () => {
  it('google-auth-library gets an access token from the sandbox and reuses it', async () => {
    const client = new auth.OAuth2({
      clientId: 'client-1.apps.googleusercontent.com',
      clientSecret: 'client-secret',
      endpoints: { oauth2TokenUrl: h.tokenUrl },
    });
    client.setCredentials({ refresh_token: '1//refresh-ada' });
    const api = sheets({ version: 'v4', rootUrl: h.rootUrl, auth: client, retry: false });
    await api.spreadsheets.get({ spreadsheetId: ID });
    await api.spreadsheets.values.get({ spreadsheetId: ID, range: 'Contacts' });
    expect(client.credentials).toMatchObject({
      access_token: expect.stringMatching(/^ya29\./),
      token_type: 'Bearer',
      expiry_date: expect.any(Number),
    });
    expect(h.sandbox.oauth.issued.refresh_token).toBe(1);
    expect(h.sandbox.counters.count(SHEETS_ENDPOINTS.token)).toBe(1);
  });

  it('the connector reads with it; the token belongs to the refresh token’s user', async () => {
    const connector = h.connect({ auth: refreshAuth() });
    const [page] = await collect(connector.listChanges(contacts, null));
    expect(page?.records.map((record) => record.id)).toEqual(['ada@example.com']);
    // Shared with ada@example.com only (and the others above): a stranger's token is refused.
    h.sandbox.oauth.addAccessToken({ token: 'stranger', user: 'eve@example.com' });
    expect(
      await failure(h.connect(), () =>
        collect(h.connect({ auth: { accessToken: 'stranger' } }).listChanges(contacts, null)),
      ),
    ).toMatchObject({
      kind: 'auth',
      status: 403,
    });
  });

  it('a revoked refresh token or a wrong client secret → auth, with the OAuth error code', async () => {
    const revoked = h.connect({ auth: refreshAuth('1//unknown') });
    expect(await failure(revoked, () => collect(revoked.listChanges(contacts, null)))).toMatchObject({
      kind: 'auth',
      status: 400,
      code: 'invalid_grant',
      message: expect.stringContaining('Token has been expired or revoked.'),
    });
    const badClient = h.connect({ auth: refreshAuth('1//refresh-ada', 'wrong') });
    expect(await failure(badClient, () => collect(badClient.listChanges(contacts, null)))).toMatchObject({
      kind: 'auth',
      status: 401,
      code: 'invalid_client',
    });
    expect((await badClient.testConnection()).message).toMatch(/^auth: OAuth token request failed/);
  });

  it('a token revoked mid-life → 401 → auth (no silent SDK retry)', async () => {
    const connector = h.connect({ auth: refreshAuth() });
    await collect(connector.listChanges(contacts, null));
    h.sandbox.oauth.revokeIssuedTokens('ada@example.com');
    const before = h.sandbox.counters.total;
    expect(await failure(connector, () => collect(connector.listChanges(contacts, null)))).toMatchObject({
      kind: 'auth',
      status: 401,
    });
    expect(h.sandbox.counters.total - before).toBe(0); // refused by auth before reaching a route
  });

  it('a read-only scope reads but cannot write (403 insufficient scopes → auth)', async () => {
    const connector = h.connect({ auth: refreshAuth('1//refresh-readonly') });
    expect((await collect(connector.listChanges(contacts, null)))[0]?.records).toHaveLength(1);
    expect(
      await failure(connector, () =>
        connector.upsertBatch(contacts, [{ internalId: 'x', externalId: null, fields: { Email: 'x@example.com' } }]),
      ),
    ).toMatchObject({ kind: 'auth', status: 403, code: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' });
  });
});

describe('service account (JWT bearer grant)', () => {
  it('the connector signs an assertion, the sandbox verifies it and issues a token', async () => {
    const connector = h.connect({
      auth: { serviceAccount: { client_email: SA_EMAIL, private_key: keys.privateKey }, tokenUrl: h.tokenUrl },
    });
    const results = await connector.upsertBatch(contacts, [
      { internalId: 'grace', externalId: null, fields: { Email: 'grace@example.com', Name: 'Grace' } },
    ]);
    expect(results).toEqual([{ internalId: 'grace', ok: true, externalId: 'grace@example.com', updatedAt: null }]);
    await collect(connector.listChanges(contacts, null));
    expect(h.sandbox.oauth.issued.jwt_bearer).toBe(1);
    expect(h.sandbox.counters.count(SHEETS_ENDPOINTS.token)).toBe(1);
    expect(await connector.testConnection()).toMatchObject({ ok: true, apiVersion: 'v4' });
  });

  it('an assertion signed with the wrong key → invalid_grant → auth', async () => {
    const connector = h.connect({
      auth: { serviceAccount: { client_email: SA_EMAIL, private_key: strangerKey.privateKey }, tokenUrl: h.tokenUrl },
    });
    expect(await failure(connector, () => collect(connector.listChanges(contacts, null)))).toMatchObject({
      kind: 'auth',
      code: 'invalid_grant',
      message: expect.stringContaining('Invalid JWT Signature.'),
    });
    const unreadable = h.connect({
      auth: { serviceAccount: { client_email: SA_EMAIL, private_key: 'not a key' }, tokenUrl: h.tokenUrl },
    });
    expect(await failure(unreadable, () => collect(unreadable.listChanges(contacts, null)))).toMatchObject({
      kind: 'auth',
    });
  });
});
