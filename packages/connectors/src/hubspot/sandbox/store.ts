// In-memory CRM objects of one type (contacts, tasks), with HubSpot's write rules and no HTTP: ids are
// numeric strings, every value is a string, `lastmodifieddate`/`updatedAt` advance strictly on every
// write (so a change is never hidden behind an earlier timestamp), email is unique among live
// contacts, archived objects leave lists and searches. Tests also use it to edit like a person would.
import type { Clock } from '../../sandbox-kit/clock.ts';
import { apiErrors, HubSpotApiError, type PropertyProblem } from './errors.ts';
import {
  checkValue,
  CONTACT_RULES,
  defineProperty,
  type ObjectTypeRules,
  type PropertyDefinition,
  type PropertySpec,
} from './properties.ts';

export interface StoredObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

/** The API's object shape (SimplePublicObject). */
export interface ApiObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface ObjectChange {
  type: 'created' | 'updated' | 'deleted';
  object: StoredObject;
  /** Properties whose value changed (updates only). */
  changed: string[];
  at: number;
}

export interface UpdateInput {
  id: string;
  properties: Record<string, unknown>;
}

export class HubSpotObjectStore {
  readonly objectType: string;
  private readonly objects = new Map<string, StoredObject>();
  private readonly definitions = new Map<string, PropertyDefinition>();
  private readonly listeners: ((change: ObjectChange) => void)[] = [];
  private readonly clock: Clock;
  private lastStamp = 0;
  private nextId: number;
  private readonly rules: ObjectTypeRules;

  constructor(options: {
    objectType: string;
    clock: Clock;
    properties: PropertySpec[];
    firstId?: number;
    /** System property names, required properties and read defaults (default: contacts'). */
    rules?: ObjectTypeRules;
  }) {
    this.objectType = options.objectType;
    this.clock = options.clock;
    this.nextId = options.firstId ?? 101;
    this.rules = options.rules ?? CONTACT_RULES;
    for (const spec of options.properties) this.defineProperty(spec);
  }

  /** A strictly increasing write time (ms), never behind the clock. */
  private stamp(): number {
    this.lastStamp = Math.max(this.clock(), this.lastStamp + 1);
    return this.lastStamp;
  }

  defineProperty(spec: PropertySpec): PropertyDefinition {
    const definition = defineProperty(spec, this.definitions.size, new Date(this.clock()).toISOString());
    this.definitions.set(spec.name, definition);
    return definition;
  }

  get properties(): PropertyDefinition[] {
    return [...this.definitions.values()];
  }

  onChange(listener: (change: ObjectChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: ObjectChange): void {
    for (const listener of this.listeners) listener(change);
  }

  get(id: string, options: { archived?: boolean } = {}): StoredObject | undefined {
    const object = this.objects.get(id);
    return object && object.archived === Boolean(options.archived) ? object : undefined;
  }

  /** Live objects, in id order. */
  live(): StoredObject[] {
    return [...this.objects.values()].filter((object) => !object.archived).sort((a, b) => Number(a.id) - Number(b.id));
  }

  all(options: { archived?: boolean } = {}): StoredObject[] {
    return [...this.objects.values()]
      .filter((object) => object.archived === Boolean(options.archived))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Live object holding this email (case-insensitive), if any. */
  findByEmail(email: string): StoredObject | undefined {
    const wanted = email.trim().toLowerCase();
    return this.live().find((object) => object.properties.email?.toLowerCase() === wanted);
  }

  private normalise(properties: Record<string, unknown>, inputIndex?: number): Record<string, string | null> {
    const values: Record<string, string | null> = {};
    const problems: PropertyProblem[] = [];
    for (const [name, raw] of Object.entries(properties ?? {})) {
      const checked = checkValue(this.definitions.get(name), name, raw);
      if ('problem' in checked) problems.push(checked.problem);
      else values[name] = checked.value;
    }
    if (problems.length > 0) throw apiErrors.invalidProperties(problems, inputIndex);
    if (this.objectType === 'contacts' && typeof values.email === 'string')
      values.email = values.email.trim().toLowerCase();
    return values;
  }

  private assertEmailFree(email: string | null | undefined, exceptId?: string): void {
    if (this.objectType !== 'contacts' || !email) return;
    const existing = this.findByEmail(email);
    if (existing && existing.id !== exceptId) throw apiErrors.contactExists(email, existing.id);
  }

  /**
   * Ids of the live contacts holding these (normalised) emails, in one pass over the store: a batch
   * of 100 creates must not read a 10,000-contact portal 100 times (benchmarks push 10,000).
   * Map order is id order (ids only grow), so the lowest id wins, as in findByEmail.
   */
  private emailOwners(emails: (string | null | undefined)[]): Map<string, string> {
    const owners = new Map<string, string>();
    const wanted = new Set(emails.filter((email): email is string => Boolean(email)));
    if (this.objectType !== 'contacts' || wanted.size === 0) return owners;
    for (const object of this.objects.values()) {
      const email = object.archived ? undefined : object.properties.email?.toLowerCase();
      if (email && wanted.has(email) && !owners.has(email)) owners.set(email, object.id);
    }
    return owners;
  }

  /**
   * Batch create is all-or-nothing, as in HubSpot: an invalid value fails the request (400
   * VALIDATION_ERROR naming the input), an email that exists fails it with 409 "Contact already
   * exists. Existing ID: …".
   */
  createMany(inputs: { properties: Record<string, unknown> }[]): StoredObject[] {
    const normalised = inputs.map((input, index) => this.normalise(input.properties, index));
    normalised.forEach((values, index) => {
      const missing = this.rules.required.filter(
        (name) => values[name] === undefined || values[name] === null || values[name] === '',
      );
      if (missing.length > 0) {
        throw apiErrors.invalidProperties(
          missing.map((name) => ({ name, error: 'REQUIRED_FIELD', message: `${name} is required` })),
          index,
        );
      }
    });
    const emails = new Set<string>();
    const owners = this.emailOwners(normalised.map((values) => values.email));
    for (const values of normalised) {
      const owner = values.email ? owners.get(values.email) : undefined;
      if (values.email && owner !== undefined) throw apiErrors.contactExists(values.email, owner);
      if (values.email) {
        if (emails.has(values.email)) throw apiErrors.duplicateInBatch(`email '${values.email}'`);
        emails.add(values.email);
      }
    }
    return normalised.map((values) => {
      const at = this.stamp();
      const id = String(this.nextId++);
      const object: StoredObject = {
        id,
        properties: this.withSystemValues(values, id, at, at),
        createdAt: at,
        updatedAt: at,
        archived: false,
      };
      this.objects.set(id, object);
      this.emit({ type: 'created', object, changed: Object.keys(values), at });
      return object;
    });
  }

  create(properties: Record<string, unknown>): StoredObject {
    return this.createMany([{ properties }])[0] as StoredObject;
  }

  /**
   * Batch update: ids that do not exist (or are archived) are reported back, the others are applied
   * (HubSpot answers 207 with an OBJECT_NOT_FOUND error for them). Invalid values and email
   * conflicts fail the whole request, as for creates.
   */
  updateMany(inputs: UpdateInput[]): { updated: StoredObject[]; missing: string[] } {
    const ids = new Set<string>();
    for (const input of inputs) {
      if (ids.has(input.id)) throw apiErrors.duplicateInBatch('IDs');
      ids.add(input.id);
    }
    const found = inputs.filter((input) => this.get(input.id));
    const missing = inputs.filter((input) => !this.get(input.id)).map((input) => input.id);
    const normalised = found.map((input) => ({
      id: input.id,
      values: this.normalise(input.properties, inputs.indexOf(input)),
    }));
    for (const { id, values } of normalised) if ('email' in values) this.assertEmailFree(values.email, id);
    const updated = normalised.map(({ id, values }) => this.apply(this.objects.get(id) as StoredObject, values));
    return { updated, missing };
  }

  update(id: string, properties: Record<string, unknown>): StoredObject {
    const { updated } = this.updateMany([{ id, properties }]);
    if (updated.length === 0) throw apiErrors.notFound();
    return updated[0] as StoredObject;
  }

  private apply(object: StoredObject, values: Record<string, string | null>): StoredObject {
    const changed = Object.keys(values).filter((name) => (object.properties[name] ?? null) !== values[name]);
    // HubSpot bumps lastmodifieddate on every accepted write, even one that changes nothing.
    const at = this.stamp();
    object.properties = this.withSystemValues({ ...object.properties, ...values }, object.id, object.createdAt, at);
    object.updatedAt = at;
    this.emit({ type: 'updated', object, changed, at });
    return object;
  }

  /** Archives live objects; unknown or already archived ids are ignored (HubSpot answers 204 either way). */
  archiveMany(ids: string[]): StoredObject[] {
    const archived: StoredObject[] = [];
    for (const id of ids) {
      const object = this.get(id);
      if (!object) continue;
      const at = this.stamp();
      object.archived = true;
      object.archivedAt = at;
      object.updatedAt = at;
      archived.push(object);
      this.emit({ type: 'deleted', object, changed: [], at });
    }
    return archived;
  }

  archive(id: string): boolean {
    return this.archiveMany([id]).length > 0;
  }

  private withSystemValues(values: Record<string, string | null>, id: string, createdAt: number, updatedAt: number) {
    return {
      ...values,
      hs_object_id: id,
      [this.rules.createdProperty]: new Date(createdAt).toISOString(),
      [this.rules.modifiedProperty]: new Date(updatedAt).toISOString(),
    };
  }

  /**
   * The API shape with the requested properties (defaults when none are named; unknown names are
   * skipped, as HubSpot does). Properties without a value are returned as null when named.
   */
  toApi(object: StoredObject, requested?: string[]): ApiObject {
    const names =
      requested && requested.length > 0
        ? [...new Set([...requested, ...this.rules.alwaysRead])]
        : this.rules.defaultRead;
    const properties: Record<string, string | null> = {};
    for (const name of [...names].sort()) {
      if (!this.definitions.has(name)) continue;
      properties[name] = object.properties[name] ?? null;
    }
    const api: ApiObject = {
      id: object.id,
      properties,
      createdAt: new Date(object.createdAt).toISOString(),
      updatedAt: new Date(object.updatedAt).toISOString(),
      archived: object.archived,
    };
    if (object.archivedAt !== undefined) api.archivedAt = new Date(object.archivedAt).toISOString();
    return api;
  }
}

export { HubSpotApiError };
