// What the declarative sandbox is told about one vendor's API: where it lives, how it checks
// credentials, how a record looks on the wire, how lists page, what errors and 429s look like, and
// how webhooks are signed. Written per vendor from its public reference (sandbox-profiles.ts),
// independently of the connector definitions, so a definition that does not match its API fails.
import type { RateLimitInfo, VendorResponse } from '../sandbox-kit/responses.ts';
import type { WebhookSigningInput } from './definition.ts';
import type { SandboxChange, SandboxIdStyle, SandboxItem } from './sandbox-store.ts';

export type SandboxTimeFormat =
  /** 2026-01-02T03:04:05.678Z */
  | 'iso'
  /** 2026-01-02T03:04:05.678000Z (microseconds, like the generic API) */
  | 'iso-micro'
  /** 2026-01-02T03:04:05Z */
  | 'iso-seconds'
  /** 2026-01-02T03:04:05+00:00 (Toggl) */
  | 'iso-offset'
  /** 2026-01-02T03:04:05.678+0000 (Salesforce) */
  | 'salesforce'
  /** "1767323045678" (ClickUp) */
  | 'epoch-ms-string';

export type SandboxAuth =
  | { style: 'bearer'; tokens: string[] }
  /** A header carrying the key as is (after an optional prefix): ClickUp, Clockify, monday.com. */
  | { style: 'header'; header: string; prefix?: string; values: string[] }
  /** Query parameters that must all match (Trello key + token). */
  | { style: 'query'; params: Record<string, string> }
  | { style: 'basic'; username: string; password: string }
  | {
      style: 'oauth2';
      /** Path of the token endpoint (form-encoded POST). */
      tokenPath: string;
      clientId: string;
      clientSecret: string;
      /** Accepted refresh token (refresh_token grant); absent: only client_credentials. */
      refreshToken?: string;
      /** Issued access tokens live this long. */
      ttlMs: number;
      /** Say expires_in in the token answer (Salesforce does not). */
      announceExpiry: boolean;
      /** Issue a new refresh token on each refresh (rotation). */
      rotateRefreshToken?: boolean;
      /** Answer instance_url (Salesforce). */
      instanceUrl?: boolean;
    };

export interface SandboxRecordShape {
  id: string;
  /** Render ids as JSON numbers (Toggl, Harvest). */
  numericId?: boolean;
  updated?: { field: string; format: SandboxTimeFormat };
  created?: { field: string; format: SandboxTimeFormat };
  /** The fields live under this key (generic API: `fields`). */
  envelope?: string;
  /** Where our key travels (generic API: `key`). */
  key?: string;
  tombstone?: { field: string; as: 'boolean' | 'time' };
  /** Extra wire fields (Salesforce `attributes`). */
  extra?: (item: SandboxItem, context: { baseUrl: string }) => Record<string, unknown>;
}

export type SandboxPagination =
  /** page numbers; meta says how the end is told. */
  | { style: 'page'; param: string; first: 0 | 1; meta: 'none' | 'clickup' | 'harvest' | 'link-header' }
  | { style: 'offset'; param: string }
  /** opaque cursor in `field` of the answer, sent back as `param` */
  | { style: 'cursor'; param: string; field: string }
  /** records older than the one named (Trello before=<id>, Toggl before=<start>), newest first */
  | { style: 'before'; param: string; field: 'id' | string };

export interface SandboxList {
  /** Express path below basePath; `:object` is the board / list / collection. */
  path: string;
  /** Key of the records array (':object' = the object's name, Harvest); null = a bare array. */
  envelope: string | null;
  pageSize: { param?: string; default: number; max: number };
  pagination: SandboxPagination;
  since?: { param: string; format: 'iso' | 'epoch-ms' | 'epoch-seconds'; inclusive: boolean; tombstones: boolean };
  filters?: { ids?: string; keys?: string };
}

export interface SandboxWrites {
  get?: string;
  create?: { method: 'post'; path: string; status: number };
  update?: { method: 'put' | 'patch'; path: string; answer: 'record' | 'none' };
  delete?: { path: string; answer: 'none' | 'ok-empty' | 'empty-object' | 'deleted-flag' | 'record' };
  /** The generic API's /records/batch and /records/batch_delete. */
  genericBatch?: boolean;
  /** Body keys that are not record fields (Toggl created_with). */
  ignoreKeys?: string[];
}

export interface SandboxWebhookProfile {
  /** The vendor's signing scheme, in the definition vocabulary. */
  signing: WebhookSigningInput;
  payload(change: SandboxChange, render: (item: SandboxItem) => Record<string, unknown>, eventId: string): unknown;
  headers?(change: SandboxChange): Record<string, string>;
}

export interface SandboxProfile {
  name: string;
  dialect: 'rest' | 'monday-graphql' | 'salesforce';
  basePath: string;
  auth: SandboxAuth;
  /** Headers every request must carry (Harvest-Account-Id, User-Agent). */
  requiredHeaders?: Record<string, string | null>;
  rateLimit: { requests: number; windowMs: number };
  rateLimitResponse?: (info: RateLimitInfo) => VendorResponse;
  /** The vendor's error body. */
  error(status: number, code: string, message: string): unknown;
  idStyle: SandboxIdStyle;
  record: SandboxRecordShape;
  list?: SandboxList;
  writes?: SandboxWrites;
  /** GET path answering the connection test. */
  test: { path: string; body: unknown };
  webhook?: SandboxWebhookProfile;
}

export function formatSandboxTime(ms: number, format: SandboxTimeFormat): string {
  const iso = new Date(ms).toISOString();
  switch (format) {
    case 'iso':
      return iso;
    case 'iso-micro':
      return iso.replace('Z', '000Z');
    case 'iso-seconds':
      return iso.replace(/\.\d{3}Z$/, 'Z');
    case 'iso-offset':
      return iso.replace(/\.\d{3}Z$/, '+00:00');
    case 'salesforce':
      return iso.replace('Z', '+0000');
    case 'epoch-ms-string':
      return String(ms);
  }
}

/** The item as the vendor's API shows it. */
export function renderItem(profile: SandboxProfile, item: SandboxItem, baseUrl: string): Record<string, unknown> {
  const shape = profile.record;
  const out: Record<string, unknown> = { [shape.id]: shape.numericId ? Number(item.id) : item.id };
  if (shape.envelope) out[shape.envelope] = structuredClone(item.fields);
  else Object.assign(out, structuredClone(item.fields));
  if (shape.key) out[shape.key] = item.key;
  if (shape.created) out[shape.created.field] = formatSandboxTime(item.createdAt, shape.created.format);
  if (shape.updated) out[shape.updated.field] = formatSandboxTime(item.updatedAt, shape.updated.format);
  if (shape.tombstone)
    out[shape.tombstone.field] =
      shape.tombstone.as === 'boolean'
        ? item.deleted
        : item.deleted
          ? formatSandboxTime(item.updatedAt, 'iso-offset')
          : null;
  if (shape.extra) Object.assign(out, shape.extra(item, { baseUrl }));
  return out;
}

/** Time at the precision the API shows (second-precision APIs filter on whole seconds). */
export function visibleTime(ms: number, format: SandboxTimeFormat | undefined): number {
  return format === 'iso-seconds' || format === 'iso-offset' ? Math.floor(ms / 1000) * 1000 : ms;
}
