// Field mappings between a local row and an external record. Validated with zod when saved;
// applied without ever evaluating user-supplied code.
import jsonata from 'jsonata';
import { z } from 'zod';
import type { FieldValue, Fields } from '../contract.ts';
import { getPath, parsePath, setPath } from './paths.ts';
import { transformFunctionInverses, transformFunctions } from './transforms.ts';

const ZFieldValue: z.ZodType<FieldValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(ZFieldValue), z.record(z.string(), ZFieldValue)]),
);

const ZPath = z.string().min(1).max(200).refine((p) => {
  try {
    parsePath(p);
    return true;
  } catch {
    return false;
  }
}, 'must be a dot path such as name, owner.id or items[0].value');

export const ZTransform = z.discriminatedUnion('type', [
  z.object({ type: z.literal('string') }),
  z.object({ type: z.literal('number') }),
  z.object({ type: z.literal('boolean') }),
  z.object({ type: z.literal('date'), format: z.enum(['date', 'datetime']).default('datetime') }),
  z.object({ type: z.literal('json') }),
  z.object({ type: z.literal('enum'), map: z.record(z.string(), ZFieldValue), fallback: ZFieldValue.optional() }),
  z.object({ type: z.literal('constant'), value: ZFieldValue }),
  z.object({
    type: z.literal('function'),
    name: z.string().refine((n) => n in transformFunctions, 'is not a registered function'),
    options: z.record(z.string(), ZFieldValue).default({}),
  }),
  /**
   * A JSONata expression over the whole source record (the local row on push, the external
   * record on pull), with the mapped field's own value bound as $value. JSONata cannot run
   * JavaScript; evaluation is bounded in time and depth.
   */
  z.object({
    type: z.literal('jsonata'),
    expression: z
      .string()
      .min(1)
      .max(2000)
      .refine((e) => compileProblem(e) === null, { error: (issue) => `is not valid JSONata: ${compileProblem(String(issue.input)) ?? ''}` }),
  }),
  /**
   * Translates an id through another resource's mappings of the same integration: a local id to
   * that resource's external id on push, and back on pull (e.g. a task's assignee).
   */
  z.object({ type: z.literal('lookup'), resource: z.string().min(1).max(100) }),
]);
export type Transform = z.infer<typeof ZTransform>;

export const ZFieldMapping = z.object({
  /** Local column (or dot path); several for function transforms that combine fields. */
  local: z.union([ZPath, z.array(ZPath).min(1)]).optional(),
  external: ZPath,
  direction: z.enum(['both', 'push', 'pull']).default('both'),
  /** Applied local → external. */
  transform: ZTransform.optional(),
  /** Applied external → local. */
  reverseTransform: ZTransform.optional(),
  required: z.boolean().default(false),
  default: ZFieldValue.optional(),
  /** Sent on every write but not part of the change hash (e.g. a "Last Synced" time). */
  volatile: z.boolean().default(false),
});
export type FieldMapping = z.infer<typeof ZFieldMapping>;
export type FieldMappingInput = z.input<typeof ZFieldMapping>;

export const ZFieldMappings = z.array(ZFieldMapping).max(500).superRefine((mappings, ctx) => {
  mappings.forEach((m, i) => {
    const standsAlone = m.transform?.type === 'constant' || m.transform?.type === 'jsonata' || (m.transform?.type === 'function' && m.volatile);
    if (!m.local && !standsAlone) {
      ctx.addIssue({ code: 'custom', path: [i, 'local'], message: 'needs a local field, a constant or an expression' });
    }
  });
});

/** Validates mapping JSON; throws an error whose message names the offending field. */
export function parseFieldMappings(input: unknown): FieldMapping[] {
  const result = ZFieldMappings.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const [index, ...rest] = issue?.path ?? [];
    const entry = Array.isArray(input) && typeof index === 'number' ? (input[index] as { external?: unknown } | undefined) : undefined;
    const name = typeof entry?.external === 'string' ? `"${entry.external}"` : `#${String(index ?? '')}`;
    const where = typeof index === 'number' ? `mapping ${name}${rest.length ? ` (${rest.join('.')})` : ''}` : 'mappings';
    throw new MappingError(`${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export class MappingError extends Error {
  override name = 'MappingError';
}

/** What transforms may need from outside the record: id translation through other resources. */
export interface MappingContext {
  lookup?: (resource: string, id: string, direction: 'toExternal' | 'toLocal') => Promise<string | null>;
}

const compiled = new Map<string, jsonata.Expression>();

function compileProblem(expression: string): string | null {
  try {
    jsonata(expression);
    return null;
  } catch (error) {
    return (error as { message?: string }).message ?? 'syntax error';
  }
}

const JSONATA_TIMEOUT_MS = 100;
const JSONATA_MAX_DEPTH = 200;

function expressionFor(source: string): jsonata.Expression {
  let expression = compiled.get(source);
  if (!expression) {
    // jsonata's own guardrails: evaluation fails past this time or stack depth (D1012 / D1011).
    expression = jsonata(source, { timeout: JSONATA_TIMEOUT_MS, stack: JSONATA_MAX_DEPTH });
    compiled.set(source, expression);
    if (compiled.size > 1000) compiled.delete(compiled.keys().next().value as string);
  }
  return expression;
}

/** Evaluates with a time and depth budget, so a runaway expression cannot hold a sync. */
async function evaluateJsonata(source: string, input: unknown, value: unknown): Promise<unknown> {
  try {
    return await expressionFor(source).evaluate(input, { value });
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: string; message?: string };
    if (code === 'D1011') throw new MappingError(`JSONata expression went deeper than ${JSONATA_MAX_DEPTH} levels`);
    if (code === 'D1012') throw new MappingError(`JSONata expression ran longer than ${JSONATA_TIMEOUT_MS} ms`);
    throw new MappingError(`JSONata expression failed: ${message ?? code ?? 'unknown error'}`);
  }
}

async function applyTransform(
  transform: Transform | undefined,
  values: unknown[],
  source: unknown,
  direction: 'toExternal' | 'toLocal',
  context: MappingContext,
): Promise<FieldValue> {
  const [value] = values;
  if (!transform) return toFieldValue(value);
  switch (transform.type) {
    case 'string':
      return value === null || value === undefined ? null : String(value instanceof Date ? value.toISOString() : value);
    case 'number': {
      if (value === null || value === undefined || value === '') return null;
      const n = Number(value);
      return Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      if (value === null || value === undefined) return null;
      return typeof value === 'string' ? ['true', '1', 'yes', 'y'].includes(value.toLowerCase()) : Boolean(value);
    case 'date': {
      if (value === null || value === undefined || value === '') return null;
      const date = value instanceof Date ? value : new Date(value as string);
      if (Number.isNaN(date.getTime())) return null;
      return transform.format === 'date' ? date.toISOString().slice(0, 10) : date.toISOString();
    }
    case 'json':
      return typeof value === 'string' ? (JSON.parse(value) as FieldValue) : toFieldValue(value);
    case 'enum': {
      const key = String(value);
      // Own keys only: 'toString' or 'constructor' must not find Object.prototype's members.
      return Object.hasOwn(transform.map, key)
        ? (transform.map[key] as FieldValue)
        : (transform.fallback ?? toFieldValue(value));
    }
    case 'constant':
      return transform.value;
    case 'function': {
      const fn = transformFunctions[transform.name];
      if (!fn) throw new MappingError(`unknown function ${transform.name}`);
      return fn(values, transform.options);
    }
    case 'jsonata':
      return toFieldValue(await evaluateJsonata(transform.expression, source, value));
    case 'lookup': {
      if (value === null || value === undefined || value === '') return null;
      if (!context.lookup) throw new MappingError(`lookup through "${transform.resource}" needs a mapping context`);
      return context.lookup(transform.resource, String(value), direction);
    }
  }
}

function toFieldValue(value: unknown): FieldValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toFieldValue);
  if (typeof value === 'object') {
    // Decimal-like objects (Prisma/pg numerics) serialise through toString.
    if (typeof (value as { toFixed?: unknown }).toFixed === 'function') return Number(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toFieldValue(v)]));
  }
  return value as FieldValue;
}

/** Local row → external fields (push). */
export async function mapToExternal(row: Record<string, unknown>, mappings: FieldMapping[], context: MappingContext = {}): Promise<Fields> {
  const out: Record<string, unknown> = {};
  for (const m of mappings) {
    if (m.direction === 'pull') continue;
    const locals = m.local === undefined ? [] : Array.isArray(m.local) ? m.local : [m.local];
    let value = await applyTransform(m.transform, locals.map((p) => getPath(row, p)), row, 'toExternal', context);
    if ((value === null || value === '') && m.default !== undefined) value = m.default;
    if (m.required && (value === null || value === '')) throw new MappingError(`required field "${m.external}" is empty`);
    setPath(out, m.external, value);
  }
  return out as Fields;
}

/**
 * Which transforms lose nothing, declared once: the transform that undoes `transform` (what a
 * mapping's reverseTransform must be for local → external → local to come back equal), with
 * `reverse: undefined` meaning "no reverseTransform needed", or null when it is one way.
 * Domains: string → strings; number → finite numbers; boolean → booleans; date → valid dates
 * (format 'date': midnight UTC); json → JSON values other than strings (a jsonb column); enum →
 * the map's keys, when its values are distinct scalars other than "__proto__"; lookup → ids the
 * lookup resource mapped; named functions as declared in transformFunctionInverses. null passes
 * through each of them. mapping.property.test.ts checks every claim with generated values.
 */
export function inverseTransform(transform: Transform | undefined): { reverse: Transform | undefined } | null {
  if (!transform) return { reverse: undefined };
  switch (transform.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'json':
      return { reverse: { type: transform.type } };
    case 'date':
      return { reverse: { type: 'date', format: transform.format } };
    case 'enum': {
      const values = Object.values(transform.map);
      const scalars = values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
      const keys = new Set(values.map(String));
      // A saved map cannot hold a "__proto__" key (validation drops it), so such a value has no way back.
      if (!scalars || keys.size !== values.length || keys.has('__proto__')) return null;
      const inverted = Object.fromEntries(Object.entries(transform.map).map(([k, v]) => [String(v), k]));
      return { reverse: { type: 'enum', map: inverted } };
    }
    case 'lookup':
      return { reverse: transform };
    case 'function': {
      if (!Object.hasOwn(transformFunctionInverses, transform.name)) return null;
      return { reverse: transformFunctionInverses[transform.name] };
    }
    case 'constant':
    case 'jsonata':
      return null;
  }
}

/** Transforms that only go one way unless a reverseTransform says how to come back. */
const ONE_WAY = new Set(['constant', 'function', 'jsonata']);

/** External fields → local row values (pull). Only single-field mappings can be reversed. */
export async function mapToLocal(fields: Fields, mappings: FieldMapping[], context: MappingContext = {}): Promise<Record<string, FieldValue>> {
  const out: Record<string, unknown> = {};
  for (const m of mappings) {
    if (m.direction === 'push' || m.local === undefined || Array.isArray(m.local)) continue;
    if (m.transform && ONE_WAY.has(m.transform.type) && !m.reverseTransform) continue;
    const raw = getPath(fields, m.external);
    // A field the record does not carry says nothing: leave the local value alone.
    if (raw === undefined && m.default === undefined) continue;
    // A lookup goes back through the same resource unless told otherwise.
    const reverse = m.reverseTransform ?? (m.transform?.type === 'lookup' ? m.transform : undefined);
    let value = await applyTransform(reverse, [raw], fields, 'toLocal', context);
    if ((value === null || value === '') && m.default !== undefined) value = m.default;
    setPath(out, m.local, value);
  }
  return out as Record<string, FieldValue>;
}

/** Local columns a mapping reads (to select only what is needed). */
export function localColumns(mappings: FieldMapping[]): string[] {
  const set = new Set<string>();
  for (const m of mappings) {
    for (const p of m.local === undefined ? [] : Array.isArray(m.local) ? m.local : [m.local]) {
      const head = parsePath(p)[0];
      if (typeof head === 'string') set.add(head);
    }
  }
  return [...set];
}

/** The payload without its volatile fields: what decides whether a record changed. */
export function hashablePayload(fields: Fields, mappings: FieldMapping[]): Fields {
  const volatile = mappings.filter((m) => m.volatile);
  if (volatile.length === 0) return fields;
  const copy = structuredClone(fields) as Record<string, unknown>;
  for (const m of volatile) setPath(copy, m.external, null);
  return copy as Fields;
}
