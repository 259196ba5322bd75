// The official `@hubspot/api-client`, unchanged, against the sandbox over real HTTP: the sandbox must
// speak CRM v3 well enough for the vendor's own client.
import { Client, Signature } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubSpotSandbox, type HubSpotSandbox } from '../src/hubspot/sandbox/index.ts';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';
import { startReceiver } from './helpers.ts';

const TOKEN = 'pat-na1-sdk';
let sandbox: HubSpotSandbox;
let server: SandboxServer;

function sdk(token = TOKEN) {
  return new Client({ accessToken: token, basePath: server.url, numberOfApiCallRetries: 0 });
}

async function rejection(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; body: Record<string, unknown>; headers: Record<string, string> };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  sandbox = createHubSpotSandbox({
    accessToken: TOKEN,
    contactProperties: [{ name: 'syncbridge_id' }, { name: 'britepool_equity_units', type: 'number' }],
  });
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 100, windowMs: 10_000 });
});

let emailSeq = 0;
const email = () => `person${++emailSeq}@example.com`;

describe('HubSpot SDK against the sandbox', () => {
  it('batch creates, reads one, pages through the list with after, and returns requested properties', async () => {
    const client = sdk();
    const created = await client.crm.contacts.batchApi.create({
      inputs: Array.from({ length: 5 }, (_, i) => ({
        properties: { email: email(), firstname: `Ada${i}`, britepool_equity_units: String(i * 10) },
        associations: [],
      })),
    });
    expect(created.status).toBe('COMPLETE');
    expect(created.results).toHaveLength(5);
    const first = created.results[0]!;
    expect(first.id).toMatch(/^\d+$/);
    expect(first.createdAt).toBeInstanceOf(Date);
    expect(first.properties).toMatchObject({ firstname: 'Ada0', hs_object_id: first.id });

    const one = await client.crm.contacts.basicApi.getById(first.id, ['firstname', 'britepool_equity_units']);
    expect(one.properties).toMatchObject({ firstname: 'Ada0', britepool_equity_units: '0', hs_object_id: first.id });
    expect(one.properties).not.toHaveProperty('email');

    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.basicApi.getPage(2, after, ['email']);
      expect(page.results.length).toBeLessThanOrEqual(2);
      seen.push(...page.results.map((contact) => contact.id));
      after = page.paging?.next?.after;
    } while (after);
    expect(seen).toEqual(expect.arrayContaining(created.results.map((contact) => contact.id)));
    expect(new Set(seen).size).toBe(seen.length);
    expect(sandbox.counters.count('GET /crm/v3/objects/:objectType')).toBeGreaterThanOrEqual(3);
  });

  it('rejects more than 100 inputs and a list limit above 100 with 400 VALIDATION_ERROR', async () => {
    const client = sdk();
    const tooMany = await rejection(
      client.crm.contacts.batchApi.create({
        inputs: Array.from({ length: 101 }, () => ({ properties: {}, associations: [] })),
      }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect((await rejection(client.crm.contacts.basicApi.getPage(101))).code).toBe(400);
  });

  it('answers batch update with 207 naming the ids it does not know, and applies the rest', async () => {
    const client = sdk();
    const contact = sandbox.objects.contacts.create({ email: email(), firstname: 'Grace' });
    const before = contact.updatedAt;
    const response = await client.crm.contacts.batchApi.update({
      inputs: [
        { id: contact.id, properties: { firstname: 'Grace H.' } },
        { id: '999999', properties: { firstname: 'Nobody' } },
      ],
    });
    expect(response.results.map((result) => result.id)).toEqual([contact.id]);
    expect('errors' in response && response.errors).toEqual([
      expect.objectContaining({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } }),
    ]);
    expect(sandbox.objects.contacts.get(contact.id)?.properties.firstname).toBe('Grace H.');
    expect(sandbox.objects.contacts.get(contact.id)!.updatedAt).toBeGreaterThan(before);
  });

  it('answers batch read with 207 for missing ids, and archive with 204 even for unknown ids', async () => {
    const client = sdk();
    const a = sandbox.objects.contacts.create({ email: email() });
    const b = sandbox.objects.contacts.create({ email: email() });
    const read = await client.crm.contacts.batchApi.read({
      inputs: [{ id: a.id }, { id: '424242' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((result) => result.id)).toEqual([a.id]);
    expect('errors' in read && read.errors?.[0]?.context).toEqual({ ids: ['424242'] });
    await client.crm.contacts.batchApi.archive({ inputs: [{ id: a.id }, { id: b.id }, { id: '424242' }] });
    expect(sandbox.objects.contacts.get(a.id)).toBeUndefined();
    const gone = await rejection(client.crm.contacts.basicApi.getById(a.id));
    expect(gone.code).toBe(404);
    const archived = await client.crm.contacts.basicApi.getById(a.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
  });

  it('fails a batch create with an existing email as 409 naming the existing id, and invalid values as 400', async () => {
    const client = sdk();
    const taken = email();
    const existing = sandbox.objects.contacts.create({ email: taken });
    const conflict = await rejection(
      client.crm.contacts.batchApi.create({
        inputs: [
          { properties: { email: email() }, associations: [] },
          { properties: { email: taken.toUpperCase() }, associations: [] },
        ],
      }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${existing.id}`,
    });
    expect((conflict.body.errors as { code: string }[])[0]?.code).toBe('CONTACT_EXISTS');
    const invalid = await rejection(
      client.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'not-an-email' }, associations: [] }] }),
    );
    expect(invalid.code).toBe(400);
    expect(invalid.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(String(invalid.body.message)).toContain('INVALID_EMAIL');
    const unknown = await rejection(
      client.crm.contacts.batchApi.create({ inputs: [{ properties: { nope: 'x' }, associations: [] }] }),
    );
    expect(String(unknown.body.message)).toContain('PROPERTY_DOESNT_EXIST');
  });

  it('searches by lastmodifieddate GT and email IN/EQ, sorted, with limit and after', async () => {
    const client = sdk();
    const start = Date.now() - 1;
    const made = Array.from({ length: 5 }, (_, i) =>
      sandbox.objects.contacts.create({ email: `search${i}-${emailSeq}@example.com`, firstname: `S${i}` }),
    );
    const since = made[1]!.updatedAt;
    const changed = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gt, value: String(since) }] },
      ],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' } as unknown as string],
      properties: ['firstname'],
      limit: 2,
    });
    expect(changed.total).toBe(3);
    expect(changed.results.map((result) => result.id)).toEqual([made[2]!.id, made[3]!.id]);
    expect(changed.paging?.next?.after).toBe('2');
    const rest = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'lastmodifieddate',
              operator: FilterOperatorEnum.Gte,
              value: new Date(since).toISOString(),
            },
          ],
        },
      ],
      sorts: ['lastmodifieddate'],
      limit: 2,
      after: '2',
    });
    expect(rest.results.map((result) => result.id)).toEqual([made[3]!.id, made[4]!.id]);
    const byEmail = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'email',
              operator: FilterOperatorEnum.In,
              values: [made[0]!.properties.email!, made[4]!.properties.email!.toUpperCase()],
            },
          ],
        },
        { filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: made[2]!.properties.email! }] },
      ],
      limit: 10,
    });
    expect(byEmail.results.map((result) => result.id).sort()).toEqual([made[0]!.id, made[2]!.id, made[4]!.id].sort());
    expect(start).toBeLessThan(since);
    const tooDeep = await rejection(
      client.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 100, after: '9950' }),
    );
    expect(tooDeep.code).toBe(400);
  });

  it('lists property definitions', async () => {
    const properties = await sdk().crm.properties.coreApi.getAll('contacts');
    const byName = new Map(properties.results.map((property) => [property.name, property]));
    expect(byName.get('email')).toMatchObject({ type: 'string', fieldType: 'text', hasUniqueValue: true });
    expect(byName.get('lifecyclestage')?.options.map((option) => option.value)).toContain('lead');
    expect(byName.get('lastmodifieddate')?.modificationMetadata?.readOnlyValue).toBe(true);
    expect(byName.get('britepool_equity_units')).toMatchObject({ type: 'number' });
  });

  it('rate-limits per token per 10 seconds with X-HubSpot-RateLimit-* headers and HubSpot’s 429 body', async () => {
    sandbox.limiter.configure({ requestsPerWindow: 3 });
    const client = sdk();
    const admitted = await client.crm.contacts.basicApi.getPageWithHttpInfo(1);
    expect(admitted.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-remaining': '2',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    });
    await client.crm.contacts.basicApi.getPage(1);
    await client.crm.contacts.basicApi.getPage(1);
    const limited = await rejection(client.crm.contacts.basicApi.getPage(1));
    expect(limited.code).toBe(429);
    expect(limited.headers).toMatchObject({
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    });
    expect(limited.headers['retry-after']).toBeUndefined();
    expect(limited.body).toMatchObject({
      category: 'RATE_LIMITS',
      message: 'You have reached your ten_secondly_rolling limit.',
    });
    expect(sandbox.limiter.rejected).toBe(1);
  });

  it('answers 401 without a valid token and 403 MISSING_SCOPES on writes with a read-only token', async () => {
    const bad = await rejection(sdk('wrong').crm.contacts.basicApi.getPage(1));
    expect(bad.code).toBe(401);
    expect(bad.body).toMatchObject({ category: 'INVALID_AUTHENTICATION' });
    const readOnly = createHubSpotSandbox({ accessToken: ['rw', 'ro'], readOnlyTokens: ['ro'] });
    const roServer = await readOnly.start();
    try {
      const client = new Client({ accessToken: 'ro', basePath: roServer.url });
      await client.crm.contacts.basicApi.getPage(1);
      const denied = await rejection(
        client.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'x@example.com' }, associations: [] }] }),
      );
      expect(denied.code).toBe(403);
      expect(denied.body).toMatchObject({ category: 'MISSING_SCOPES' });
    } finally {
      await roServer.close();
    }
  });

  it('injects faults: 5xx with HubSpot’s error body', async () => {
    sandbox.faults.failNext(1, 'error', { status: 502 });
    const failed = await rejection(sdk().crm.contacts.basicApi.getPage(1));
    expect(failed.code).toBe(502);
    expect(failed.body).toMatchObject({ category: 'INTERNAL_ERROR' });
  });

  it('sends webhooks signed with signature v3 that the SDK’s own helper accepts', async () => {
    const receiver = await startReceiver();
    try {
      sandbox.webhooks.configure({ targetUrl: receiver.url, clientSecret: 'client-secret', retryDelayMs: 0 });
      const contact = sandbox.objects.contacts.create({ email: email() });
      sandbox.objects.contacts.update(contact.id, { firstname: 'Hedy' });
      sandbox.objects.contacts.archive(contact.id);
      await sandbox.webhooks.idle();
      await receiver.waitFor(3);
      const kinds = receiver.received.map(
        (delivery) => JSON.parse(delivery.rawBody.toString('utf8'))[0].subscriptionType,
      );
      expect(kinds).toEqual(['contact.creation', 'contact.propertyChange', 'contact.deletion']);
      for (const delivery of receiver.received) {
        const valid = Signature.isValid({
          signatureVersion: 'v3',
          method: 'POST',
          url: receiver.url,
          clientSecret: 'client-secret',
          requestBody: delivery.rawBody.toString('utf8'),
          signature: String(delivery.headers['x-hubspot-signature-v3']),
          timestamp: Number(delivery.headers['x-hubspot-request-timestamp']),
        });
        expect(valid).toBe(true);
      }
    } finally {
      sandbox.webhooks.configure(null);
      await receiver.close();
    }
  });
});
