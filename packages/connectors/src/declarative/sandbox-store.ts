// In-memory records for the declarative sandbox: per object (board, list, collection, sObject),
// with ids in the vendor's style, strictly increasing updated-at times (ms), our key, and
// tombstones for deletes so incremental listings can report them.
import { systemClock, type Clock } from '../sandbox-kit/clock.ts';

export type SandboxIdStyle = 'rec' | 'hex24' | 'numeric' | 'clickup' | 'salesforce';

export interface SandboxItem {
  id: string;
  object: string;
  key: string | null;
  fields: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  /** Change order (every write gets the next number). */
  seq: number;
  deleted: boolean;
}

export interface SandboxChange {
  type: 'created' | 'updated' | 'deleted';
  item: SandboxItem;
}

/** A request the vendor would refuse: status, vendor code, message. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly existingId?: string,
  ) {
    super(message);
  }
}

/** Field value that makes the sandbox refuse a record (to test per-record failures). */
export const SANDBOX_INVALID_MARKER = '__invalid__';

export class DeclarativeStore {
  private readonly objects = new Map<string, Map<string, SandboxItem>>();
  private readonly listeners: ((change: SandboxChange) => void)[] = [];
  private lastStamp = 0;
  private seq = 0;
  private counter = 0;

  constructor(
    private readonly options: { idStyle: SandboxIdStyle; clock?: Clock; salesforcePrefix?: string } = {
      idStyle: 'rec',
    },
  ) {}

  private now(): number {
    const clock = this.options.clock ?? systemClock;
    this.lastStamp = Math.max(clock(), this.lastStamp + 1);
    return this.lastStamp;
  }

  newId(): string {
    const n = ++this.counter;
    switch (this.options.idStyle) {
      case 'numeric':
        return String(1_000_000 + n);
      case 'hex24':
        // ObjectId-like: seconds since the epoch, then a counter, so ids sort by creation.
        return `${Math.floor(Date.now() / 1000)
          .toString(16)
          .padStart(8, '0')}${n.toString(16).padStart(16, '0')}`;
      case 'clickup':
        return `86${n.toString(36).padStart(7, '0')}`;
      case 'salesforce':
        return `${this.options.salesforcePrefix ?? 'a0B'}5g00000${n.toString(36).toUpperCase().padStart(8, '0')}`;
      case 'rec':
        return `rec_${n.toString(36).padStart(6, '0')}`;
    }
  }

  onChange(listener: (change: SandboxChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(type: SandboxChange['type'], item: SandboxItem): SandboxItem {
    const copy = structuredClone(item);
    for (const listener of this.listeners) listener({ type, item: structuredClone(copy) });
    return copy;
  }

  private bucket(object: string): Map<string, SandboxItem> {
    let items = this.objects.get(object);
    if (!items) this.objects.set(object, (items = new Map()));
    return items;
  }

  private static validate(fields: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(fields)) {
      if (value === SANDBOX_INVALID_MARKER)
        throw new SandboxError(400, 'validation_failed', `invalid value for ${name}`);
    }
  }

  create(object: string, fields: Record<string, unknown>, key: string | null = null): SandboxItem {
    DeclarativeStore.validate(fields);
    const items = this.bucket(object);
    if (key !== null) {
      for (const item of items.values()) {
        if (!item.deleted && item.key === key)
          throw new SandboxError(409, 'duplicate_key', `key ${key} is already used by ${item.id}`, item.id);
      }
    }
    const at = this.now();
    const item: SandboxItem = {
      id: this.newId(),
      object,
      key,
      fields: structuredClone(fields),
      createdAt: at,
      updatedAt: at,
      seq: ++this.seq,
      deleted: false,
    };
    items.set(item.id, item);
    return this.emit('created', item);
  }

  /** Merges `fields` into the record (PATCH semantics; vendors with PUT send the whole record). */
  update(object: string, id: string, fields: Record<string, unknown>): SandboxItem {
    DeclarativeStore.validate(fields);
    const item = this.objects.get(object)?.get(id);
    if (!item || item.deleted) throw new SandboxError(404, 'not_found', `record ${id} not found`);
    Object.assign(item.fields, structuredClone(fields));
    item.updatedAt = this.now();
    item.seq = ++this.seq;
    return this.emit('updated', item);
  }

  delete(object: string, id: string): SandboxItem {
    const item = this.objects.get(object)?.get(id);
    if (!item || item.deleted) throw new SandboxError(404, 'not_found', `record ${id} not found`);
    item.deleted = true;
    item.updatedAt = this.now();
    item.seq = ++this.seq;
    return this.emit('deleted', item);
  }

  get(object: string, id: string): SandboxItem | undefined {
    const item = this.objects.get(object)?.get(id);
    return item && !item.deleted ? structuredClone(item) : undefined;
  }

  /** Finds a live record by id in any object (APIs whose record URLs do not name the object). */
  find(id: string): SandboxItem | undefined {
    for (const items of this.objects.values()) {
      const item = items.get(id);
      if (item && !item.deleted) return structuredClone(item);
    }
    return undefined;
  }

  /** Records in change order; tombstones only when asked. */
  all(object: string, includeDeleted = false): SandboxItem[] {
    return [...(this.objects.get(object)?.values() ?? [])]
      .filter((item) => includeDeleted || !item.deleted)
      .sort((a, b) => a.seq - b.seq)
      .map((item) => structuredClone(item));
  }

  objectNames(): string[] {
    return [...this.objects.keys()];
  }

  live(object: string): SandboxItem[] {
    return this.all(object);
  }

  count(object: string): number {
    return this.all(object).length;
  }

  clear(): void {
    this.objects.clear();
  }
}
