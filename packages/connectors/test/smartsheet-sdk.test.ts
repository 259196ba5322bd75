// The official `smartsheet` SDK, unchanged (its own axios requestor), against the sandbox over real
// HTTP: the sandbox must speak the API well enough for the vendor's client.
import { createHmac } from 'node:crypto';
import express from 'express';
import { createClient } from 'smartsheet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmartsheetSandbox, type SmartsheetSandbox } from '../src/smartsheet/sandbox/index.ts';
import { startSandbox, type SandboxServer } from '../src/sandbox-kit/server.ts';

const TOKEN = 'sdk-token';
let sandbox: SmartsheetSandbox;
let server: SandboxServer;
let sheetId: number;
let columns: Record<string, number>;

/* eslint-disable @typescript-eslint/no-explicit-any -- the SDK types `client.sheets` as any */
function sdk(options: { retries?: boolean; token?: string } = {}): any {
  return createClient({
    accessToken: options.token ?? TOKEN,
    baseUrl: `${server.url}/2.0/`,
    // The SDK retries 4001–4004 for 15 s by default; tests want the raw answer unless asked.
    calcRetryBackoff: options.retries ? (n: number) => (n < 3 ? 5 : -1) : () => -1,
  });
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  sandbox = createSmartsheetSandbox({ accessToken: TOKEN, windowMs: 60_000 });
  server = await sandbox.start();
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.limiter.reset();
  sandbox.limiter.configure({ requestsPerWindow: 300 });
  const sheet = sandbox.sheets.createSheet({
    name: 'User Registrations',
    columns: [
      'User ID',
      'Full Name',
      { title: 'Registration Date', type: 'DATE' },
      { title: 'Messaging Enabled', type: 'CHECKBOX' },
    ],
  });
  sheetId = sheet.id;
  columns = Object.fromEntries(sheet.columns.map((column) => [column.title, column.id]));
});

const row = (id: string, name: string) => ({
  toBottom: true,
  cells: [
    { columnId: columns['User ID'], value: id },
    { columnId: columns['Full Name'], value: name },
  ],
});

describe('Smartsheet SDK against the sandbox', () => {
  it('gets columns and the sheet, with rowsModifiedSince, rowIds and columnIds filters', async () => {
    const client = sdk();
    const page = await client.sheets.getColumns({ sheetId, queryParameters: { includeAll: true } });
    expect(page).toMatchObject({ totalCount: 4, pageNumber: 1 });
    expect(page.data.map((column: any) => [column.title, column.type, column.index, column.primary ?? false])).toEqual([
      ['User ID', 'TEXT_NUMBER', 0, true],
      ['Full Name', 'TEXT_NUMBER', 1, false],
      ['Registration Date', 'DATE', 2, false],
      ['Messaging Enabled', 'CHECKBOX', 3, false],
    ]);
    const added = await client.sheets.addRows({ sheetId, body: [row('u1', 'Ada'), row('u2', 'Grace')] });
    const sheet = await client.sheets.getSheet({ sheetId });
    expect(sheet).toMatchObject({ id: sheetId, name: 'User Registrations', version: 2, totalRowCount: 2 });
    expect(sheet.rows[0]).toMatchObject({
      id: added.result[0].id,
      rowNumber: 1,
      modifiedAt: expect.stringMatching(/^\d{4}-.*\d{2}Z$/),
    });
    expect(sheet.rows[0].cells).toEqual([
      { columnId: columns['User ID'], value: 'u1', displayValue: 'u1' },
      { columnId: columns['Full Name'], value: 'Ada', displayValue: 'Ada' },
      { columnId: columns['Registration Date'] },
      { columnId: columns['Messaging Enabled'] },
    ]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await client.sheets.getSheet({ sheetId, queryParameters: { rowsModifiedSince: future } })).rows).toEqual(
      [],
    );
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await client.sheets.getSheet({ sheetId, queryParameters: { rowsModifiedSince: past } })).rows).toHaveLength(
      2,
    );
    const narrow = await client.sheets.getSheet({
      sheetId,
      queryParameters: { rowIds: String(added.result[1].id), columnIds: String(columns['Full Name']) },
    });
    expect(narrow.rows.map((r: any) => r.cells)).toEqual([
      [{ columnId: columns['Full Name'], value: 'Grace', displayValue: 'Grace' }],
    ]);
    expect(await rejection(client.sheets.getSheet({ sheetId: 1234567890123456 }))).toMatchObject({
      statusCode: 404,
      errorCode: 1006,
    });
    expect(
      await rejection(client.sheets.getSheet({ sheetId, queryParameters: { rowsModifiedSince: 'yesterday' } })),
    ).toMatchObject({
      statusCode: 400,
      errorCode: 1018,
    });
  });

  it('adds and updates rows with partial success, all-or-nothing without it', async () => {
    const client = sdk();
    const bad = { toBottom: true, cells: [{ columnId: columns['Full Name'], value: '__invalid__' }] };
    const partial = await client.sheets.addRows({
      sheetId,
      body: [row('u1', 'Ada'), bad, row('u3', 'Lin')],
      queryParameters: { allowPartialSuccess: true },
    });
    expect(partial).toMatchObject({ message: 'PARTIAL_SUCCESS', resultCode: 3, version: 2 });
    expect(partial.result).toHaveLength(2);
    expect(partial.failedItems).toEqual([
      {
        index: 1,
        error: { errorCode: 1042, message: expect.stringContaining('__invalid__'), refId: expect.any(String) },
      },
    ]);
    const whole = await rejection(client.sheets.addRows({ sheetId, body: [row('u4', 'Kay'), bad] }));
    expect(whole).toMatchObject({ statusCode: 400, errorCode: 1042, detail: { index: 1 } });
    expect(sandbox.sheets.readRows(sheetId).map((r) => r.values['User ID'])).toEqual(['u1', 'u3']);

    const [ada, lin] = partial.result.map((r: any) => r.id);
    const updated = await client.sheets.updateRow({
      sheetId,
      queryParameters: { allowPartialSuccess: true },
      body: [
        {
          id: ada,
          cells: [
            { columnId: columns['Messaging Enabled'], value: true },
            { columnId: columns['Registration Date'], value: '2025-03-01' },
          ],
        },
        { id: lin, cells: [{ columnId: columns['Messaging Enabled'], value: 'yes' }] },
        { id: 1111111111111111, cells: [{ columnId: columns['Full Name'], value: 'ghost' }] },
      ],
    });
    expect(updated).toMatchObject({ message: 'PARTIAL_SUCCESS', resultCode: 3, result: [{ id: ada }] });
    expect(updated.failedItems.map((f: any) => [f.index, f.rowId, f.error.errorCode])).toEqual([
      [1, lin, 1042],
      [2, 1111111111111111, 1006],
    ]);
    expect(sandbox.sheets.readRows(sheetId)[0]!.values).toMatchObject({
      'Messaging Enabled': true,
      'Registration Date': '2025-03-01',
    });
    const tooMany = Array.from({ length: 501 }, (_, i) => row(`x${i}`, 'X'));
    expect(await rejection(client.sheets.addRows({ sheetId, body: tooMany }))).toMatchObject({
      statusCode: 400,
      errorCode: 1061,
    });
  });

  it('deletes rows by ids, ignoring missing ones only when asked', async () => {
    const client = sdk();
    const ids = sandbox.sheets.insertRows(sheetId, [{ 'User ID': 'a' }, { 'User ID': 'b' }, { 'User ID': 'c' }]);
    const missing = 2222222222222222;
    expect(
      await rejection(client.sheets.deleteRows({ sheetId, queryParameters: { ids: [ids[0], missing] } })),
    ).toMatchObject({
      statusCode: 404,
      errorCode: 1006,
    });
    const deleted = await client.sheets.deleteRows({
      sheetId,
      queryParameters: { ids: [ids[0], ids[2], missing], ignoreRowsNotFound: true },
    });
    expect(deleted).toMatchObject({ message: 'SUCCESS', resultCode: 0, result: [ids[0], ids[2]] });
    expect(sandbox.sheets.readRows(sheetId).map((r) => r.id)).toEqual([ids[1]]);
  });

  it('answers 401 (1001/1002), 403 (1004) and 429 (4003) the way the API does', async () => {
    expect(await rejection(sdk({ token: 'wrong' }).sheets.getSheet({ sheetId }))).toMatchObject({
      statusCode: 401,
      errorCode: 1002,
    });
    const anonymous = await fetch(`${server.url}/2.0/sheets/${sheetId}`);
    expect([anonymous.status, ((await anonymous.json()) as { errorCode: number }).errorCode]).toEqual([401, 1001]);
    sandbox.limiter.configure({ requestsPerWindow: 2 });
    const client = sdk();
    await client.sheets.getColumns({ sheetId });
    await client.sheets.getColumns({ sheetId });
    const limited = await fetch(`${server.url}/2.0/sheets/${sheetId}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      errorCode: 4003,
      message: 'Rate limit exceeded.',
      refId: expect.any(String),
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(await rejection(client.sheets.getSheet({ sheetId }))).toMatchObject({
      statusCode: 429,
      errorCode: 4003,
      message: 'Rate limit exceeded.',
    });
  });

  it('lets the SDK retry an injected 4003 with its own backoff', async () => {
    sandbox.faults.failNext(1, 'rate_limit');
    const sheet = await sdk({ retries: true }).sheets.getSheet({ sheetId });
    expect(sheet.id).toBe(sheetId);
    expect(sandbox.faults.injected.rate_limit).toBeGreaterThanOrEqual(1);
  });

  it('refuses a write that overlaps another write to the same sheet with 4004', async () => {
    const client = sdk();
    const hold = sandbox.locks.holdNextWrite(sheetId);
    const first = client.sheets.addRows({ sheetId, body: [row('first', 'A')] });
    await hold.arrived;
    const second = await rejection(client.sheets.updateRow({ sheetId, body: [{ id: 1, cells: [] }] }));
    expect(second).toMatchObject({
      statusCode: 500,
      errorCode: 4004,
      message: expect.stringContaining('currently being updated'),
    });
    hold.release();
    expect(await first).toMatchObject({ resultCode: 0, result: [{ cells: expect.any(Array) }] });
    // Reads are never blocked, and writes to other sheets neither.
    expect((await client.sheets.getSheet({ sheetId })).rows).toHaveLength(1);
  });
});

describe('Smartsheet SDK webhooks against the sandbox', () => {
  it('creates disabled, verifies on enable, then sends signed skinny callbacks', async () => {
    const received: { headers: Record<string, unknown>; raw: string }[] = [];
    const app = express();
    app.post('/hook', express.raw({ type: '*/*' }), (req, res) => {
      const challenge = req.get('smartsheet-hook-challenge');
      if (challenge) {
        res.set('Smartsheet-Hook-Response', challenge).json({ smartsheetHookResponse: challenge });
        return;
      }
      received.push({ headers: req.headers, raw: (req.body as Buffer).toString('utf8') });
      res.status(200).end();
    });
    const receiver = await startSandbox(app);
    try {
      const client = sdk();
      const created = await client.webhooks.createWebhook({
        body: {
          name: 'rows',
          callbackUrl: `${receiver.url}/hook`,
          scope: 'sheet',
          scopeObjectId: sheetId,
          events: ['*.*'],
          version: 1,
        },
      });
      expect(created).toMatchObject({
        message: 'SUCCESS',
        resultCode: 0,
        result: { enabled: false, status: 'NEW_NOT_VERIFIED' },
      });
      const { id: webhookId, sharedSecret } = created.result;
      expect(sharedSecret).toMatch(/^[a-z0-9]{26}$/);
      const enabled = await client.webhooks.updateWebhook({ webhookId, body: { enabled: true } });
      expect(enabled.result).toMatchObject({ enabled: true, status: 'ENABLED' });
      expect(sandbox.webhooks.verifications.at(-1)).toMatchObject({ webhookId, ok: true });
      expect(await client.webhooks.getWebhook({ webhookId })).toMatchObject({ id: webhookId, enabled: true });

      const added = await client.sheets.addRows({
        sheetId,
        body: [row('u1', 'Ada')],
        customProperties: { 'Smartsheet-Change-Agent': 'syncbridge' },
      });
      await sandbox.webhooks.idle();
      expect(received).toHaveLength(1);
      const { headers, raw } = received[0]!;
      expect(headers['smartsheet-hmac-sha256']).toBe(createHmac('sha256', sharedSecret).update(raw).digest('hex'));
      const callback = JSON.parse(raw);
      expect(callback).toMatchObject({ webhookId, scope: 'sheet', scopeObjectId: sheetId, nonce: expect.any(String) });
      expect(callback.events).toContainEqual(
        expect.objectContaining({
          objectType: 'row',
          eventType: 'created',
          id: added.result[0].id,
          changeAgent: 'syncbridge',
        }),
      );
      expect(callback.events.some((event: any) => 'cells' in event || 'value' in event)).toBe(false);

      const failing = await client.webhooks.createWebhook({
        body: {
          name: 'deaf',
          callbackUrl: `${receiver.url}/nowhere`,
          scope: 'sheet',
          scopeObjectId: sheetId,
          events: ['*.*'],
          version: 1,
        },
      });
      const refused = await client.webhooks.updateWebhook({ webhookId: failing.result.id, body: { enabled: true } });
      expect(refused.result).toMatchObject({ enabled: false, status: 'DISABLED_VERIFICATION_FAILED' });
      expect(
        await rejection(
          client.webhooks.createWebhook({
            body: {
              name: 'x',
              callbackUrl: `${receiver.url}/hook`,
              scope: 'sheet',
              scopeObjectId: 42,
              events: ['*.*'],
              version: 1,
            },
          }),
        ),
      ).toMatchObject({
        statusCode: 400,
        errorCode: 1151,
      });
      expect((await client.webhooks.listWebhooks({})).data.map((hook: any) => hook.id)).toContain(webhookId);
      expect(await client.webhooks.deleteWebhook({ webhookId })).toMatchObject({ resultCode: 0 });
    } finally {
      await receiver.close();
    }
  });
});
