// The sandbox's tables (SmartSuite "applications") and their records. No HTTP here: routes call it,
// tests read and edit it directly (an edit made "in the SmartSuite app" goes through the same
// checks and fires the same webhooks). Writes are all or nothing per request. Deleted records go to
// the trash: hidden from lists unless `all=true`, where they carry a `deleted_date`.
import type { Clock } from '../../sandbox-kit/clock.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { smartsuiteErrors, type FieldErrors } from './errors.ts';
import {
  isEmptyValue,
  normaliseFieldValue,
  SYSTEM_FIELDS,
  toStoredField,
  type SmartSuiteFieldSpec,
  type StoredField,
} from './fields.ts';
import { checkFilter, compareBySort, matchesFilter, parseSort, type ValueOf } from './filter.ts';

export interface StoredRecord {
  id: string;
  applicationId: string;
  /** Field values by slug (title included), as normalised on write. */
  values: Record<string, unknown>;
  firstCreated: string;
  lastUpdated: string;
  autonumber: number;
  /** When it went to the trash; null while live. */
  deletedAt: string | null;
}

export interface TableSpec {
  name: string;
  id?: string;
  /** The title field (`title`, recordtitlefield, required) is added first, as in SmartSuite. */
  fields?: (SmartSuiteFieldSpec | string)[];
}

interface StoredTable {
  id: string;
  name: string;
  slug: string;
  fields: StoredField[];
  records: Map<string, StoredRecord>;
  nextAutonumber: number;
}

export type RecordChangeType = 'created' | 'updated' | 'deleted';
export interface RecordChange {
  type: RecordChangeType;
  tableId: string;
  /** The record as the API shows it after the change (for a delete, as it was, with deleted_date). */
  record: Record<string, unknown>;
  at: string;
}

export interface ListQuery {
  offset: number;
  limit: number;
  all: boolean;
  filter?: unknown;
  sort?: unknown;
}

export interface SmartSuiteStoreOptions {
  clock: Clock;
  rng: Rng;
  accountId: string;
  solutionId: string;
  /** Member id written into first_created.by / last_updated.by. */
  memberId: string;
  maxBulk: () => number;
}

/** `length` hex digits (SmartSuite's ids have 24). */
export function hexId(rng: Rng, length = 24): string {
  let id = '';
  for (let i = 0; i < length; i++) id += Math.floor(rng() * 16).toString(16);
  return id;
}

/** Fields the API computes; writes naming them are ignored, as SmartSuite ignores unknown keys. */
const READ_ONLY = new Set(['id', 'application_id', 'first_created', 'last_updated', 'deleted_date', 'autonumber']);

export class SmartSuiteStore {
  private readonly tables = new Map<string, StoredTable>();
  private readonly listeners: ((change: RecordChange) => void)[] = [];
  private readonly options: SmartSuiteStoreOptions;
  private lastTime = 0;

  constructor(options: SmartSuiteStoreOptions) {
    this.options = options;
  }

  /** 24 hex digits, like SmartSuite's ids. */
  newId(): string {
    return hexId(this.options.rng);
  }

  /** Strictly increasing timestamps with microseconds, as SmartSuite writes them (`…06.247000Z`). */
  private now(): string {
    this.lastTime = Math.max(this.options.clock(), this.lastTime + 1);
    return new Date(this.lastTime).toISOString().replace('Z', '000Z');
  }

  onChange(listener: (change: RecordChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(type: RecordChangeType, table: StoredTable, record: StoredRecord, at: string): void {
    const json = this.toJson(table, record, true);
    for (const listener of this.listeners) listener({ type, tableId: table.id, record: structuredClone(json), at });
  }

  createTable(spec: TableSpec): ReturnType<SmartSuiteStore['applicationJson']> {
    const id = spec.id ?? this.newId();
    const custom = (spec.fields ?? []).map((field) => (typeof field === 'string' ? { slug: field } : field));
    const title = custom.find((field) => field.slug === 'title') ?? {
      slug: 'title',
      label: 'Title',
      field_type: 'recordtitlefield' as const,
    };
    this.tables.set(id, {
      id,
      name: spec.name,
      slug: spec.name.toLowerCase().replace(/[^a-z0-9]+/g, ''),
      fields: [
        toStoredField({ ...title, field_type: 'recordtitlefield' }),
        ...custom.filter((field) => field.slug !== 'title').map(toStoredField),
      ],
      records: new Map(),
      nextAutonumber: 1,
    });
    return this.applicationJson(id);
  }

  hasTable(id: string): boolean {
    return this.tables.has(id);
  }

  private table(id: string): StoredTable {
    const found = this.tables.get(id);
    if (!found) throw smartsuiteErrors.notFound();
    return found;
  }

  applicationJson(id: string) {
    const table = this.table(id);
    return {
      id: table.id,
      name: table.name,
      solution: this.options.solutionId,
      slug: table.slug,
      primary_field: 'title',
      structure: [...table.fields, ...SYSTEM_FIELDS].map((field) => structuredClone(field)),
    };
  }

  applications() {
    return [...this.tables.keys()].map((id) => this.applicationJson(id));
  }

  /** A record as the API returns it: empty fields left out, system fields added. */
  private toJson(table: StoredTable, record: StoredRecord, withTrash: boolean): Record<string, unknown> {
    const json: Record<string, unknown> = { id: record.id, application_id: table.id };
    for (const field of table.fields) {
      const value = record.values[field.slug];
      if (!isEmptyValue(value)) json[field.slug] = structuredClone(value);
    }
    json.first_created = { on: record.firstCreated, by: this.options.memberId };
    json.last_updated = { on: record.lastUpdated, by: this.options.memberId };
    json.autonumber = record.autonumber;
    if (withTrash && record.deletedAt) json.deleted_date = { date: record.deletedAt, include_time: true };
    return json;
  }

  private valueOf(record: StoredRecord): ValueOf {
    return (field) => {
      switch (field) {
        case 'id':
          return record.id;
        case 'first_created':
          return { on: record.firstCreated };
        case 'last_updated':
          return { on: record.lastUpdated };
        case 'autonumber':
          return record.autonumber;
        case 'deleted_date':
          return record.deletedAt ? { date: record.deletedAt } : null;
        default:
          return record.values[field];
      }
    };
  }

  list(tableId: string, query: ListQuery) {
    const table = this.table(tableId);
    checkFilter(query.filter);
    const sort = parseSort(query.sort);
    const matching = [...table.records.values()].filter(
      (record) => (query.all || !record.deletedAt) && matchesFilter(query.filter, this.valueOf(record)),
    );
    if (sort.length > 0) matching.sort((a, b) => compareBySort(sort, this.valueOf(a), this.valueOf(b)));
    return {
      total: matching.length,
      offset: query.offset,
      limit: query.limit,
      items: matching.slice(query.offset, query.offset + query.limit).map((r) => this.toJson(table, r, query.all)),
    };
  }

  /** One live record as the API returns it, or undefined. */
  record(tableId: string, id: string): Record<string, unknown> | undefined {
    const table = this.table(tableId);
    const found = table.records.get(id);
    return found && !found.deletedAt ? this.toJson(table, found, false) : undefined;
  }

  /** Live records in creation order. */
  records(tableId: string): Record<string, unknown>[] {
    const table = this.table(tableId);
    return [...table.records.values()].filter((r) => !r.deletedAt).map((r) => this.toJson(table, r, false));
  }

  /** Normalised values of one input, or its field errors. `existing` for updates (partial). */
  private check(
    table: StoredTable,
    input: unknown,
    existing?: StoredRecord,
  ): { values: Record<string, unknown>; errors: FieldErrors } {
    const errors: FieldErrors = {};
    const values: Record<string, unknown> = {};
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return { values, errors: { non_field_errors: ['Invalid data. Expected a dictionary.'] } };
    }
    for (const [slug, raw] of Object.entries(input as Record<string, unknown>)) {
      if (READ_ONLY.has(slug)) continue;
      const field = table.fields.find((candidate) => candidate.slug === slug);
      if (!field) continue; // unknown keys are ignored
      const result = normaliseFieldValue(field, raw);
      if ('error' in result) errors[slug] = [result.error];
      else values[slug] = result.value;
    }
    for (const field of table.fields) {
      if (!field.params.required) continue;
      const value = Object.hasOwn(values, field.slug) ? values[field.slug] : existing?.values[field.slug];
      if (isEmptyValue(value)) errors[field.slug] ??= ['This field is required.'];
    }
    return { values, errors };
  }

  private checkCount(count: number): void {
    if (count === 0) throw smartsuiteErrors.invalidItems('This list may not be empty.');
    const max = this.options.maxBulk();
    if (count > max) throw smartsuiteErrors.invalidItems(`Ensure this field has no more than ${max} elements.`);
  }

  /** Creates records, all or nothing. `bulk`: ≤ maxBulk, errors per record under `items`. */
  createRecords(tableId: string, inputs: unknown[], bulk: boolean): Record<string, unknown>[] {
    const table = this.table(tableId);
    if (bulk) this.checkCount(inputs.length);
    const checked = inputs.map((input) => this.check(table, input));
    if (checked.some((c) => Object.keys(c.errors).length > 0)) {
      if (!bulk) throw smartsuiteErrors.invalidRecord(checked[0]!.errors);
      throw smartsuiteErrors.invalidRecords(checked.map((c) => c.errors));
    }
    const created = checked.map(({ values }) => {
      const now = this.now();
      const record: StoredRecord = {
        id: this.newId(),
        applicationId: table.id,
        values,
        firstCreated: now,
        lastUpdated: now,
        autonumber: table.nextAutonumber++,
        deletedAt: null,
      };
      table.records.set(record.id, record);
      return record;
    });
    for (const record of created) this.emit('created', table, record, record.lastUpdated);
    return created.map((record) => this.toJson(table, record, false));
  }

  /** Updates records (only the given fields change), all or nothing; each needs a live `id`. */
  updateRecords(tableId: string, inputs: unknown[]): Record<string, unknown>[] {
    const table = this.table(tableId);
    this.checkCount(inputs.length);
    const checked = inputs.map((input) => {
      const id = input && typeof input === 'object' ? (input as { id?: unknown }).id : undefined;
      const existing = typeof id === 'string' ? table.records.get(id) : undefined;
      if (!existing || existing.deletedAt)
        return { existing: undefined, values: {}, errors: { id: ['Record not found.'] } };
      return { existing, ...this.check(table, input, existing) };
    });
    if (checked.some((c) => Object.keys(c.errors).length > 0)) {
      throw smartsuiteErrors.invalidRecords(checked.map((c) => c.errors));
    }
    const updated = checked.map(({ existing, values }) => {
      const record = existing as StoredRecord;
      Object.assign(record.values, values);
      record.lastUpdated = this.now();
      return record;
    });
    for (const record of updated) this.emit('updated', table, record, record.lastUpdated);
    return updated.map((record) => this.toJson(table, record, false));
  }

  /** Moves records to the trash; ids not found (or already there) are skipped. Answers the ids deleted. */
  deleteRecords(tableId: string, ids: unknown[]): string[] {
    const table = this.table(tableId);
    this.checkCount(ids.length);
    const deleted: StoredRecord[] = [];
    for (const id of ids) {
      const record = typeof id === 'string' ? table.records.get(id) : undefined;
      if (!record || record.deletedAt) continue;
      record.deletedAt = this.now();
      record.lastUpdated = record.deletedAt;
      deleted.push(record);
    }
    for (const record of deleted) this.emit('deleted', table, record, record.deletedAt as string);
    return deleted.map((record) => record.id);
  }

  /** An edit made in the SmartSuite app: same checks, same webhooks. Returns the record. */
  create(tableId: string, values: Record<string, unknown>): Record<string, unknown> {
    return this.createRecords(tableId, [values], false)[0] as Record<string, unknown>;
  }

  update(tableId: string, id: string, values: Record<string, unknown>): Record<string, unknown> {
    return this.updateRecords(tableId, [{ ...values, id }])[0] as Record<string, unknown>;
  }

  remove(tableId: string, id: string): boolean {
    return this.deleteRecords(tableId, [id]).length === 1;
  }
}
