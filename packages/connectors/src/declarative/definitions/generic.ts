// The generic REST records API of the F025 spec (the system the hand-written REST connector and
// its sandbox speak), as a declarative definition: bearer token, cursor pages, updated_since with the
// API's own timestamps, batch upsert/delete, and webhooks signed with X-Webhook-Signature (hex
// HMAC-SHA256 of `{timestamp}.{body}`) and X-Webhook-Timestamp (Unix seconds, 5-minute window).
import type { DeclarativeDefinitionInput } from '../definition.ts';

const itemResult = {
  okPath: 'ok',
  idPath: 'id',
  updatedAtPath: 'updated_at',
  errorMessagePath: 'error.message',
  errorCodePath: 'error.code',
};

export const genericDefinition = {
  id: 'generic',
  name: 'Generic REST API',
  integrationType: 'GENERIC_REST',
  notes: [
    'Resource object: the collection name (GET /v1/collections/{collection}/records).',
    'Set the integration base URL to the API root (the definition has only a placeholder host).',
    'Incremental pulls pass updated_since the newest updated_at already read, verbatim (microsecond precision); tombstones (deleted: true) in incremental pages become deletes.',
    'Creates carry our id as the record key (the resource key field), so a create whose answer was lost is found by ?key= or refused as duplicate_key and adopted.',
    'Webhooks: X-Webhook-Signature = hex HMAC-SHA256 of "{timestamp}.{raw body}" keyed by the integration webhook secret (several comma-separated during a rotation), X-Webhook-Timestamp in Unix seconds (5 minutes either way), X-Webhook-Id the delivery id.',
  ],
  baseUrl: 'https://api.example.com',
  credentials: ['token'],
  auth: { type: 'bearer', credential: 'token' },
  rateLimit: { requests: 600, windowMs: 60_000 },
  errors: { messagePath: 'message', codePath: 'error' },
  testConnection: { path: '/v1/me', versionPath: 'api_version' },
  record: {
    idPath: 'id',
    updatedAtPath: 'updated_at',
    fieldsPath: 'fields',
    keyPath: 'key',
    deletedPath: 'deleted',
  },
  list: {
    path: '/v1/collections/{object}/records',
    recordsPath: 'records',
    pageSize: { param: 'limit', value: 100 },
    pagination: { style: 'cursor', param: 'cursor', cursorPath: 'next_cursor' },
    updatedSince: { param: 'updated_since', format: 'raw' },
  },
  lookup: {
    ids: { query: { ids: '{ids}', limit: '500' } },
    keys: { query: { key: '{keys}', limit: '500' } },
    maxPerRequest: 100,
  },
  get: { path: '/v1/collections/{object}/records/{id}' },
  create: {
    method: 'POST',
    path: '/v1/collections/{object}/records',
    body: { key: '{key}', fields: '{fields}' },
    recordPath: '',
  },
  update: {
    method: 'PATCH',
    path: '/v1/collections/{object}/records/{id}',
    body: { fields: '{fields}' },
    recordPath: '',
  },
  delete: { method: 'DELETE', path: '/v1/collections/{object}/records/{id}' },
  batch: {
    upsert: {
      method: 'POST',
      path: '/v1/collections/{object}/records/batch',
      body: { records: '{items}' },
      item: { id: '{id}', key: '{key}', fields: '{fields}' },
      maxSize: 100,
      resultsPath: 'results',
      result: { ...itemResult, duplicateKey: { code: 'duplicate_key', existingIdPath: 'error.existing_id' } },
    },
    delete: {
      method: 'POST',
      path: '/v1/collections/{object}/records/batch_delete',
      body: { ids: '{ids}' },
      maxSize: 100,
      resultsPath: 'results',
      result: itemResult,
      notFoundCodes: ['not_found'],
    },
  },
  webhook: {
    signature: {
      scheme: 'hmac',
      header: 'X-Webhook-Signature',
      algorithm: 'sha256',
      encoding: 'hex',
      content: '{timestamp}.{body}',
      separator: ',',
    },
    timestamp: { header: 'X-Webhook-Timestamp', unit: 'seconds', toleranceMs: 300_000 },
    deliveryIdHeader: 'X-Webhook-Id',
    events: {
      actionPath: 'type',
      actions: { 'record.created': 'created', 'record.updated': 'updated', 'record.deleted': 'deleted' },
      idPath: 'record.id',
      recordPath: 'record',
      occurredAtPath: 'occurred_at',
      objectPath: 'collection',
    },
  },
} satisfies DeclarativeDefinitionInput;
