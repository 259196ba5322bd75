// Flow S2 (SmartSuite → Webflow CMS, webhook-driven, one way), after the seed's SmartSuite ↔
// Webflow sync engine: a SmartSuite record change arrives as a signed webhook, the record is fetched
// from SmartSuite, mapped with JSONata expressions and templates (slug from the name, a rich-text
// body from an HTML template), created or updated in a Webflow collection in bulk and published,
// never above the Webflow integration's write cap.
//
// Model: the engine syncs a local table with one external object per resource, so S2 is two
// resources meeting in a local staging table, each the kind the engine already runs:
//
//   SmartSuite table ──(PULL resource of the SmartSuite integration: webhook → fetch → upsert)──▶
//   staging table (one row per SmartSuite record: its id, the record as jsonb, last_updated) ──▶
//   (PUSH resource of the Webflow integration: capture trigger → outbox → map → bulk → publish)──▶
//   Webflow collection
//
// - Webhooks: the ingress verifies x-smartsuite-signature / x-smartsuite-timestamp and dedupes on
//   x-idempotency-key; the worker parses the event (skinny: only the record id), fetches the record's
//   current state (so duplicates and out-of-order deliveries converge on the latest version) and
//   upserts its staging row. The pull writes with the SmartSuite integration as origin, so the
//   capture trigger queues the row for the Webflow resource (another integration) and only for it.
// - Deletes: RECORD_DELETED deletes the staging row (deletePolicy DELETE); the push carries the
//   delete to Webflow (pushDeletes 'delete').
// - Mapping: push mappings are JSONata over the staging row; the preset wraps each expression as
//   `record.( … )`, so expressions and template placeholders name SmartSuite field slugs. An item
//   whose mapped fields did not change costs no Webflow request (hash skip).
// - Identity: each created item carries the staging row id in the key field (PlainText
//   `syncbridge-id`), so a create whose answer was lost is found again instead of duplicated.
// - Write cap: `settings.writeCapPerMinute` on the Webflow integration (see ../write-cap.ts), counted
//   per Webflow write request, publish included, across all workers.
// - A scheduled pull of the SmartSuite integration (e.g. HOURLY) is the safety net for missed
//   webhooks: it reads incrementally by last_updated and goes through the same staging table.
//
// The staging table is a host-app table like the other presets' (the engine reaches it only
// through this configuration): `ensureS2StagingTable` creates it where no migration did.
import type pg from 'pg';
import type { FieldMappingInput } from '@syncbridge/connectors';
import type { Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';
import { assertIdentifier, qualifiedName } from '../sql.ts';

export const S2_STAGING_TABLE = 's2_smartsuite_records';
/** Webflow field that carries the staging row id (a PlainText field of the collection). */
export const S2_KEY_FIELD = 'syncbridge-id';

/**
 * The Webflow collection fields the default mapping writes (besides the built-in name and slug),
 * in the shape of the Webflow API's collection fields.
 */
export const S2_WEBFLOW_FIELDS = [
  { slug: S2_KEY_FIELD, displayName: 'Syncbridge ID', type: 'PlainText' },
  { slug: 'body', displayName: 'Body', type: 'RichText' },
  { slug: 'price', displayName: 'Price', type: 'Number' },
] as const;

export interface S2FlowOptions {
  smartsuiteIntegrationId: string;
  webflowIntegrationId: string;
  /** SmartSuite table (application) id. */
  tableId: string;
  /** Webflow collection id. */
  collectionId: string;
  stagingSchema?: string;
  stagingTable?: string;
  /** Item name: a JSONata expression over the SmartSuite record (default `title`). */
  name?: string;
  /** Slug template with `{{field}}` placeholders (default `{{title}}`), made URL-safe. */
  slugTemplate?: string;
  /** Rich-text body: the Webflow field and an HTML template (placeholders are HTML-escaped); null for none. */
  body?: { field: string; template: string } | null;
  /** More Webflow fields: field slug → JSONata expression over the SmartSuite record. */
  fields?: Record<string, string>;
  /** Webflow PlainText field carrying our key (default `syncbridge-id`). */
  keyField?: string;
}

const DEFAULT_BODY = { field: 'body', template: '<h2>{{title}}</h2><p>{{description}}</p>' };
const DEFAULT_FIELDS: Record<string, string> = { price: '$number(price)' };

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

/** A JSONata path from a dot path of field slugs (each segment quoted with backticks). */
const pathExpression = (path: string) =>
  path
    .split('.')
    .map((segment) => `\`${segment}\``)
    .join('.');

const escapeHtml = (expression: string) =>
  `$replace($replace($replace($replace($string(${expression}), "&", "&amp;"), "<", "&lt;"), ">", "&gt;"), '"', "&quot;")`;

/**
 * `Hello {{name}}` → a JSONata string concatenation over the record (`"Hello " & name`). Missing
 * fields render as nothing; with `html`, values are escaped so a record cannot inject markup.
 */
export function templateToJsonata(template: string, options: { html?: boolean } = {}): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(JSON.stringify(template.slice(last, match.index)));
    const path = pathExpression(match[1] as string);
    parts.push(options.html ? escapeHtml(path) : `$string(${path})`);
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(JSON.stringify(template.slice(last)));
  return parts.length === 0 ? '""' : parts.join(' & ');
}

/** A slug from a template: lower case, runs of anything else than a-z 0-9 _ become one hyphen. */
export function slugTemplateToJsonata(template: string): string {
  const text = `$lowercase(${templateToJsonata(template)})`;
  return `$substring($replace($replace(${text}, /[^a-z0-9_]+/, "-"), /^-+|-+$/, ""), 0, 255)`;
}

/** An expression over the SmartSuite record, evaluated against the staging row. */
const overRecord = (expression: string) => `record.(${expression})`;

/** Staging row ← SmartSuite record (the pull resource). */
export const s2StagingMappings: FieldMappingInput[] = [
  { local: 'smartsuite_id', external: 'id', direction: 'pull', required: true },
  // The whole record, so push mappings can use any field without changing the staging table.
  { local: 'record', external: 'id', direction: 'pull', reverseTransform: { type: 'jsonata', expression: '$' } },
  {
    local: 'smartsuite_updated_at',
    external: 'last_updated.on',
    direction: 'pull',
    reverseTransform: { type: 'date' },
  },
];

/** Webflow item ← staging row (the push resource). */
export function s2WebflowMappings(
  options: Pick<S2FlowOptions, 'name' | 'slugTemplate' | 'body' | 'fields'> = {},
): FieldMappingInput[] {
  const mappings: FieldMappingInput[] = [
    {
      external: 'name',
      transform: { type: 'jsonata', expression: overRecord(options.name ?? '`title`') },
      required: true,
    },
    {
      external: 'slug',
      transform: {
        type: 'jsonata',
        expression: overRecord(slugTemplateToJsonata(options.slugTemplate ?? '{{title}}')),
      },
      required: true,
    },
  ];
  const body = options.body === undefined ? DEFAULT_BODY : options.body;
  if (body) {
    mappings.push({
      external: body.field,
      transform: { type: 'jsonata', expression: overRecord(templateToJsonata(body.template, { html: true })) },
    });
  }
  for (const [field, expression] of Object.entries(options.fields ?? DEFAULT_FIELDS)) {
    mappings.push({ external: field, transform: { type: 'jsonata', expression: overRecord(expression) } });
  }
  return mappings;
}

/** The two resources of the flow: SmartSuite → staging (pull) and staging → Webflow (push). */
export function s2Resources(options: S2FlowOptions): { pull: ResourceInput; push: ResourceInput } {
  const localSchema = options.stagingSchema ?? 'public';
  const localTable = options.stagingTable ?? S2_STAGING_TABLE;
  return {
    pull: {
      integrationId: options.smartsuiteIntegrationId,
      name: 'smartsuite_records',
      resourceType: 'RECORD',
      localSchema,
      localTable,
      localKeyColumn: 'id',
      externalObject: options.tableId,
      externalKeyField: null,
      direction: 'PULL',
      deletePolicy: 'DELETE',
      fieldMappings: s2StagingMappings as Prisma.InputJsonValue,
      // A staging row whose mapping was lost is adopted by SmartSuite id, not inserted twice.
      options: { matchOn: { local: 'smartsuite_id', external: 'id' } },
    },
    push: {
      integrationId: options.webflowIntegrationId,
      name: 'webflow_items',
      resourceType: 'ITEM',
      localSchema,
      localTable,
      localKeyColumn: 'id',
      externalObject: options.collectionId,
      externalKeyField: options.keyField ?? S2_KEY_FIELD,
      direction: 'PUSH',
      fieldMappings: s2WebflowMappings(options) as Prisma.InputJsonValue,
      options: { pushDeletes: 'delete' },
    },
  };
}

/** Creates the staging table if it does not exist (idempotent). */
export async function ensureS2StagingTable(
  pool: pg.Pool,
  options: { schema?: string; table?: string } = {},
): Promise<void> {
  const relation = qualifiedName(
    assertIdentifier(options.schema ?? 'public', 'schema name'),
    assertIdentifier(options.table ?? S2_STAGING_TABLE, 'table name'),
  );
  await pool.query(
    `create table if not exists ${relation} (
       id uuid primary key default gen_random_uuid(),
       smartsuite_id text not null unique,
       record jsonb not null default '{}'::jsonb,
       smartsuite_updated_at timestamptz,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now()
     )`,
  );
}
