// The declarative REST definition: everything the generic connector needs to talk to one vendor's
// API, as data. Validated with zod when loaded (shipped definitions) or saved (a custom definition in
// an integration's settings), so a bad definition fails with readable paths instead of at run time.
//
// Templates: path, query and header values are strings with `{placeholders}` (dot paths into the
// request context: object, id, since, cursor, page, offset, limit, settings.*, options.*, credentials.*
// (auth only), keyField, ids, keys, sinceClause), `{name|default}` for a fallback. Body templates are
// JSON where a string that is exactly one placeholder is replaced by the value itself (`"{fields}"`,
// `"{number:settings.workspaceId}"`, `"{json:fields.column_values}"`), an object key "..." spreads an
// object into its parent, and `{ "$json": … }` renders its content and serialises it to a string
// (GraphQL arguments that take JSON text). Any other string is literal (GraphQL text stays intact).
import { z } from 'zod';

const ZTemplate = z.string().max(4000);
const ZPath = z.string().max(200);
const ZTemplateMap = z.record(z.string().min(1).max(100), ZTemplate);
const ZMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** A JSON body template (see above). */
const ZBodyTemplate = z.json();

export const ZTimeFormat = z.enum([
  /** ISO-8601 with milliseconds, UTC (`2026-01-02T03:04:05.678Z`). */
  'iso',
  /** ISO-8601 without fractions (`2026-01-02T03:04:05Z`): SOQL datetime literals, many query filters. */
  'iso-seconds',
  'epoch-ms',
  'epoch-seconds',
  /** The record's own value, passed back verbatim (keeps the vendor's precision, e.g. microseconds). */
  'raw',
]);
export type TimeFormat = z.infer<typeof ZTimeFormat>;

const ZOAuth2 = z.object({
  type: z.literal('oauth2'),
  grant: z.enum(['client_credentials', 'refresh_token']),
  /** Template: `{settings.loginUrl|https://login.example.com}/oauth2/token`. */
  tokenUrl: ZTemplate,
  scopes: z.array(z.string().min(1)).default([]),
  /** How the client id/secret travel to the token endpoint. */
  clientAuth: z.enum(['body', 'basic']).default('body'),
  accessTokenPath: ZPath.default('access_token'),
  refreshTokenPath: ZPath.default('refresh_token'),
  expiresInPath: ZPath.default('expires_in'),
  /** Refresh this long before the token's expiry (default 60 s). */
  refreshMarginMs: z.number().int().min(0).max(3_600_000).default(60_000),
  /** Some vendors (Salesforce) answer with the instance to call: base URL = that + apiPath. */
  instanceUrl: z.object({ path: ZPath, apiPath: z.string().max(200).default('') }).optional(),
  header: z.string().min(1).default('Authorization'),
  prefix: z.string().default('Bearer '),
});

export const ZAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  /** Bearer token from credentials[credential]. */
  z.object({
    type: z.literal('bearer'),
    credential: z.string().min(1).default('token'),
    header: z.string().min(1).default('Authorization'),
    prefix: z.string().default('Bearer '),
  }),
  /** Keys in headers and/or query parameters, as templates over credentials and settings. */
  z
    .object({ type: z.literal('api_key'), headers: ZTemplateMap.default({}), query: ZTemplateMap.default({}) })
    .refine((auth) => Object.keys(auth.headers).length + Object.keys(auth.query).length > 0, {
      message: 'api_key auth needs at least one header or query parameter',
    }),
  z.object({ type: z.literal('basic'), username: ZTemplate, password: ZTemplate }),
  ZOAuth2,
]);
export type AuthDefinition = z.infer<typeof ZAuth>;
export type OAuth2Definition = z.infer<typeof ZOAuth2>;

const ZEndDetection = {
  /** A truthy value here marks the last page (ClickUp `last_page`). */
  lastPagePath: ZPath.optional(),
  /** A falsy value here marks the last page (`has_more`). */
  hasMorePath: ZPath.optional(),
  /** Total pages (Harvest `total_pages`). */
  totalPagesPath: ZPath.optional(),
};

export const ZPagination = z.discriminatedUnion('style', [
  z.object({ style: z.literal('none') }),
  /** page=1,2,… (param optional: templates may use {page}); ends on a short page unless told. */
  z.object({
    style: z.literal('page'),
    param: z.string().min(1).optional(),
    firstPage: z.number().int().min(0).max(1).default(1),
    ...ZEndDetection,
  }),
  z.object({
    style: z.literal('offset'),
    param: z.string().min(1).optional(),
    lastPagePath: ZPath.optional(),
    hasMorePath: ZPath.optional(),
  }),
  /**
   * Opaque cursor from the body (cursorPath) or from the last record (cursorFromRecord, e.g. Trello's
   * `before=<id>`); sent as `param` or through templates ({cursor}). `next` overrides the request for
   * pages after the first (monday.com's next_items_page).
   */
  z
    .object({
      style: z.literal('cursor'),
      param: z.string().min(1).optional(),
      cursorPath: ZPath.optional(),
      cursorFromRecord: ZPath.optional(),
      hasMorePath: ZPath.optional(),
      next: z
        .object({ body: ZBodyTemplate.optional(), recordsPath: ZPath.optional(), cursorPath: ZPath.optional() })
        .optional(),
    })
    .refine((p) => Boolean(p.cursorPath) !== Boolean(p.cursorFromRecord), {
      message: 'cursor pagination needs exactly one of cursorPath or cursorFromRecord',
    }),
  /** RFC 8288 `Link: <url>; rel="next"` (GitHub style). */
  z.object({ style: z.literal('link-header'), rel: z.string().default('next') }),
  /** The next page's URL in the body (Harvest `links.next`, Salesforce `nextRecordsUrl`). */
  z.object({ style: z.literal('next-url'), path: ZPath, donePath: ZPath.optional() }),
]);
export type PaginationDefinition = z.infer<typeof ZPagination>;

export const ZUpdatedSince = z
  .object({
    /** query: the API filters (param or {sinceClause}); client: every read is full, filtered here. */
    mode: z.enum(['query', 'client']).default('query'),
    param: z.string().min(1).optional(),
    /** Rendered into {sinceClause} when a since value exists (SOQL `WHERE SystemModstamp > {since}`). */
    clause: ZTemplate.optional(),
    format: ZTimeFormat.default('iso'),
    /** Ask from this much before the high-water mark (second-precision filters); repeats are skipped by hash. */
    overlapMs: z.number().int().min(0).max(86_400_000).default(0),
  })
  .refine((u) => u.mode === 'client' || u.param || u.clause, {
    message: 'updatedSince in query mode needs a param or a clause',
  });

const ZList = z.object({
  method: z.enum(['GET', 'POST']).default('GET'),
  path: ZTemplate,
  query: ZTemplateMap.default({}),
  headers: ZTemplateMap.default({}),
  body: ZBodyTemplate.optional(),
  /** Where the records are ('' = the body is the array). Template ({object}). */
  recordsPath: z.string().max(200).default(''),
  pageSize: z
    .object({ param: z.string().min(1).optional(), value: z.number().int().min(1).max(10_000).default(100) })
    .default({ value: 100 }),
  pagination: ZPagination,
  updatedSince: ZUpdatedSince.optional(),
});

const ZLookupBy = z.object({
  /** Query parameters replacing the list's own (templates over {ids} / {keys} / {keyField}). */
  query: ZTemplateMap,
  path: ZTemplate.optional(),
  separator: z.string().max(5).default(','),
  /** Quote each value (SOQL: "'"); the quote character is escaped inside values. */
  quote: z.string().max(1).default(''),
});

const ZWrite = z.object({
  method: ZMethod,
  path: ZTemplate,
  query: ZTemplateMap.default({}),
  body: ZBodyTemplate.default('{fields}'),
  /** Where the written record is in the response ('' = the body); absent: the API answers no record. */
  recordPath: z.string().max(200).optional(),
  /** Where the id is in the response when it is not a whole record (Salesforce `id`). */
  idPath: ZPath.optional(),
});

const ZItemResult = z.object({
  okPath: ZPath.optional(),
  idPath: ZPath.default('id'),
  updatedAtPath: ZPath.optional(),
  errorMessagePath: ZPath.optional(),
  errorCodePath: ZPath.optional(),
  /** An error whose code is this means "created before": adopt the record at existingIdPath. */
  duplicateKey: z.object({ code: z.string(), existingIdPath: ZPath }).optional(),
});

const ZBatchWrite = z.object({
  method: ZMethod,
  path: ZTemplate,
  query: ZTemplateMap.default({}),
  /** Whole request body; "{items}" is the rendered list. */
  body: ZBodyTemplate.default('{items}'),
  /** One item ({fields}, {id}, {key}). */
  item: ZBodyTemplate.default('{fields}'),
  maxSize: z.number().int().min(1).max(1000),
  /** Where the per-item results are ('' = the body); they are positional. */
  resultsPath: z.string().max(200).default(''),
  result: ZItemResult.default({ idPath: 'id' }),
});

const ZBatchDelete = z.object({
  method: ZMethod,
  path: ZTemplate,
  /** {ids} is the joined id list. */
  query: ZTemplateMap.default({}),
  body: ZBodyTemplate.optional(),
  maxSize: z.number().int().min(1).max(1000),
  resultsPath: z.string().max(200).default(''),
  result: ZItemResult.default({ idPath: 'id' }),
  /** Item error codes meaning "already gone" (a retried delete): success. */
  notFoundCodes: z.array(z.string()).default([]),
});

const ZSignature = z.discriminatedUnion('scheme', [
  z.object({
    scheme: z.literal('hmac'),
    header: z.string().min(1),
    algorithm: z.enum(['sha1', 'sha256', 'sha512']),
    encoding: z.enum(['hex', 'base64']),
    /** What is signed: {body}, {timestamp}, {callbackUrl} (settings.webhookCallbackUrl). */
    content: ZTemplate.default('{body}'),
    /** Prefix on the header value, e.g. `sha256=`. */
    prefix: z.string().default(''),
    /** Several signatures in one header (secret rotation), split on this. */
    separator: z.string().max(3).optional(),
  }),
  /** The header carries a shared token compared as is (Clockify's per-webhook token). */
  z.object({ scheme: z.literal('token'), header: z.string().min(1), prefix: z.string().default('') }),
]);

const ZWebhook = z.object({
  signature: ZSignature,
  timestamp: z
    .object({
      header: z.string().min(1).optional(),
      bodyPath: ZPath.optional(),
      unit: z.enum(['seconds', 'ms', 'iso']).default('seconds'),
      toleranceMs: z.number().int().min(1000).max(3_600_000).default(300_000),
    })
    .refine((t) => Boolean(t.header) !== Boolean(t.bodyPath), { message: 'timestamp needs a header or a bodyPath' })
    .optional(),
  /** Delivery id (the dedupe key): a header, else a body path. */
  deliveryIdHeader: z.string().optional(),
  deliveryIdPath: ZPath.optional(),
  events: z.object({
    /** Where the events are: '' = the body is one event or an array of them. */
    listPath: z.string().max(200).default(''),
    actionPath: ZPath.optional(),
    actionHeader: z.string().optional(),
    /** Vendor action → change; unknown actions are ignored. */
    actions: z.record(z.string(), z.enum(['created', 'updated', 'deleted'])),
    idPath: ZPath,
    /** The full record, when the payload carries it (parsed like a listed record). */
    recordPath: ZPath.optional(),
    occurredAtPath: ZPath.optional(),
    objectPath: ZPath.optional(),
  }),
});
export type WebhookDefinition = z.infer<typeof ZWebhook>;
/** The signing part of a webhook section (what a sender needs). */
export const ZWebhookSigning = ZWebhook.pick({ signature: true, timestamp: true, deliveryIdHeader: true });
export type WebhookSigning = z.infer<typeof ZWebhookSigning>;
export type WebhookSigningInput = z.input<typeof ZWebhookSigning>;
export type SignatureDefinition = z.infer<typeof ZSignature>;

export const ZDeclarativeDefinition = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]{1,40}$/, 'must be lower-case letters, digits, - or _'),
    name: z.string().min(1).max(100),
    /** The IntegrationType this definition serves (TRELLO, …), if it is a shipped one. */
    integrationType: z.string().optional(),
    docs: z.array(z.url()).default([]),
    /** What the definition covers and what it cannot (said plainly). */
    notes: z.array(z.string()).default([]),
    baseUrl: z.url(),
    /** Credential names the auth templates read (checked when the connector is built). */
    credentials: z.array(z.string().min(1)).default([]),
    /** Settings the templates read: name → required. */
    settings: z
      .record(z.string(), z.object({ required: z.boolean().default(false), description: z.string() }))
      .default({}),
    auth: ZAuth,
    headers: ZTemplateMap.default({}),
    rateLimit: z.object({ requests: z.number().int().min(1), windowMs: z.number().int().min(100) }),
    errors: z
      .object({
        messagePath: ZPath.optional(),
        codePath: ZPath.optional(),
        /** GraphQL: a 200 whose body has entries here failed. */
        bodyErrorsPath: ZPath.optional(),
        rateLimitStatuses: z.array(z.number().int()).default([429]),
        rateLimitCodes: z.array(z.string()).default([]),
        retryAfter: z
          .object({
            header: z.string().default('retry-after'),
            format: z.enum(['seconds', 'epoch-seconds', 'epoch-ms']).default('seconds'),
            bodyPath: ZPath.optional(),
          })
          .default({ header: 'retry-after', format: 'seconds' }),
      })
      .default({
        rateLimitStatuses: [429],
        rateLimitCodes: [],
        retryAfter: { header: 'retry-after', format: 'seconds' },
      }),
    testConnection: z.object({
      method: ZMethod.default('GET'),
      path: ZTemplate,
      body: ZBodyTemplate.optional(),
      versionPath: ZPath.optional(),
    }),
    record: z.object({
      idPath: ZPath.default('id'),
      updatedAtPath: ZPath.optional(),
      updatedAtFormat: ZTimeFormat.default('iso'),
      /** The mappable fields live under this path (generic API: `fields`); default the whole record. */
      fieldsPath: ZPath.optional(),
      /** Where the API keeps our internal id on records we created (generic API: `key`). */
      keyPath: ZPath.optional(),
      /** Truthy: a tombstone, reported as deleted. */
      deletedPath: ZPath.optional(),
      omitFields: z.array(z.string()).default([]),
      /** Arrays of {key, value} turned into objects (monday.com column_values). */
      pivots: z.array(z.object({ path: ZPath, keyField: z.string(), valueField: z.string() })).default([]),
    }),
    list: ZList,
    get: z.object({ path: ZTemplate, recordPath: z.string().max(200).default('') }).optional(),
    lookup: z
      .object({
        ids: ZLookupBy.optional(),
        keys: ZLookupBy.optional(),
        maxPerRequest: z.number().int().min(1).max(500).default(100),
      })
      .optional(),
    create: ZWrite.optional(),
    update: ZWrite.optional(),
    delete: z
      .object({
        method: ZMethod.default('DELETE'),
        path: ZTemplate,
        query: ZTemplateMap.default({}),
        body: ZBodyTemplate.optional(),
      })
      .optional(),
    batch: z
      .object({
        /** One endpoint for creates and updates (items with and without ids). */
        upsert: ZBatchWrite.optional(),
        create: ZBatchWrite.optional(),
        update: ZBatchWrite.optional(),
        delete: ZBatchDelete.optional(),
      })
      .optional(),
    webhook: ZWebhook.optional(),
  })
  .superRefine((def, ctx) => {
    const canCreate = def.create || def.batch?.create || def.batch?.upsert;
    const canUpdate = def.update || def.batch?.update || def.batch?.upsert;
    if (!canCreate) ctx.addIssue({ code: 'custom', path: ['create'], message: 'needs create or batch.create/upsert' });
    if (!canUpdate) ctx.addIssue({ code: 'custom', path: ['update'], message: 'needs update or batch.update/upsert' });
    if (!def.delete && !def.batch?.delete)
      ctx.addIssue({ code: 'custom', path: ['delete'], message: 'needs delete or batch.delete' });
    if (def.list.updatedSince?.mode === 'client' && !def.record.updatedAtPath)
      ctx.addIssue({
        code: 'custom',
        path: ['list', 'updatedSince'],
        message: 'client-side filtering needs record.updatedAtPath',
      });
    if (def.list.updatedSince?.format === 'raw' && !def.record.updatedAtPath)
      ctx.addIssue({
        code: 'custom',
        path: ['list', 'updatedSince', 'format'],
        message: 'raw needs record.updatedAtPath',
      });
  });

export type DeclarativeDefinition = z.infer<typeof ZDeclarativeDefinition>;
/** What a definition author writes (defaults not yet applied). */
export type DeclarativeDefinitionInput = z.input<typeof ZDeclarativeDefinition>;

/** Thrown when a definition does not validate; `issues` lists each problem with its path. */
export class DefinitionError extends Error {
  override name = 'DefinitionError';
  constructor(
    readonly issues: { path: string; message: string }[],
    source = 'definition',
  ) {
    super(`Invalid ${source}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || '(root)';
}

/** Validates a definition; throws DefinitionError listing every problem with its path. */
export function parseDefinition(input: unknown, source?: string): DeclarativeDefinition {
  const result = ZDeclarativeDefinition.safeParse(input);
  if (!result.success) {
    throw new DefinitionError(
      result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
      source,
    );
  }
  return result.data;
}
