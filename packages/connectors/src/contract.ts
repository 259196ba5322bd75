// The connector contract: what the engine needs from one external system. A connector talks to
// that system and nothing else (no database, no queue); the engine owns every write made on behalf
// of a sync, the rate limiting across processes, retries and bookkeeping.

/** Plain JSON values a record field may hold after mapping. */
export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };
export type Fields = Record<string, FieldValue>;

/** The external object a resource syncs with: a sheet id, a collection id, a table name, … */
export interface ResourceRef {
  /** External object identifier (sheet id, collection id, project gid, …). */
  object: string;
  /**
   * External field that carries our internal id on every record we create. It lets the engine
   * find a record created just before a crash (before its external id was stored) instead of
   * creating it twice.
   */
  keyField?: string | null;
  /** Connector-specific, non-secret options for this resource. */
  options?: Record<string, unknown>;
}

export interface ExternalRecord {
  /** The external system's id for the record. */
  id: string;
  fields: Fields;
  /** When the record last changed on the external side (ISO-8601), if the API says. */
  updatedAt?: string | null;
}

/** One page of a pull. */
export interface ChangePage {
  /** Records created or changed since the cursor (or every record, for a full read). */
  records: ExternalRecord[];
  /** Ids the API reports as deleted since the cursor. */
  deletedIds?: string[];
  /**
   * Cursor to store once this page is committed; the next listChanges call resumes from it.
   * Null when the API has no cursor (a full read every time).
   */
  nextCursor: string | null;
  /** True on the last page of a read that covered the whole object (deletes may be inferred). */
  fullReadComplete?: boolean;
}

export interface ListChangesOptions {
  signal?: AbortSignal;
  /** Ask for a full read even when a cursor exists. */
  full?: boolean;
}

export interface UpsertItem {
  /** Our id for the row (the local key). */
  internalId: string;
  /** Known external id: update. Null: create. */
  externalId: string | null;
  /** The record in the external shape, after mapping. */
  fields: Fields;
}

export type ItemResult =
  | { internalId: string; ok: true; externalId: string; updatedAt?: string | null }
  | { internalId: string; ok: false; error: ConnectorError };

export interface DeleteItem {
  internalId: string;
  externalId: string;
}

/** How the engine should treat a failure. Connectors classify at the edge; nothing above parses vendor bodies. */
export type ErrorKind =
  /** Network error, timeout, 5xx: try again with backoff. */
  | 'retryable'
  /** 429 or the vendor's rate-limit code: wait retryAfterMs (or back off) and try again. */
  | 'rate_limited'
  /** Credentials missing, wrong or expired: stop and tell the admin. */
  | 'auth'
  /** The request itself is wrong (4xx): retrying will not help. */
  | 'invalid';

export interface ConnectorError {
  kind: ErrorKind;
  message: string;
  status?: number;
  /** Vendor error code, if any (Smartsheet errorCode, HubSpot category, …). */
  code?: string | number;
  retryAfterMs?: number;
}

export class ConnectorRequestError extends Error implements ConnectorError {
  override name = 'ConnectorRequestError';
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly code?: string | number;
  readonly retryAfterMs?: number;

  constructor(error: ConnectorError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.kind = error.kind;
    this.status = error.status;
    this.code = error.code;
    this.retryAfterMs = error.retryAfterMs;
  }

  toJSON(): ConnectorError {
    return { kind: this.kind, message: this.message, status: this.status, code: this.code, retryAfterMs: this.retryAfterMs };
  }
}

export interface ConnectorLimits {
  /** Requests allowed per window per credential (held across all worker processes by the engine). */
  requestsPerWindow: number;
  windowMs: number;
  /** Largest number of records one upsert or delete call may carry (in one HTTP request). */
  maxBatchSize: number;
  /** Largest delete call, when the API takes fewer ids per request than records per write. */
  maxDeleteBatchSize?: number;
  /** Parallel requests allowed against one external object (1 = serial, e.g. Smartsheet sheets). */
  maxConcurrentPerObject?: number;
  /**
   * An update changes only the fields it carries (PATCH semantics). Two-way pushes then send only
   * what changed locally, so a field edited on the other side meanwhile is not overwritten.
   */
  partialUpdates?: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  latencyMs: number;
  apiVersion?: string;
  message?: string;
  /** Why it failed, classified like any other call (auth → bad credentials, retryable without status → unreachable). */
  error?: ConnectorError;
}

/** What arrived at the webhook ingress, untouched. */
export interface WebhookRequest {
  method: string;
  /** Path and query as received, e.g. /api/webhooks/integrations/ID/receive?x=1 */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** Receive time, for timestamp tolerance checks. */
  now?: Date;
}

export type WebhookVerification =
  | { ok: true; deliveryId: string | null }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'stale_timestamp' | 'malformed' };

export interface WebhookChange {
  /** External object the change belongs to (sheet, collection, project), if the payload says. */
  object?: string;
  externalId: string;
  action: 'created' | 'updated' | 'deleted';
  occurredAt?: string | null;
  /** Present when the payload carries the record; otherwise the engine fetches it. */
  record?: ExternalRecord;
}

export interface FieldDescriptor {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'enum' | 'json' | 'array' | 'unknown';
  required?: boolean;
  options?: string[];
}

export interface Connector {
  readonly type: string;
  readonly limits: ConnectorLimits;
  testConnection(): Promise<ConnectionTestResult>;
  /** Pages of changes since `cursor` (null: from the beginning). */
  listChanges(resource: ResourceRef, cursor: string | null, options?: ListChangesOptions): AsyncIterable<ChangePage>;
  /** Fetches specific records (after a skinny webhook). Missing ids are simply absent. */
  getRecords?(resource: ResourceRef, externalIds: string[]): Promise<ExternalRecord[]>;
  /**
   * Finds records carrying these internal ids in the resource's key field: the engine's way to
   * recover a create whose response was lost. Returns internalId → externalId.
   */
  findByKeys?(resource: ResourceRef, internalIds: string[]): Promise<Map<string, string>>;
  /** Creates or updates up to limits.maxBatchSize records; one bad record fails alone. */
  upsertBatch(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]>;
  deleteBatch(resource: ResourceRef, items: DeleteItem[]): Promise<ItemResult[]>;
  /** Lists the external object's fields for mapping suggestions and schema-drift checks. */
  discoverFields?(resource: ResourceRef): Promise<FieldDescriptor[]>;
  verifyWebhook(request: WebhookRequest, secret: string): WebhookVerification;
  parseWebhook(request: WebhookRequest): WebhookChange[];
  /** Translates anything thrown by this connector into the engine's error classes. */
  classifyError(error: unknown): ConnectorError;
}
