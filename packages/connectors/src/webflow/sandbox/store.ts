// The sandbox's CMS: collections with Webflow's field schema and staged items, plus the live
// (published) copy of each item. No HTTP here: routes call it, tests read and edit it directly.
// Writes are all or nothing per request, like the API's bulk endpoints.
import type { Clock } from '../../sandbox-kit/clock.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { webflowErrors, type WebflowErrorDetail } from './errors.ts';
import { checkFieldValue, type StoredField, type WebflowFieldSpec, toStoredField } from './fields.ts';

export interface StoredItem {
  id: string;
  cmsLocaleId: string;
  lastPublished: string | null;
  lastUpdated: string;
  createdOn: string;
  isArchived: boolean;
  isDraft: boolean;
  fieldData: Record<string, unknown>;
}

export interface ItemInput {
  id?: unknown;
  fieldData?: unknown;
  isDraft?: unknown;
  isArchived?: unknown;
}

export interface CollectionSpec {
  displayName: string;
  singularName?: string;
  slug?: string;
  /** Custom fields; `name` and `slug` (required PlainText) are always added first, as in Webflow. */
  fields?: (WebflowFieldSpec | string)[];
  id?: string;
}

interface StoredCollection {
  id: string;
  displayName: string;
  singularName: string;
  slug: string;
  createdOn: string;
  lastUpdated: string;
  fields: StoredField[];
  staged: Map<string, StoredItem>;
  live: Map<string, StoredItem>;
}

export type ItemChangeType = 'created' | 'changed' | 'deleted' | 'published';
export interface ItemChange {
  type: ItemChangeType;
  collectionId: string;
  item: StoredItem;
}

export interface WebflowStoreOptions {
  clock: Clock;
  rng: Rng;
  maxItemsPerRequest: () => number;
}

const SLUG = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;
const copy = (item: StoredItem): StoredItem => ({ ...item, fieldData: structuredClone(item.fieldData) });

export class WebflowCollectionStore {
  private readonly collections = new Map<string, StoredCollection>();
  private readonly listeners: ((change: ItemChange) => void)[] = [];
  private readonly options: WebflowStoreOptions;
  private lastTime = 0;
  readonly cmsLocaleId: string;

  constructor(options: WebflowStoreOptions) {
    this.options = options;
    this.cmsLocaleId = this.newId();
  }

  /** 24 hex digits, like Webflow's ids. */
  newId(): string {
    let id = '';
    for (let i = 0; i < 24; i++) id += Math.floor(this.options.rng() * 16).toString(16);
    return id;
  }

  /** Strictly increasing ISO timestamps, so `lastUpdated` orders writes even within a millisecond. */
  private now(): string {
    this.lastTime = Math.max(this.options.clock(), this.lastTime + 1);
    return new Date(this.lastTime).toISOString();
  }

  onChange(listener: (change: ItemChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(type: ItemChangeType, collection: StoredCollection, item: StoredItem): void {
    for (const listener of this.listeners) listener({ type, collectionId: collection.id, item: copy(item) });
  }

  createCollection(spec: CollectionSpec): ReturnType<WebflowCollectionStore['collectionJson']> {
    const id = spec.id ?? this.newId();
    const now = this.now();
    const builtIn: WebflowFieldSpec[] = [
      { slug: 'name', displayName: 'Name', type: 'PlainText', isRequired: true },
      { slug: 'slug', displayName: 'Slug', type: 'PlainText', isRequired: true },
    ];
    const custom = (spec.fields ?? []).map((field) => (typeof field === 'string' ? { slug: field } : field));
    this.collections.set(id, {
      id,
      displayName: spec.displayName,
      singularName: spec.singularName ?? spec.displayName.replace(/s$/, ''),
      slug: spec.slug ?? spec.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      createdOn: now,
      lastUpdated: now,
      fields: [...builtIn, ...custom].map((field) => toStoredField(field, () => this.newId())),
      staged: new Map(),
      live: new Map(),
    });
    return this.collectionJson(id);
  }

  private collection(id: string): StoredCollection {
    const found = this.collections.get(id);
    if (!found) throw webflowErrors.collectionNotFound();
    return found;
  }

  hasCollection(id: string): boolean {
    return this.collections.has(id);
  }

  collectionJson(id: string) {
    const { staged: _staged, live: _live, fields, ...rest } = this.collection(id);
    return { ...rest, fields: fields.map((field) => ({ ...field })) };
  }

  /** Staged items in creation order (what List Items pages through). */
  items(collectionId: string): StoredItem[] {
    return [...this.collection(collectionId).staged.values()].map(copy);
  }

  item(collectionId: string, itemId: string): StoredItem | undefined {
    const found = this.collection(collectionId).staged.get(itemId);
    return found ? copy(found) : undefined;
  }

  /** The published copy of an item, as the live site shows it. */
  liveItem(collectionId: string, itemId: string): StoredItem | undefined {
    const found = this.collection(collectionId).live.get(itemId);
    return found ? copy(found) : undefined;
  }

  liveItems(collectionId: string): StoredItem[] {
    return [...this.collection(collectionId).live.values()].map(copy);
  }

  list(collectionId: string, query: { offset: number; limit: number; live?: boolean }) {
    const collection = this.collection(collectionId);
    const all = [...(query.live ? collection.live : collection.staged).values()];
    return {
      items: all.slice(query.offset, query.offset + query.limit).map(copy),
      pagination: { limit: query.limit, offset: query.offset, total: all.length },
    };
  }

  private checkCount(count: number): void {
    if (count > this.options.maxItemsPerRequest()) throw webflowErrors.tooManyItems(this.options.maxItemsPerRequest());
  }

  /** Checks one item's fieldData against the schema; `existing` for updates (partial fieldData). */
  private problems(
    collection: StoredCollection,
    prefix: string,
    fieldData: unknown,
    existing: StoredItem | undefined,
    slugsTaken: Map<string, string>,
  ): WebflowErrorDetail[] {
    if (!fieldData || typeof fieldData !== 'object' || Array.isArray(fieldData)) {
      return existing
        ? []
        : [{ param: `${prefix}fieldData`, description: 'fieldData is required and must be an object' }];
    }
    const data = fieldData as Record<string, unknown>;
    const details: WebflowErrorDetail[] = [];
    for (const [slug, value] of Object.entries(data)) {
      const field = collection.fields.find((candidate) => candidate.slug === slug);
      const param = `${prefix}fieldData.${slug}`;
      if (!field) details.push({ param, description: `Field not described in schema: '${slug}'` });
      else {
        const problem = checkFieldValue(field, value);
        if (problem) details.push({ param, description: problem });
      }
    }
    for (const field of collection.fields) {
      if (!field.isRequired) continue;
      const given = Object.hasOwn(data, field.slug);
      const value = given ? data[field.slug] : existing?.fieldData[field.slug];
      if (value === undefined || value === null || value === '') {
        details.push({ param: `${prefix}fieldData.${field.slug}`, description: `Field '${field.slug}' is required` });
      }
    }
    const slug = data.slug;
    if (typeof slug === 'string' && slug !== '') {
      if (!SLUG.test(slug)) {
        details.push({ param: `${prefix}fieldData.slug`, description: `Invalid slug: '${slug}'` });
      } else {
        const owner = slugsTaken.get(slug);
        if (owner !== undefined && owner !== existing?.id) {
          details.push({
            param: `${prefix}fieldData.slug`,
            description: `Unique value is already in database: '${slug}'`,
          });
        } else slugsTaken.set(slug, existing?.id ?? `new:${prefix}`);
      }
    }
    return details;
  }

  private slugIndex(collection: StoredCollection): Map<string, string> {
    const index = new Map<string, string>();
    for (const item of collection.staged.values()) {
      if (typeof item.fieldData.slug === 'string') index.set(item.fieldData.slug, item.id);
    }
    return index;
  }

  /** Creates items, all or nothing; `bulk` names problems `items[i].…` as the bulk form does. */
  createItems(collectionId: string, inputs: ItemInput[], bulk: boolean): StoredItem[] {
    const collection = this.collection(collectionId);
    this.checkCount(inputs.length);
    const slugs = this.slugIndex(collection);
    const details = inputs.flatMap((input, i) =>
      this.problems(collection, bulk ? `items[${i}].` : '', input.fieldData, undefined, slugs),
    );
    if (details.length > 0) throw webflowErrors.validation(details);
    const created = inputs.map((input) => {
      const now = this.now();
      const item: StoredItem = {
        id: this.newId(),
        cmsLocaleId: this.cmsLocaleId,
        lastPublished: null,
        lastUpdated: now,
        createdOn: now,
        isArchived: input.isArchived === true,
        isDraft: input.isDraft === true,
        fieldData: structuredClone(input.fieldData as Record<string, unknown>),
      };
      collection.staged.set(item.id, item);
      return item;
    });
    for (const item of created) this.emit('created', collection, item);
    return created.map(copy);
  }

  /** Updates items (fieldData merged), all or nothing. */
  updateItems(collectionId: string, inputs: ItemInput[]): StoredItem[] {
    const collection = this.collection(collectionId);
    this.checkCount(inputs.length);
    const slugs = this.slugIndex(collection);
    const missing: WebflowErrorDetail[] = [];
    const details: WebflowErrorDetail[] = [];
    inputs.forEach((input, i) => {
      const existing = typeof input.id === 'string' ? collection.staged.get(input.id) : undefined;
      if (!existing) missing.push({ param: `items[${i}].id`, description: `Item not found: '${String(input.id)}'` });
      else details.push(...this.problems(collection, `items[${i}].`, input.fieldData ?? {}, existing, slugs));
    });
    if (missing.length > 0) throw webflowErrors.itemNotFound(missing);
    if (details.length > 0) throw webflowErrors.validation(details);
    const updated = inputs.map((input) => {
      const item = collection.staged.get(input.id as string) as StoredItem;
      Object.assign(item.fieldData, structuredClone((input.fieldData ?? {}) as Record<string, unknown>));
      if (typeof input.isDraft === 'boolean') item.isDraft = input.isDraft;
      if (typeof input.isArchived === 'boolean') item.isArchived = input.isArchived;
      item.lastUpdated = this.now();
      return item;
    });
    for (const item of updated) this.emit('changed', collection, item);
    return updated.map(copy);
  }

  /** Deletes staged items and their live copies; every id must exist (404 names the missing). */
  deleteItems(collectionId: string, ids: unknown[]): void {
    const collection = this.collection(collectionId);
    this.checkCount(ids.length);
    const missing = ids.flatMap((id, i) =>
      typeof id === 'string' && collection.staged.has(id)
        ? []
        : [{ param: `items[${i}].id`, description: `Item not found: '${String(id)}'` }],
    );
    if (missing.length > 0) throw webflowErrors.itemNotFound(missing);
    for (const id of ids as string[]) {
      const item = collection.staged.get(id) as StoredItem;
      collection.staged.delete(id);
      collection.live.delete(id);
      this.emit('deleted', collection, item);
    }
  }

  /** Copies staged items to the live site; unknown ids are reported in `errors`, not thrown. */
  publishItems(collectionId: string, ids: string[]): { publishedItemIds: string[]; errors: string[] } {
    const collection = this.collection(collectionId);
    this.checkCount(ids.length);
    const publishedItemIds: string[] = [];
    const errors: string[] = [];
    for (const id of ids) {
      const item = collection.staged.get(id);
      if (!item) {
        errors.push(`Item not found: '${id}'`);
        continue;
      }
      item.lastPublished = this.now();
      item.isDraft = false;
      collection.live.set(id, copy(item));
      publishedItemIds.push(id);
      this.emit('published', collection, item);
    }
    return { publishedItemIds, errors };
  }

  /** An edit made in the Designer or Editor (bypasses the API, still fires webhooks). */
  edit(collectionId: string, itemId: string, fieldData: Record<string, unknown>): StoredItem {
    return this.updateItems(collectionId, [{ id: itemId, fieldData }])[0] as StoredItem;
  }
}
