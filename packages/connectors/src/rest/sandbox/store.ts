// In-memory records store behind the REST sandbox. No HTTP here: routes and tests both call it.
// Every write stamps a strictly increasing updated_at per collection and notifies listeners
// (the sandbox turns those notifications into webhook deliveries).
import { OrderedLog } from './ordered-log.ts';
import { formatMicros, parseMicros } from './stamps.ts';

export type JsonObject = Record<string, unknown>;

export interface StoredRecord {
  id: string;
  key: string | null;
  fields: JsonObject;
  created_at: string;
  updated_at: string;
  deleted: boolean;
}

export type StoreChangeType = 'record.created' | 'record.updated' | 'record.deleted';

export interface StoreChange {
  type: StoreChangeType;
  collection: string;
  record: StoredRecord;
  occurredAt: string;
}

export type StoreErrorCode =
  'not_found' | 'duplicate_key' | 'validation_failed' | 'invalid_request' | 'batch_too_large';

const STATUS: Record<StoreErrorCode, number> = {
  not_found: 404,
  duplicate_key: 409,
  validation_failed: 422,
  invalid_request: 400,
  batch_too_large: 413,
};

export class StoreError extends Error {
  override name = 'StoreError';
  readonly status: number;
  readonly code: StoreErrorCode;
  readonly existingId?: string;

  constructor(code: StoreErrorCode, message: string, existingId?: string) {
    super(message);
    this.code = code;
    this.existingId = existingId;
    this.status = STATUS[code];
  }

  toBody(): { error: StoreErrorCode; message: string; existing_id?: string } {
    return this.existingId
      ? { error: this.code, message: this.message, existing_id: this.existingId }
      : { error: this.code, message: this.message };
  }
}

/** Returns a message to reject a record's fields, or null to accept them. */
export type FieldValidator = (fields: JsonObject, context: { collection: string; id: string | null }) => string | null;

export interface ListQuery {
  /** ISO-8601; records changed strictly after it, tombstones included. */
  updatedSince?: string | null;
  cursor?: string | null;
  limit?: number;
  keys?: string[];
  ids?: string[];
}

export interface ListResult {
  records: StoredRecord[];
  next_cursor: string | null;
}

export interface RecordStoreOptions {
  clock?: () => number;
  validate?: FieldValidator;
}

interface Collection {
  records: Map<string, StoredRecord & { stamp: number }>;
  byKey: Map<string, string>;
  log: OrderedLog;
  lastStamp: number;
}

/** Page cursor: keyset position (stamp of the last record returned) and, for a full listing, the
 * collection's high-water stamp when the listing began: later pages include tombstones newer than
 * that, so a record deleted while a client pages through a full listing is reported, not lost. */
interface PageCursor {
  after: number;
  scanStart: number | null;
}

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;
const INVALID_MARKER = '__invalid__';

function containsMarker(value: unknown): boolean {
  if (value === INVALID_MARKER) return true;
  if (Array.isArray(value)) return value.some(containsMarker);
  if (value && typeof value === 'object') return Object.values(value).some(containsMarker);
  return false;
}

function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.after, s: cursor.scanStart })).toString('base64url');
}

function decodeCursor(value: string): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { a?: unknown; s?: unknown };
    if (typeof parsed.a === 'number' && (parsed.s === null || typeof parsed.s === 'number')) {
      return { after: parsed.a, scanStart: parsed.s };
    }
  } catch {
    // fall through
  }
  throw new StoreError('invalid_request', 'cursor is not one this API issued');
}

export class RecordStore {
  private readonly collections = new Map<string, Collection>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly clock: () => number;
  private nextId = 1;
  validate: FieldValidator | undefined;

  constructor(options: RecordStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.validate = options.validate;
  }

  /** Subscribes to writes; returns the unsubscribe function. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  collectionNames(): string[] {
    return [...this.collections.keys()];
  }

  /** Live records of a collection (tombstones excluded). */
  count(collection: string): number {
    let live = 0;
    for (const record of this.collections.get(collection)?.records.values() ?? []) if (!record.deleted) live++;
    return live;
  }

  get(collection: string, id: string): StoredRecord | undefined {
    const record = this.collections.get(collection)?.records.get(id);
    return record && !record.deleted ? RecordStore.copy(record) : undefined;
  }

  create(collection: string, input: { key?: string | null; fields?: unknown }): StoredRecord {
    const key = RecordStore.checkKey(input.key);
    const fields = this.checkFields(collection, null, input.fields ?? {});
    const col = this.collection(collection);
    const existing = key === null ? undefined : col.byKey.get(key);
    if (existing) throw new StoreError('duplicate_key', `a record with key '${key}' already exists`, existing);
    const id = `rec_${(this.nextId++).toString(36).padStart(6, '0')}`;
    const stamp = this.stamp(col);
    const at = formatMicros(stamp);
    const record = { id, key, fields, created_at: at, updated_at: at, deleted: false, stamp };
    this.write(col, record);
    return this.emit('record.created', collection, record);
  }

  /** PATCH semantics: given fields are merged into the stored ones. */
  update(collection: string, id: string, input: { key?: string | null; fields?: unknown }): StoredRecord {
    const col = this.collections.get(collection);
    const current = col?.records.get(id);
    if (!col || !current || current.deleted) throw new StoreError('not_found', `record ${id} not found`);
    const patch = this.checkFields(collection, id, input.fields ?? {});
    let key = current.key;
    if (input.key !== undefined) {
      key = RecordStore.checkKey(input.key);
      const holder = key === null ? undefined : col.byKey.get(key);
      if (holder && holder !== id)
        throw new StoreError('duplicate_key', `a record with key '${key}' already exists`, holder);
    }
    const stamp = this.stamp(col);
    const record = { ...current, key, fields: { ...current.fields, ...patch }, updated_at: formatMicros(stamp), stamp };
    if (current.key !== null && current.key !== key) col.byKey.delete(current.key);
    this.write(col, record);
    return this.emit('record.updated', collection, record);
  }

  /** Leaves a tombstone (deleted: true) that incremental listings report. */
  delete(collection: string, id: string): StoredRecord {
    const col = this.collections.get(collection);
    const current = col?.records.get(id);
    if (!col || !current || current.deleted) throw new StoreError('not_found', `record ${id} not found`);
    const stamp = this.stamp(col);
    const record = { ...current, deleted: true, updated_at: formatMicros(stamp), stamp };
    if (current.key !== null) col.byKey.delete(current.key);
    this.write(col, record);
    return this.emit('record.deleted', collection, record);
  }

  /**
   * Records in (updated_at, id) order. Without updatedSince, live records only (a full listing);
   * with it, records changed after it including tombstones, so incremental pulls learn of deletes.
   */
  list(collection: string, query: ListQuery = {}): ListResult {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new StoreError('invalid_request', `limit must be an integer between 1 and ${MAX_PAGE_SIZE}`);
    }
    let since: number | null = null;
    if (query.updatedSince) {
      since = parseMicros(query.updatedSince);
      if (since === null) throw new StoreError('invalid_request', 'updated_since must be an ISO-8601 date-time');
    }
    const col = this.collections.get(collection);
    if (!col) return { records: [], next_cursor: null };
    const position = query.cursor ? decodeCursor(query.cursor) : null;
    const scanStart = position ? position.scanStart : since === null ? col.lastStamp : null;
    const keys = query.keys ? new Set(query.keys) : null;
    const ids = query.ids ? new Set(query.ids) : null;
    const page: (StoredRecord & { stamp: number })[] = [];
    let more = false;
    for (const entry of col.log.after(Math.max(position?.after ?? -1, since ?? -1))) {
      const record = col.records.get(entry.id) as StoredRecord & { stamp: number };
      if (record.deleted && since === null && (scanStart === null || record.stamp <= scanStart)) continue;
      if (keys && (record.key === null || !keys.has(record.key))) continue;
      if (ids && !ids.has(record.id)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(record);
    }
    const last = page.at(-1);
    return {
      records: page.map(RecordStore.copy),
      next_cursor: more && last ? encodeCursor({ after: last.stamp, scanStart }) : null,
    };
  }

  /** Field names and types inferred from live records (for discovery). */
  inferFields(collection: string): { name: string; type: string; nullable: boolean }[] {
    const seen = new Map<string, { types: Set<string>; nulls: number; count: number }>();
    let total = 0;
    for (const record of this.collections.get(collection)?.records.values() ?? []) {
      if (record.deleted) continue;
      total++;
      for (const [name, value] of Object.entries(record.fields)) {
        let info = seen.get(name);
        if (!info) seen.set(name, (info = { types: new Set(), nulls: 0, count: 0 }));
        info.count++;
        if (value === null || value === undefined) info.nulls++;
        else info.types.add(RecordStore.typeOf(value));
      }
    }
    return [...seen.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, info]) => {
        const types = [...info.types];
        const type =
          types.length === 0
            ? 'unknown'
            : types.length === 1
              ? (types[0] as string)
              : types.every((t) => t === 'date' || t === 'datetime')
                ? 'datetime'
                : 'unknown';
        return { name, type, nullable: info.nulls > 0 || info.count < total };
      });
  }

  /** Drops everything (ids keep counting up, so old ids are never reused). */
  clear(): void {
    this.collections.clear();
  }

  private static typeOf(value: unknown): string {
    if (typeof value === 'number') return 'number';
    if (typeof value === 'boolean') return 'boolean';
    if (Array.isArray(value)) return 'array';
    if (typeof value === 'object') return 'json';
    if (typeof value === 'string') {
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'date';
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return 'datetime';
    }
    return 'string';
  }

  private static copy(record: StoredRecord & { stamp?: number }): StoredRecord {
    return {
      id: record.id,
      key: record.key,
      fields: structuredClone(record.fields),
      created_at: record.created_at,
      updated_at: record.updated_at,
      deleted: record.deleted,
    };
  }

  private static checkKey(key: unknown): string | null {
    if (key === undefined || key === null) return null;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255 || key.includes(',')) {
      throw new StoreError(
        'validation_failed',
        'key must be a non-empty string of at most 255 characters without commas',
      );
    }
    return key;
  }

  private checkFields(collection: string, id: string | null, fields: unknown): JsonObject {
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
      throw new StoreError('validation_failed', 'fields must be a JSON object');
    }
    const object = fields as JsonObject;
    for (const [name, value] of Object.entries(object)) {
      if (containsMarker(value)) throw new StoreError('validation_failed', `field '${name}' has an invalid value`);
    }
    const problem = this.validate?.(object, { collection, id });
    if (problem) throw new StoreError('validation_failed', problem);
    return structuredClone(object);
  }

  private collection(name: string): Collection {
    let col = this.collections.get(name);
    if (!col)
      this.collections.set(name, (col = { records: new Map(), byKey: new Map(), log: new OrderedLog(), lastStamp: 0 }));
    return col;
  }

  private stamp(col: Collection): number {
    col.lastStamp = Math.max(this.clock() * 1000, col.lastStamp + 1);
    return col.lastStamp;
  }

  private write(col: Collection, record: StoredRecord & { stamp: number }): void {
    col.records.set(record.id, record);
    if (record.key !== null && !record.deleted) col.byKey.set(record.key, record.id);
    col.log.append(record.id, record.stamp);
  }

  private emit(type: StoreChangeType, collection: string, record: StoredRecord): StoredRecord {
    const change = { type, collection, record: RecordStore.copy(record), occurredAt: record.updated_at };
    for (const listener of this.listeners) listener(change);
    return RecordStore.copy(record);
  }
}
