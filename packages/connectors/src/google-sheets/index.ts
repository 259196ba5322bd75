// Connector for Google Sheets (API v4, through googleapis). A resource is one tab of one
// spreadsheet: `object` is the spreadsheet id, `options.sheet` the tab title (default: the first
// tab) and `keyField` the header of the key column (e.g. "Email"). A record's id is its key value.
// Sheets has no change cursor: every listChanges is a full read of the tab; the engine diffs by hash
// and infers deletes from the completed read.
import {
  ConnectorRequestError,
  type ChangePage,
  type Connector,
  type ConnectorError,
  type ItemResult,
  type ListChangesOptions,
  type ResourceRef,
  type UpsertItem,
} from '../contract.ts';
import { columnRange, rowCellsRange, rowsRange, sheetRange } from './a1.ts';
import { SheetsClient, type SheetsClientOptions, type ValueRangeInput } from './client.ts';
import { toSheetFieldDescriptors } from './discovery.ts';
import { classifySheetsError } from './errors.ts';
import { SHEETS_DEFAULT_MAX_REQUEST_BYTES, SHEETS_DEFAULT_PAGE_SIZE, sheetsLimits } from './limits.ts';
import {
  chunkBySize,
  jsonBytes,
  keyColumnMissing,
  planSheetUpsert,
  rowRunsBottomUp,
  toKey,
  toRowsByKey,
  toSheetHeader,
  toSheetRecords,
  type PlannedRow,
  type SheetReadWarning,
} from './mappers.ts';
import { parseSheetsWebhook, verifySheetsWebhook } from './webhooks.ts';

export interface GoogleSheetsConnectorOptions extends SheetsClientOptions {
  /** Read / write requests per window per user (Google: 60 per minute each). */
  readsPerWindow?: number;
  writesPerWindow?: number;
  windowMs?: number;
  /** Rows per upsert/delete call (default 1000). */
  maxBatchSize?: number;
  /** Records per listChanges page (default 1000). */
  pageSize?: number;
  /** Largest request body the connector builds (default 2 000 000 bytes, under Google's 2 MB advice). */
  maxRequestBytes?: number;
  /** Spreadsheet testConnection opens; without one it probes a spreadsheet that does not exist. */
  testSpreadsheetId?: string;
  /** Called for every row a read skipped (no key, or a key seen on an earlier row). */
  onWarning?: (warning: SheetReadWarning & { spreadsheetId: string; sheet: string }) => void;
}

/** A page of a Sheets read; the last page carries the rows the read skipped. */
export interface SheetsChangePage extends ChangePage {
  warnings?: SheetReadWarning[];
}

interface Tab {
  title: string;
  sheetId: number | null;
}

/** Room for the request envelope around the rows. */
const ENVELOPE_BYTES = 1024;
const PROBE_SPREADSHEET_ID = 'syncbridge-connection-test';

function target(resource: ResourceRef): { spreadsheetId: string; keyField: string; sheet: string | null } {
  const keyField = resource.keyField?.trim();
  if (!resource.object)
    throw new ConnectorRequestError({ kind: 'invalid', message: 'resource.object must be a spreadsheet id' });
  if (!keyField) {
    throw new ConnectorRequestError({
      kind: 'invalid',
      message: 'a Google Sheets resource needs keyField: the header of its key column',
    });
  }
  const sheet = resource.options?.sheet;
  if (sheet !== undefined && (typeof sheet !== 'string' || !sheet)) {
    throw new ConnectorRequestError({ kind: 'invalid', message: 'resource.options.sheet must be a tab title' });
  }
  return { spreadsheetId: resource.object, keyField, sheet: sheet ?? null };
}

export function createGoogleSheetsConnector(options: GoogleSheetsConnectorOptions): Connector {
  const client = new SheetsClient(options);
  const limits = sheetsLimits(options);
  const pageSize = Math.max(1, options.pageSize ?? SHEETS_DEFAULT_PAGE_SIZE);
  const budget = (options.maxRequestBytes ?? SHEETS_DEFAULT_MAX_REQUEST_BYTES) - ENVELOPE_BYTES;
  /** Tabs per spreadsheet, from spreadsheets.get; dropped when a request about it fails as invalid. */
  const tabs = new Map<string, Tab[]>();
  /** Last seen column of each key field, so the key column is usually read with the header. */
  const keyColumns = new Map<string, number>();

  async function guarded<T>(spreadsheetId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // A renamed or deleted tab, or deleted columns, show up as 400/404: forget what was learnt
      // about this spreadsheet and look it up again next time.
      if (error instanceof ConnectorRequestError && error.kind === 'invalid') {
        tabs.delete(spreadsheetId);
        for (const key of keyColumns.keys()) if (key.startsWith(`${spreadsheetId}\u0000`)) keyColumns.delete(key);
      }
      throw error;
    }
  }

  async function resolveTab(
    spreadsheetId: string,
    sheet: string | null,
    needSheetId: boolean,
    signal?: AbortSignal,
  ): Promise<Tab> {
    if (sheet !== null && !needSheetId) return { title: sheet, sheetId: null };
    let known = tabs.get(spreadsheetId);
    if (!known) {
      const data = await client.spreadsheet(spreadsheetId, signal);
      known = (data.sheets ?? []).map((entry) => ({
        title: entry.properties?.title ?? '',
        sheetId: entry.properties?.sheetId ?? 0,
      }));
      tabs.set(spreadsheetId, known);
    }
    const tab =
      sheet === null ? known[0] : known.find((candidate) => candidate.title.toLowerCase() === sheet.toLowerCase());
    if (!tab) {
      tabs.delete(spreadsheetId);
      throw new ConnectorRequestError({
        kind: 'invalid',
        code: 'sheet_not_found',
        message: `spreadsheet ${spreadsheetId} has no tab "${sheet}"`,
      });
    }
    return tab;
  }

  /** Header and key column in one batchGet (two reads when the key column moved since last time). */
  async function readKeys(spreadsheetId: string, tab: Tab, keyField: string) {
    const cacheKey = `${spreadsheetId}\u0000${tab.title}\u0000${keyField}`;
    const guess = keyColumns.get(cacheKey) ?? 0;
    const [headerRange, guessed] = await client.batchValues(spreadsheetId, [
      rowsRange(tab.title, 1),
      columnRange(tab.title, guess),
    ]);
    const header = toSheetHeader(headerRange?.values?.[0]);
    const keyColumn = header.columns.get(keyField);
    if (keyColumn === undefined) throw keyColumnMissing(keyField, header, tab.title);
    keyColumns.set(cacheKey, keyColumn);
    const column =
      keyColumn === guess ? guessed : await client.values(spreadsheetId, columnRange(tab.title, keyColumn));
    return { header, rowsByKey: toRowsByKey((column?.values ?? []).slice(1), 2) };
  }

  async function readTab(resource: ResourceRef, signal?: AbortSignal) {
    const { spreadsheetId, keyField, sheet } = target(resource);
    return guarded(spreadsheetId, async () => {
      const tab = await resolveTab(spreadsheetId, sheet, false, signal);
      const response = await client.values(spreadsheetId, sheetRange(tab.title), signal);
      return { spreadsheetId, tab, read: toSheetRecords(response.values ?? [], keyField, tab.title) };
    });
  }

  async function* listChanges(
    resource: ResourceRef,
    _cursor: string | null,
    listOptions: ListChangesOptions = {},
  ): AsyncGenerator<SheetsChangePage> {
    const { spreadsheetId, tab, read } = await readTab(resource, listOptions.signal);
    for (const warning of read.warnings) options.onWarning?.({ ...warning, spreadsheetId, sheet: tab.title });
    const pages = chunkBySize(read.records, () => 1, pageSize);
    if (pages.length === 0) pages.push([]);
    for (const [index, records] of pages.entries()) {
      const last = index === pages.length - 1;
      yield {
        records,
        deletedIds: [],
        nextCursor: null,
        ...(last ? { fullReadComplete: true, ...(read.warnings.length > 0 ? { warnings: read.warnings } : {}) } : {}),
      };
    }
  }

  /**
   * Sends requests one after another. The first failure is thrown when nothing was written yet (the
   * engine retries the batch); after a success, the items not yet written fail with it instead.
   */
  async function sendAll(
    jobs: { items: number[]; send: () => Promise<unknown> }[],
    items: readonly UpsertItem[],
    results: (ItemResult | undefined)[],
    keys: string[],
  ) {
    let written = false;
    for (const [position, job] of jobs.entries()) {
      try {
        await job.send();
        written = true;
        for (const index of job.items)
          results[index] = {
            internalId: (items[index] as UpsertItem).internalId,
            ok: true,
            externalId: keys[index] as string,
            updatedAt: null,
          };
      } catch (error) {
        if (!written) throw error;
        const failure: ConnectorError = classifySheetsError(error);
        for (const pending of jobs.slice(position)) {
          for (const index of pending.items)
            results[index] = { internalId: (items[index] as UpsertItem).internalId, ok: false, error: failure };
        }
        return;
      }
    }
  }

  async function upsertBatch(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    if (items.length === 0) return [];
    const { spreadsheetId, keyField, sheet } = target(resource);
    return guarded(spreadsheetId, async () => {
      const tab = await resolveTab(spreadsheetId, sheet, false);
      const { header, rowsByKey } = await readKeys(spreadsheetId, tab, keyField);
      const plan = planSheetUpsert(items, header, keyField, rowsByKey);
      const results: (ItemResult | undefined)[] = new Array(items.length);
      const keys: string[] = [];
      const fail = (indexes: number[], error: ConnectorError) => {
        for (const index of indexes)
          results[index] = { internalId: (items[index] as UpsertItem).internalId, ok: false, error };
      };
      for (const [index, error] of plan.failures) fail([index], error);
      for (const row of [...plan.updates, ...plan.appends]) for (const index of row.items) keys[index] = row.key;
      const tooLarge = (row: PlannedRow) =>
        fail(row.items, {
          kind: 'invalid',
          code: 'row_too_large',
          message: `the row is larger than one request may carry (${budget} bytes)`,
        });

      const ranges: { items: number[]; range: ValueRangeInput }[] = [];
      for (const update of plan.updates) {
        const first = update.cells.findIndex((cell) => cell !== null);
        const last = update.cells.findLastIndex((cell) => cell !== null);
        const range = {
          range: rowCellsRange(tab.title, update.row, first, last),
          values: [update.cells.slice(first, last + 1)],
        };
        if (jsonBytes(range) > budget) tooLarge(update);
        else ranges.push({ items: update.items, range });
      }
      const rows: { items: number[]; cells: ValueRangeInput['values'][number] }[] = [];
      for (const append of plan.appends) {
        const cells = append.cells.slice(0, append.cells.findLastIndex((cell) => cell !== null) + 1);
        if (jsonBytes(cells) > budget) tooLarge(append);
        else rows.push({ items: append.items, cells });
      }
      const jobs = [
        ...chunkBySize(ranges, (entry) => jsonBytes(entry.range), budget).map((chunk) => ({
          items: chunk.flatMap((entry) => entry.items),
          send: () =>
            client.batchUpdateValues(
              spreadsheetId,
              chunk.map((entry) => entry.range),
            ),
        })),
        ...chunkBySize(rows, (entry) => jsonBytes(entry.cells), budget).map((chunk) => ({
          items: chunk.flatMap((entry) => entry.items),
          send: () =>
            client.append(
              spreadsheetId,
              `${sheetRange(tab.title)}!A1`,
              chunk.map((entry) => entry.cells),
            ),
        })),
      ];
      await sendAll(jobs, items, results, keys);
      return results.map(
        (result, index) =>
          result ?? {
            internalId: (items[index] as UpsertItem).internalId,
            ok: false,
            error: { kind: 'retryable', message: 'not sent' },
          },
      );
    });
  }

  return {
    type: 'GOOGLE_SHEETS',
    limits,

    async testConnection() {
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      try {
        const data = await client.spreadsheet(options.testSpreadsheetId ?? PROBE_SPREADSHEET_ID);
        return {
          ok: true,
          latencyMs: latency(),
          apiVersion: 'v4',
          message: `opened "${data.properties?.title ?? ''}"`,
        };
      } catch (error) {
        const failure = classifySheetsError(error);
        // Without a spreadsheet to open, a 404 for a made-up id proves the credentials were accepted.
        if (!options.testSpreadsheetId && failure.status === 404)
          return { ok: true, latencyMs: latency(), apiVersion: 'v4', message: 'credentials accepted' };
        return { ok: false, latencyMs: latency(), message: `${failure.kind}: ${failure.message}`, error: failure };
      }
    },

    listChanges,

    async getRecords(resource, externalIds) {
      const wanted = new Set(externalIds.map(toKey).filter((key): key is string => key !== null));
      const { read } = await readTab(resource);
      return read.records.filter((record) => wanted.has(record.id));
    },

    async findByKeys(resource, internalIds) {
      const { spreadsheetId, keyField, sheet } = target(resource);
      return guarded(spreadsheetId, async () => {
        const tab = await resolveTab(spreadsheetId, sheet, false);
        const { rowsByKey } = await readKeys(spreadsheetId, tab, keyField);
        const found = new Map<string, string>();
        for (const id of internalIds) {
          const key = toKey(id);
          if (key !== null && rowsByKey.has(key)) found.set(id, key);
        }
        return found;
      });
    },

    upsertBatch,

    async deleteBatch(resource, items) {
      if (items.length === 0) return [];
      const { spreadsheetId, keyField, sheet } = target(resource);
      return guarded(spreadsheetId, async () => {
        const tab = await resolveTab(spreadsheetId, sheet, true);
        const { rowsByKey } = await readKeys(spreadsheetId, tab, keyField);
        // Every row holding the key goes (a repeated key is one record to the connector).
        const rows = items.flatMap((item) => rowsByKey.get(toKey(item.externalId) ?? '') ?? []);
        if (rows.length > 0) await client.deleteRows(spreadsheetId, tab.sheetId ?? 0, rowRunsBottomUp(rows));
        // Rows already gone count as deleted.
        return items.map((item): ItemResult => ({
          internalId: item.internalId,
          ok: true,
          externalId: item.externalId,
        }));
      });
    },

    async discoverFields(resource) {
      // Works before a key column is chosen: it only needs the header row and some values.
      const sheet = typeof resource.options?.sheet === 'string' ? resource.options.sheet : null;
      if (!resource.object)
        throw new ConnectorRequestError({ kind: 'invalid', message: 'resource.object must be a spreadsheet id' });
      return guarded(resource.object, async () => {
        const tab = await resolveTab(resource.object, sheet, false);
        const response = await client.values(resource.object, sheetRange(tab.title));
        return toSheetFieldDescriptors((response.values ?? []).slice(0, 501), resource.keyField);
      });
    },

    verifyWebhook: verifySheetsWebhook,
    parseWebhook: parseSheetsWebhook,
    classifyError: (error) => classifySheetsError(error),
  };
}

export { classifySheetsError, googleBackoffMs } from './errors.ts';
export { SheetsClient, GOOGLE_TOKEN_URL, SHEETS_ROOT_URL, SHEETS_SCOPE } from './client.ts';
export type { GoogleSheetsAuth, ServiceAccountKey, SheetsClientOptions } from './client.ts';
export type { SheetReadWarning } from './mappers.ts';
export { sheetsLimits } from './limits.ts';
