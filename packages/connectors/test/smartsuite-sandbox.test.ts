// The SmartSuite sandbox over raw HTTP: the vendor's paths, headers, pagination, bulk limits, error
// bodies, rate limit with its penalty, faults, counters and webhook deliveries.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../src/sandbox-kit/server.ts';
import { createSmartSuiteSandbox, type SmartSuiteSandbox } from '../src/smartsuite/sandbox/index.ts';
import { SMARTSUITE_WEBHOOK_HEADERS, verifySmartSuiteWebhook } from '../src/smartsuite/webhooks.ts';
import { startReceiver } from './helpers.ts';

const KEY = 'ss-sandbox-key';
const ACCOUNT = 'ws9sbx01';
let sandbox: SmartSuiteSandbox;
let server: SandboxServer;
let tableId: string;

const headers = (key = KEY, account = ACCOUNT) => ({
  authorization: `Token ${key}`,
  'account-id': account,
  'content-type': 'application/json',
});

async function call(method: string, path: string, body?: unknown, extra: Record<string, string> = headers()) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: extra,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

const records = (path = '', body: unknown = {}) => call('POST', `/applications/${tableId}/records/list/${path}`, body);

beforeAll(async () => {
  sandbox = createSmartSuiteSandbox({ apiKey: [KEY, 'other-key'], accountId: ACCOUNT, requestsPerWindow: 1000 });
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 1000, windowMs: 1000, penaltyMs: 30_000 });
  sandbox.counters.reset();
  sandbox.writes.reset();
  sandbox.webhooks.configure(null);
  tableId = sandbox.tables.createTable({
    name: 'Products',
    fields: [
      { slug: 'description', field_type: 'textareafield' },
      { slug: 'price', field_type: 'numberfield' },
      { slug: 'status', field_type: 'singleselectfield', choices: ['Draft', 'Live'] },
      { slug: 'in_stock', field_type: 'yesnofield' },
    ],
  }).id;
});

describe('SmartSuite sandbox: authentication', () => {
  it('wants `Authorization: Token <key>` and the workspace in Account-Id', async () => {
    expect(await call('GET', '/applications/', undefined, { 'account-id': ACCOUNT })).toMatchObject({
      status: 401,
      body: { detail: 'Authentication credentials were not provided.' },
    });
    expect(await call('GET', '/applications/', undefined, headers('nope'))).toMatchObject({
      status: 401,
      body: { detail: 'Invalid token.' },
    });
    expect(await call('GET', '/applications/', undefined, headers(KEY, 'elsewhere'))).toMatchObject({ status: 403 });
    const ok = await call('GET', '/applications/');
    expect(ok.status).toBe(200);
    expect((ok.body as { id: string }[]).some((app) => app.id === tableId)).toBe(true);
  });
});

describe('SmartSuite sandbox: records', () => {
  it('creates one record (201) and refuses one without its required title (422, field errors)', async () => {
    const created = await call('POST', `/applications/${tableId}/records/`, {
      title: 'Desk',
      price: '12.5',
      in_stock: false,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Desk', price: 12.5, application_id: tableId, autonumber: 1 });
    // Empty values are left out of records (false, "", []).
    expect(created.body).not.toHaveProperty('in_stock');
    expect(created.body).not.toHaveProperty('description');
    expect((created.body as { last_updated: { on: string } }).last_updated.on).toMatch(/\.\d{6}Z$/);

    const missing = await call('POST', `/applications/${tableId}/records/`, { description: 'no title' });
    expect(missing).toMatchObject({ status: 422, body: { title: ['This field is required.'] } });
    const badNumber = await call('POST', `/applications/${tableId}/records/`, { title: 'X', price: 'lots' });
    expect(badNumber).toMatchObject({ status: 422, body: { price: ['A valid number is required.'] } });
    expect(sandbox.tables.records(tableId)).toHaveLength(1);
  });

  it('pages with offset and limit (default 100, at most 1000) and reports the total', async () => {
    const bulk = Array.from({ length: 25 }, (_, i) => ({ title: `Item ${i}` }));
    for (let i = 0; i < 5; i++)
      expect((await call('POST', `/applications/${tableId}/records/bulk/`, { items: bulk })).status).toBe(201);
    const first = await records();
    expect(first.body).toMatchObject({ total: 125, offset: 0, limit: 100 });
    expect((first.body as { items: unknown[] }).items).toHaveLength(100);
    const rest = await records('?offset=100&limit=50');
    expect((rest.body as { items: unknown[] }).items).toHaveLength(25);
    expect(await records('?limit=1001')).toMatchObject({
      status: 400,
      body: { limit: ['Ensure this value is less than or equal to 1000.'] },
    });
  });

  it('filters and sorts by the body', async () => {
    for (const [title, price] of [
      ['Chair', 30],
      ['Desk', 120],
      ['Lamp', 15],
    ] as const) {
      sandbox.tables.create(tableId, { title, price });
    }
    const cheap = await records('', {
      filter: { operator: 'and', fields: [{ field: 'price', comparison: 'is_less_than', value: 100 }] },
      sort: [{ field: 'price', direction: 'desc' }],
    });
    expect((cheap.body as { items: { title: string }[] }).items.map((r) => r.title)).toEqual(['Chair', 'Lamp']);
    const today = new Date().toISOString().slice(0, 10);
    const changed = await records('', {
      filter: {
        operator: 'and',
        fields: [
          {
            field: 'last_updated',
            comparison: 'is_on_or_after',
            value: { date_mode: 'exact_date', date_mode_value: today },
          },
        ],
      },
    });
    expect((changed.body as { total: number }).total).toBe(3);
    expect(
      await records('', { filter: { operator: 'and', fields: [{ field: 'price', comparison: 'is_near', value: 1 }] } }),
    ).toMatchObject({ status: 400, body: { filter: ['Unknown comparison "is_near".'] } });
  });

  it('takes at most 25 records per bulk request, all or nothing, naming bad records by position', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `R${i}` }));
    expect(await call('POST', `/applications/${tableId}/records/bulk/`, { items: items(26) })).toMatchObject({
      status: 422,
      body: { items: ['Ensure this field has no more than 25 elements.'] },
    });
    const mixed = await call('POST', `/applications/${tableId}/records/bulk/`, {
      items: [{ title: 'ok' }, { price: 3 }, { title: 'ok too', status: 'Gone' }],
    });
    expect(mixed).toMatchObject({
      status: 422,
      body: { items: [{}, { title: ['This field is required.'] }, { status: ['"Gone" is not a valid choice.'] }] },
    });
    expect(sandbox.tables.records(tableId)).toHaveLength(0);

    const created = await call('POST', `/applications/${tableId}/records/bulk/`, { items: items(25) });
    expect(created.status).toBe(201);
    const ids = (created.body as { id: string }[]).map((r) => r.id);
    const updated = await call('PATCH', `/applications/${tableId}/records/bulk/`, {
      items: [
        { id: ids[0], price: 9, status: 'Live' },
        { id: ids[1], description: 'patched' },
      ],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject([
      { id: ids[0], title: 'R0', price: 9, status: 'status_2' },
      { id: ids[1], title: 'R1', description: 'patched' },
    ]);
    expect(
      await call('PATCH', `/applications/${tableId}/records/bulk/`, {
        items: [
          { id: ids[2], price: 1 },
          { id: 'missing', price: 2 },
        ],
      }),
    ).toMatchObject({ status: 422, body: { items: [{}, { id: ['Record not found.'] }] } });
    expect(sandbox.tables.record(tableId, ids[2]!)).not.toHaveProperty('price');
    expect(
      await call('PATCH', `/applications/${tableId}/records/bulk/`, { items: ids.concat('x').map((id) => ({ id })) }),
    ).toMatchObject({ status: 422 });
  });

  it('deletes in bulk into the trash: hidden from lists unless all=true, where deleted_date is set', async () => {
    const [a, b] = [sandbox.tables.create(tableId, { title: 'A' }), sandbox.tables.create(tableId, { title: 'B' })];
    const deleted = await call('PATCH', `/applications/${tableId}/records/bulk_delete/?fields=id`, {
      items: [a.id, 'not-there'],
    });
    expect(deleted).toMatchObject({ status: 200, body: [{ id: a.id }] });
    expect((await records()).body).toMatchObject({ total: 1, items: [{ id: b.id }] });
    const all = (await records('?all=true')).body as { items: { id: string; deleted_date?: { date: string } }[] };
    expect(all.items.find((r) => r.id === a.id)?.deleted_date?.date).toMatch(/Z$/);
    expect(all.items.find((r) => r.id === b.id)).not.toHaveProperty('deleted_date');
    expect(await call('GET', `/applications/${tableId}/records/${a.id as string}/`)).toMatchObject({ status: 404 });
    expect(await call('GET', `/applications/${tableId}/records/${b.id as string}/`)).toMatchObject({
      status: 200,
      body: { title: 'B' },
    });
  });

  it('describes the table: structure with slugs, types, required and choices', async () => {
    const app = await call('GET', `/applications/${tableId}/`);
    expect(app.status).toBe(200);
    expect(app.body).toMatchObject({ id: tableId, name: 'Products', primary_field: 'title' });
    const structure = (
      app.body as { structure: { slug: string; field_type: string; params: Record<string, unknown> }[] }
    ).structure;
    expect(structure.slice(0, 5).map((f) => [f.slug, f.field_type, f.params.required])).toEqual([
      ['title', 'recordtitlefield', true],
      ['description', 'textareafield', false],
      ['price', 'numberfield', false],
      ['status', 'singleselectfield', false],
      ['in_stock', 'yesnofield', false],
    ]);
    expect(structure[3]!.params.choices).toEqual([
      { value: 'status_1', label: 'Draft' },
      { value: 'status_2', label: 'Live' },
    ]);
    expect(await call('GET', '/applications/nope/')).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
  });
});

describe('SmartSuite sandbox: limits, faults, counters', () => {
  it('admits 5 requests per second per key, then 429s the key for the penalty (with Retry-After)', async () => {
    // A clock of our own: the window and the penalty pass when the test says so.
    let now = Date.parse('2024-05-01T12:00:00Z');
    const timed = createSmartSuiteSandbox({
      apiKey: [KEY, 'other-key'],
      accountId: ACCOUNT,
      clock: () => now,
      penaltyMs: 30_000,
    });
    const running = await timed.start();
    const get = async (key = KEY) => {
      const response = await fetch(`${running.url}/api/v1/applications/`, { headers: headers(key) });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as unknown,
      };
    };
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await get()).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      now += 10_000; // the 1-second window is long gone, the 30-second penalty is not
      expect(await get()).toEqual({
        status: 429,
        retryAfter: '20',
        body: { detail: 'Request was throttled. Expected available in 20 seconds.' },
      });
      // Another key has its own budget.
      expect((await get('other-key')).status).toBe(200);
      expect(timed.limiter.rejected).toBe(2);
      now += 20_000;
      expect((await get()).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('injects faults in the vendor shape and counts requests per route, writes apart', async () => {
    sandbox.faults.failNext(1, 'error', { status: 503 });
    expect(await call('GET', '/applications/')).toMatchObject({
      status: 503,
      body: { detail: 'A server error occurred.' },
    });
    sandbox.faults.failNext(1, 'rate_limit');
    const limited = await call('GET', '/applications/');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    await records();
    await call('POST', `/applications/${tableId}/records/bulk/`, { items: [{ title: 'x' }] });
    expect(sandbox.counters.byEndpoint()).toEqual({
      'POST /api/v1/applications/:tableId/records/list/': 1,
      'POST /api/v1/applications/:tableId/records/bulk/': 1,
    });
    expect(sandbox.writes.total).toBe(1);
  });
});

describe('SmartSuite sandbox: webhooks', () => {
  it('sends each change as a signed event naming the record, its event id as the idempotency key', async () => {
    const receiver = await startReceiver();
    try {
      sandbox.webhooks.configure({ url: receiver.url, secret: 'hook-secret' });
      const record = sandbox.tables.create(tableId, { title: 'Hooked' });
      sandbox.tables.update(tableId, record.id as string, { price: 5 });
      sandbox.tables.remove(tableId, record.id as string);
      await receiver.waitFor(3);
      const events = receiver.received.map(
        (delivery) => JSON.parse(delivery.rawBody.toString()) as Record<string, unknown>,
      );
      expect(events.map((event) => event.kind)).toEqual(['RECORD_CREATED', 'RECORD_UPDATED', 'RECORD_DELETED']);
      expect(events[0]).toMatchObject({
        locator: { account_id: ACCOUNT, solution_id: sandbox.solutionId },
        record_event_data: { record_id: record.id, locator: { application_id: tableId } },
      });
      for (const [i, delivery] of receiver.received.entries()) {
        const verified = verifySmartSuiteWebhook(
          { method: 'POST', url: delivery.url, headers: delivery.headers, rawBody: delivery.rawBody },
          'hook-secret',
        );
        expect(verified).toEqual({ ok: true, deliveryId: events[i]!.event_id });
        expect(delivery.headers[SMARTSUITE_WEBHOOK_HEADERS.event]).toBe(events[i]!.kind);
      }
      expect(
        verifySmartSuiteWebhook(
          { method: 'POST', url: '/', headers: receiver.received[0]!.headers, rawBody: receiver.received[0]!.rawBody },
          'another-secret',
        ),
      ).toEqual({ ok: false, reason: 'bad_signature' });
    } finally {
      await receiver.close();
    }
  });

  it('holds events until flushed, then sends them duplicated and shuffled', async () => {
    const receiver = await startReceiver();
    try {
      sandbox.webhooks.configure({ url: receiver.url, secret: 's', hold: true });
      for (let i = 0; i < 20; i++) sandbox.tables.create(tableId, { title: `Held ${i}` });
      expect(sandbox.webhooks.pending).toHaveLength(20);
      expect(receiver.received).toHaveLength(0);
      const results = await sandbox.webhooks.flush({ duplicate: 'all', reorder: true });
      expect(results).toHaveLength(40);
      expect(results.every((result) => result.ok)).toBe(true);
      const keys = receiver.received.map((d) => d.headers[SMARTSUITE_WEBHOOK_HEADERS.idempotencyKey] as string);
      const counts = new Map<string, number>();
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
      expect(counts.size).toBe(20);
      expect([...counts.values()].every((n) => n === 2)).toBe(true);
      const firstSeen = [...counts.keys()];
      const created = [...firstSeen].sort((a, b) => Number(a.split('.').at(-1)) - Number(b.split('.').at(-1)));
      expect(firstSeen).not.toEqual(created);
      expect(sandbox.webhooks.pending).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
