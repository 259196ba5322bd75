// Smartsheet connector on the official SDK (see ./client.ts for the SDK quirks). A resource's
// `object` is the sheet id; records are rows keyed by column title. Point `baseUrl` at the sandbox
// (`${sandbox.url}/2.0`) in tests, benchmarks and the demo.
import {
  ConnectorRequestError,
  type ChangePage,
  type Connector,
  type ExternalRecord,
  type ItemResult,
  type ListChangesOptions,
  type ResourceRef,
  type UpsertItem,
} from '../contract.ts';
import type { TRowInput, TSheet } from './api-types.ts';
import { SmartsheetApiClient } from './client.ts';
import { decodeSmartsheetCursor, encodeSmartsheetCursor } from './cursor.ts';
import { classifySmartsheetError } from './errors.ts';
import {
  SMARTSHEET_CURSOR_SAFETY_MARGIN_MS,
  SMARTSHEET_DELETE_CHUNK,
  SMARTSHEET_MAX_ROWS_PER_REQUEST,
  SMARTSHEET_ROW_ID_CHUNK,
  smartsheetLimits,
} from './limits.ts';
import {
  findColumn,
  parseRowId,
  smartsheetRowFromRecord,
  toColumnIndex,
  toExternalRecord,
  toFieldDescriptors,
  toRowResults,
  type ColumnIndex,
} from './mappers.ts';
import { parseSmartsheetWebhook, verifySmartsheetWebhook } from './webhooks.ts';
import { chunk } from '../bulk.ts';
import { timedConnectionTest } from '../connection-test.ts';

export interface SmartsheetConnectorOptions {
  accessToken: string;
  /** API root with the version (default https://api.smartsheet.com/2.0). */
  baseUrl?: string;
  requestsPerWindow?: number;
  windowMs?: number;
  /** Smartsheet-Change-Agent sent on our writes; their webhook echoes are skipped (default 'syncbridge'). */
  changeAgent?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** How far before a read's start the next incremental read begins (default 60 s). */
  cursorSafetyMarginMs?: number;
  /** Clock for cursors (tests share one with the sandbox). */
  now?: () => number;
}

function sheetIdOf(resource: ResourceRef): number {
  const id = parseRowId(resource.object.trim());
  if (id === null) {
    throw new ConnectorRequestError({ kind: 'invalid', message: `'${resource.object}' is not a Smartsheet sheet id` });
  }
  return id;
}

export function createSmartsheetConnector(options: SmartsheetConnectorOptions): Connector {
  const changeAgent = options.changeAgent ?? 'syncbridge';
  const client = new SmartsheetApiClient({
    accessToken: options.accessToken,
    baseUrl: options.baseUrl,
    changeAgent,
    timeoutMs: options.timeoutMs,
  });
  const limits = smartsheetLimits(options);
  const now = options.now ?? Date.now;
  const margin = options.cursorSafetyMarginMs ?? SMARTSHEET_CURSOR_SAFETY_MARGIN_MS;
  // Columns by sheet, matched by title once and reused; refreshed by every Get Sheet and whenever
  // a write names a title the cache does not know (the sheet may have gained the column).
  const columnCache = new Map<number, ColumnIndex>();

  function remember(sheetId: number, sheet: TSheet): ColumnIndex {
    const index = toColumnIndex(sheet.columns);
    if (sheet.columns.length > 0) columnCache.set(sheetId, index);
    return index;
  }

  async function columnsFor(sheetId: number, refresh = false): Promise<ColumnIndex> {
    const cached = columnCache.get(sheetId);
    if (cached && !refresh) return cached;
    const index = toColumnIndex(await client.getColumns(sheetId));
    columnCache.set(sheetId, index);
    return index;
  }

  /** Columns that know every title these items use (one refresh when some title is unknown). */
  async function columnsForItems(sheetId: number, items: readonly UpsertItem[], keyField?: string | null) {
    const index = await columnsFor(sheetId);
    const titles = new Set(items.flatMap((item) => Object.keys(item.fields)));
    if (keyField) titles.add(keyField);
    const unknown = [...titles].some((title) => !findColumn(index, title));
    return unknown ? columnsFor(sheetId, true) : index;
  }

  /**
   * Sends requests one after another (one writer per sheet). A request that fails before anything
   * succeeded is thrown, so the engine retries the batch as a unit; after a success, the items not
   * yet answered fail with the classified error instead, so no success is lost.
   */
  async function sendInOrder<T extends { internalId: string }>(
    parts: T[][],
    send: (part: T[]) => Promise<ItemResult[]>,
  ): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    for (const [position, part] of parts.entries()) {
      try {
        results.push(...(await send(part)));
      } catch (error) {
        if (results.length === 0) throw error;
        const failure = classifySmartsheetError(error);
        for (const item of parts.slice(position).flat())
          results.push({ internalId: item.internalId, ok: false, error: failure });
        break;
      }
    }
    return results;
  }

  async function upsertBatch(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    if (items.length === 0) return [];
    const sheetId = sheetIdOf(resource);
    const index = await columnsForItems(sheetId, items, resource.keyField);
    const results: (ItemResult | undefined)[] = items.map(() => undefined);
    type Pending = { position: number; internalId: string; row: TRowInput };
    const creates: Pending[] = [];
    const updates: Pending[] = [];
    items.forEach((item, position) => {
      const outcome = smartsheetRowFromRecord(item, index, resource);
      if (!outcome.ok) results[position] = { internalId: item.internalId, ok: false, error: outcome.error };
      else
        (item.externalId === null ? creates : updates).push({
          position,
          internalId: item.internalId,
          row: outcome.row,
        });
    });
    // Creates (Add Rows) first, then updates (Update Rows), at most 500 rows a request, one at a time.
    const parts = [
      ...chunk(creates, SMARTSHEET_MAX_ROWS_PER_REQUEST).map((part) => ({ part, add: true })),
      ...chunk(updates, SMARTSHEET_MAX_ROWS_PER_REQUEST).map((part) => ({ part, add: false })),
    ];
    const sent = await sendInOrder(
      parts.map(({ part }) => part),
      async (part) => {
        const rows = part.map((entry) => entry.row);
        const add = parts.find((candidate) => candidate.part === part)?.add;
        return toRowResults(part, add ? await client.addRows(sheetId, rows) : await client.updateRows(sheetId, rows));
      },
    );
    // sendInOrder answers every sent item, in the order sent.
    const order = parts.flatMap(({ part }) => part);
    sent.forEach((result, i) => {
      results[(order[i] as Pending).position] = result;
    });
    return results as ItemResult[];
  }

  async function* listChanges(
    resource: ResourceRef,
    cursor: string | null,
    listOptions: ListChangesOptions = {},
  ): AsyncGenerator<ChangePage> {
    const sheetId = sheetIdOf(resource);
    const since = cursor && !listOptions.full ? decodeSmartsheetCursor(cursor) : null;
    const started = now();
    const sheet = await client.getSheet(sheetId, since ? { rowsModifiedSince: since } : {}, listOptions.signal);
    const index = remember(sheetId, sheet);
    const page: ChangePage = {
      records: sheet.rows.map((row) => toExternalRecord(row, index)),
      // Incremental reads cannot see deletions: webhooks and full reads (fullReadComplete) do.
      deletedIds: [],
      nextCursor: encodeSmartsheetCursor(started - margin),
    };
    if (!since) page.fullReadComplete = true;
    yield page;
  }

  async function getRecords(resource: ResourceRef, externalIds: string[]): Promise<ExternalRecord[]> {
    const sheetId = sheetIdOf(resource);
    const ids = [...new Set(externalIds.map(parseRowId).filter((id): id is number => id !== null))];
    const records: ExternalRecord[] = [];
    for (const part of chunk(ids, SMARTSHEET_ROW_ID_CHUNK)) {
      const sheet = await client.getSheet(sheetId, { rowIds: part });
      const index = remember(sheetId, sheet);
      records.push(...sheet.rows.map((row) => toExternalRecord(row, index)));
    }
    return records;
  }

  async function findByKeys(resource: ResourceRef, internalIds: string[]): Promise<Map<string, string>> {
    if (!resource.keyField) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: 'findByKeys needs resource.keyField (a column title)',
      });
    }
    const sheetId = sheetIdOf(resource);
    const column = findColumn(await columnsFor(sheetId), resource.keyField);
    if (!column) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `sheet ${resource.object} has no column titled '${resource.keyField}'`,
      });
    }
    // One read of the key column only, filtered here: Smartsheet has no server-side cell filter.
    const sheet = await client.getSheet(sheetId, { columnIds: [column.id] });
    const wanted = new Set(internalIds);
    const found = new Map<string, string>();
    for (const row of sheet.rows) {
      const value = row.cells.find((cell) => cell.columnId === column.id)?.value;
      const key = value === null || value === undefined ? null : String(value);
      if (key !== null && wanted.has(key) && !found.has(key)) found.set(key, String(row.id));
    }
    return found;
  }

  return {
    type: 'SMARTSHEET',
    limits,

    testConnection: () =>
      timedConnectionTest(async () => {
        await client.currentUser();
        return { ok: true, apiVersion: '2.0' };
      }, classifySmartsheetError),

    listChanges,
    getRecords,
    findByKeys,
    upsertBatch,

    async deleteBatch(resource, items) {
      if (items.length === 0) return [];
      const sheetId = sheetIdOf(resource);
      const results: (ItemResult | undefined)[] = items.map(() => undefined);
      const valid: { position: number; internalId: string; externalId: string; id: number }[] = [];
      items.forEach((item, position) => {
        const id = parseRowId(item.externalId);
        if (id !== null) valid.push({ position, internalId: item.internalId, externalId: item.externalId, id });
        else {
          results[position] = {
            internalId: item.internalId,
            ok: false,
            error: { kind: 'invalid', message: `'${item.externalId}' is not a Smartsheet row id` },
          };
        }
      });
      // ignoreRowsNotFound: a row already gone counts as deleted (deletes are retried after lost responses).
      const sent = await sendInOrder(chunk(valid, SMARTSHEET_DELETE_CHUNK), async (part) => {
        await client.deleteRows(
          sheetId,
          part.map((item) => item.id),
        );
        return part.map((item): ItemResult => ({ internalId: item.internalId, ok: true, externalId: item.externalId }));
      });
      sent.forEach((result, i) => {
        results[(valid[i] as (typeof valid)[number]).position] = result;
      });
      return results as ItemResult[];
    },

    async discoverFields(resource) {
      return toFieldDescriptors((await columnsFor(sheetIdOf(resource), true)).columns);
    },

    verifyWebhook: (request, secret) => verifySmartsheetWebhook(request, secret),
    parseWebhook: (request) => parseSmartsheetWebhook(request, changeAgent),
    classifyError: classifySmartsheetError,
  };
}

export { classifySmartsheetError } from './errors.ts';
export {
  parseSmartsheetWebhook,
  signSmartsheetCallback,
  smartsheetChallengeResponse,
  verifySmartsheetWebhook,
  SMARTSHEET_WEBHOOK_HEADERS,
} from './webhooks.ts';
export { smartsheetLimits } from './limits.ts';
