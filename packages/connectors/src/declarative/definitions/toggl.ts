// Toggl Track time entries, from the public API v9 reference:
//   https://engineering.toggl.com/docs/api/time_entries
//   https://engineering.toggl.com/docs/authentication
//   https://engineering.toggl.com/docs/webhooks_start/validating_received_events
import type { DeclarativeDefinitionInput } from '../definition.ts';

export const togglDefinition = {
  id: 'toggl',
  name: 'Toggl Track',
  integrationType: 'TOGGL',
  docs: [
    'https://engineering.toggl.com/docs/api/time_entries',
    'https://engineering.toggl.com/docs/authentication',
    'https://engineering.toggl.com/docs/webhooks_start/validating_received_events',
  ],
  notes: [
    "Resource object: the workspace id (writes go to /workspaces/{id}/time_entries); reads list the token owner's time entries (GET /me/time_entries).",
    'Auth: HTTP Basic with the API token as user name and the word api_token as password.',
    'Incremental pulls pass since (Unix seconds, 1 s overlap): Toggl returns the entries modified since then, deleted ones included with server_deleted_at set, which become deletes.',
    'GET /me/time_entries has no page numbers; the definition pages backwards with before=<start of the oldest entry returned> (up to 1,000 a page). In a full read, entries sharing that exact start at a page edge can be missed until the next incremental read sees them change.',
    'No per-record batch: the bulk PATCH applies one JSON Patch to many entries, so each entry is its own request.',
    'Webhooks (Webhooks API v1): X-Webhook-Signature-256 is "sha256=" + hex HMAC-SHA256 of the raw body keyed by the subscription secret; the body carries the entry (payload), the action (metadata.action) and its time (timestamp, checked against the 5-minute window).',
    'Rate limit: Toggl asks for at most about 1 request per second per token and caps requests per hour by plan; 429 on excess.',
  ],
  baseUrl: 'https://api.track.toggl.com/api/v9',
  credentials: ['apiToken'],
  auth: { type: 'basic', username: '{credentials.apiToken}', password: 'api_token' },
  rateLimit: { requests: 1, windowMs: 1000 },
  testConnection: { path: '/me' },
  record: { idPath: 'id', updatedAtPath: 'at', deletedPath: 'server_deleted_at' },
  list: {
    path: '/me/time_entries',
    recordsPath: '',
    pageSize: { value: 1000 },
    pagination: { style: 'cursor', param: 'before', cursorFromRecord: 'start' },
    updatedSince: { param: 'since', format: 'epoch-seconds', overlapMs: 1000 },
  },
  get: { path: '/me/time_entries/{id}' },
  create: {
    method: 'POST',
    path: '/workspaces/{object}/time_entries',
    body: { created_with: 'syncbridge', workspace_id: '{number:object}', '...': '{fields}' },
    recordPath: '',
  },
  update: {
    method: 'PUT',
    path: '/workspaces/{object}/time_entries/{id}',
    body: { workspace_id: '{number:object}', '...': '{fields}' },
    recordPath: '',
  },
  delete: { method: 'DELETE', path: '/workspaces/{object}/time_entries/{id}' },
  webhook: {
    signature: {
      scheme: 'hmac',
      header: 'X-Webhook-Signature-256',
      algorithm: 'sha256',
      encoding: 'hex',
      prefix: 'sha256=',
    },
    timestamp: { bodyPath: 'timestamp', unit: 'iso' },
    deliveryIdPath: 'event_id',
    events: {
      actionPath: 'metadata.action',
      actions: { created: 'created', updated: 'updated', deleted: 'deleted' },
      idPath: 'payload.id',
      recordPath: 'payload',
      occurredAtPath: 'timestamp',
    },
  },
} satisfies DeclarativeDefinitionInput;
