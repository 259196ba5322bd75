// Sandbox profiles: each vendor's API as the declarative sandbox serves it, written from the
// vendor's public reference (paths, auth, record shape, pagination, error bodies, 429s, webhook
// signing). Credentials here are sandbox constants, never real ones.
import type { RateLimitInfo, VendorResponse } from '../sandbox-kit/responses.ts';
import { defaultRateLimitResponse } from '../sandbox-kit/responses.ts';
import type { SandboxProfile } from './sandbox-profile.ts';
import type { SandboxChange } from './sandbox-store.ts';

export const SANDBOX_CREDENTIALS = {
  generic: { token: 'generic-sandbox-token' },
  trello: { apiKey: 'trello-sandbox-key', token: 'trello-sandbox-token' },
  monday: { token: 'monday-sandbox-token' },
  clickup: { token: 'pk_clickup_sandbox_token' },
  toggl: { apiToken: 'toggl-sandbox-api-token' },
  harvest: { token: 'harvest-sandbox-token' },
  clockify: { apiKey: 'clockify-sandbox-key' },
  salesforce: {
    clientId: 'sf-sandbox-client',
    clientSecret: 'sf-sandbox-secret',
    refreshToken: 'sf-sandbox-refresh-token',
  },
} as const;

export const SANDBOX_SETTINGS = {
  harvest: { accountId: '1234567', userAgent: 'Syncbridge tests (tests@example.com)' },
  clockify: { workspaceId: 'ws-sandbox' },
} as const;

const seconds = (info: RateLimitInfo) => Math.max(1, Math.ceil(info.retryAfterMs / 1000));
const iso = (ms: number) => new Date(ms).toISOString();
const action = <T extends string>(change: SandboxChange, names: Record<SandboxChange['type'], T>): T =>
  names[change.type];

export const genericProfile: SandboxProfile = {
  name: 'generic',
  dialect: 'rest',
  basePath: '',
  auth: { style: 'bearer', tokens: [SANDBOX_CREDENTIALS.generic.token] },
  rateLimit: { requests: 600, windowMs: 60_000 },
  error: (_status, code, message) => ({ error: code, message }),
  idStyle: 'rec',
  record: {
    id: 'id',
    envelope: 'fields',
    key: 'key',
    created: { field: 'created_at', format: 'iso-micro' },
    updated: { field: 'updated_at', format: 'iso-micro' },
    tombstone: { field: 'deleted', as: 'boolean' },
  },
  list: {
    path: '/v1/collections/:object/records',
    envelope: 'records',
    pageSize: { param: 'limit', default: 100, max: 500 },
    pagination: { style: 'cursor', param: 'cursor', field: 'next_cursor' },
    since: { param: 'updated_since', format: 'iso', inclusive: false, tombstones: true },
    filters: { ids: 'ids', keys: 'key' },
  },
  writes: {
    get: '/v1/collections/:object/records/:id',
    create: { method: 'post', path: '/v1/collections/:object/records', status: 201 },
    update: { method: 'patch', path: '/v1/collections/:object/records/:id', answer: 'record' },
    delete: { path: '/v1/collections/:object/records/:id', answer: 'deleted-flag' },
    genericBatch: true,
  },
  test: { path: '/v1/me', body: { ok: true, api_version: '1.0' } },
  webhook: {
    signing: {
      signature: {
        scheme: 'hmac',
        header: 'X-Webhook-Signature',
        algorithm: 'sha256',
        encoding: 'hex',
        content: '{timestamp}.{body}',
      },
      timestamp: { header: 'X-Webhook-Timestamp', unit: 'seconds' },
      deliveryIdHeader: 'X-Webhook-Id',
    },
    payload: (change, render, id) => ({
      id,
      type: `record.${change.type}`,
      collection: change.item.object,
      record: render(change.item),
      occurred_at: iso(change.item.updatedAt),
    }),
    headers: (change) => ({ 'X-Webhook-Event': `record.${change.type}` }),
  },
};

/** The generic API with other pagination styles, for custom definitions (offset, link header). */
export function genericProfileWith(pagination: NonNullable<SandboxProfile['list']>['pagination']): SandboxProfile {
  const list = genericProfile.list!;
  return { ...genericProfile, name: `generic-${pagination.style}`, list: { ...list, pagination } };
}

export const trelloProfile: SandboxProfile = {
  name: 'trello',
  dialect: 'rest',
  basePath: '/1',
  auth: { style: 'query', params: { key: SANDBOX_CREDENTIALS.trello.apiKey, token: SANDBOX_CREDENTIALS.trello.token } },
  rateLimit: { requests: 100, windowMs: 10_000 },
  rateLimitResponse: (info) => ({
    ...defaultRateLimitResponse(info),
    body: { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' },
  }),
  error: (status, code, message) => (status === 401 ? 'invalid token' : { message, error: code.toUpperCase() }),
  idStyle: 'hex24',
  record: {
    id: 'id',
    updated: { field: 'dateLastActivity', format: 'iso' },
    extra: (item) => ({ idBoard: item.object, closed: false }),
  },
  list: {
    path: '/boards/:object/cards',
    envelope: null,
    pageSize: { param: 'limit', default: 1000, max: 1000 },
    pagination: { style: 'before', param: 'before', field: 'id' },
  },
  writes: {
    get: '/cards/:id',
    create: { method: 'post', path: '/cards', status: 200 },
    update: { method: 'put', path: '/cards/:id', answer: 'record' },
    delete: { path: '/cards/:id', answer: 'empty-object' },
    ignoreKeys: ['idBoard', 'closed'],
  },
  test: { path: '/members/me', body: { id: '5abbe4b7ddc1b351ef961414', username: 'sandbox' } },
  webhook: {
    signing: {
      signature: {
        scheme: 'hmac',
        header: 'X-Trello-Webhook',
        algorithm: 'sha1',
        encoding: 'base64',
        content: '{body}{callbackUrl}',
      },
    },
    payload: (change, _render, id) => ({
      action: {
        id,
        type: action(change, { created: 'createCard', updated: 'updateCard', deleted: 'deleteCard' }),
        date: iso(change.item.updatedAt),
        data: { card: { id: change.item.id, name: change.item.fields.name }, board: { id: change.item.object } },
      },
      model: { id: change.item.object },
    }),
  },
};

export const mondayProfile: SandboxProfile = {
  name: 'monday',
  dialect: 'monday-graphql',
  basePath: '/v2',
  auth: { style: 'header', header: 'Authorization', values: [SANDBOX_CREDENTIALS.monday.token] },
  rateLimit: { requests: 100, windowMs: 60_000 },
  rateLimitResponse: (info): VendorResponse => ({
    status: 429,
    headers: { 'Retry-After': String(seconds(info)) },
    body: {
      errors: [
        {
          message: 'Rate limit exceeded',
          extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: seconds(info) },
        },
      ],
      account_id: 1,
    },
  }),
  error: (_status, code, message) => ({ errors: [{ message, extensions: { code } }], account_id: 1 }),
  idStyle: 'numeric',
  record: {
    id: 'id',
    updated: { field: 'updated_at', format: 'iso-seconds' },
    extra: (item) => ({
      column_values: Object.entries((item.fields.column_values ?? {}) as Record<string, string>).map(([id, text]) => ({
        id,
        text,
        value: JSON.stringify(text),
      })),
    }),
  },
  test: { path: '', body: {} },
};

export const clickupProfile: SandboxProfile = {
  name: 'clickup',
  dialect: 'rest',
  basePath: '/api/v2',
  auth: { style: 'header', header: 'Authorization', values: [SANDBOX_CREDENTIALS.clickup.token] },
  rateLimit: { requests: 100, windowMs: 60_000 },
  // https://developer.clickup.com/docs/rate-limits: the reset time, not a Retry-After.
  rateLimitResponse: (info) => ({
    status: 429,
    body: { err: 'Rate limit reached', ECODE: 'APP_002' },
    headers: {
      'X-RateLimit-Limit': String(info.limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil((Date.now() + info.retryAfterMs) / 1000)),
    },
  }),
  error: (_status, code, message) => ({ err: message, ECODE: code }),
  idStyle: 'clickup',
  record: {
    id: 'id',
    created: { field: 'date_created', format: 'epoch-ms-string' },
    updated: { field: 'date_updated', format: 'epoch-ms-string' },
    extra: (item) => ({ list: { id: item.object } }),
  },
  list: {
    path: '/list/:object/task',
    envelope: 'tasks',
    pageSize: { default: 100, max: 100 },
    pagination: { style: 'page', param: 'page', first: 0, meta: 'clickup' },
    since: { param: 'date_updated_gt', format: 'epoch-ms', inclusive: false, tombstones: false },
  },
  writes: {
    get: '/task/:id',
    create: { method: 'post', path: '/list/:object/task', status: 200 },
    update: { method: 'put', path: '/task/:id', answer: 'record' },
    delete: { path: '/task/:id', answer: 'none' },
    ignoreKeys: ['list'],
  },
  test: { path: '/user', body: { user: { id: 1, username: 'sandbox' } } },
  webhook: {
    signing: { signature: { scheme: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' } },
    payload: (change, _render, id) => ({
      event: action(change, { created: 'taskCreated', updated: 'taskUpdated', deleted: 'taskDeleted' }),
      task_id: change.item.id,
      webhook_id: 'wh_sandbox',
      history_items: [{ id, date: String(change.item.updatedAt), field: change.type }],
    }),
  },
};

export const togglProfile: SandboxProfile = {
  name: 'toggl',
  dialect: 'rest',
  basePath: '/api/v9',
  auth: { style: 'basic', username: SANDBOX_CREDENTIALS.toggl.apiToken, password: 'api_token' },
  rateLimit: { requests: 1, windowMs: 1000 },
  error: (_status, _code, message) => message,
  idStyle: 'numeric',
  record: {
    id: 'id',
    numericId: true,
    updated: { field: 'at', format: 'iso-offset' },
    tombstone: { field: 'server_deleted_at', as: 'time' },
    extra: (item) => ({ workspace_id: Number(item.object) }),
  },
  list: {
    path: '/me/time_entries',
    envelope: null,
    pageSize: { default: 1000, max: 1000 },
    pagination: { style: 'before', param: 'before', field: 'start' },
    since: { param: 'since', format: 'epoch-seconds', inclusive: true, tombstones: true },
  },
  writes: {
    get: '/me/time_entries/:id',
    create: { method: 'post', path: '/workspaces/:object/time_entries', status: 200 },
    update: { method: 'put', path: '/workspaces/:object/time_entries/:id', answer: 'record' },
    delete: { path: '/workspaces/:object/time_entries/:id', answer: 'ok-empty' },
    ignoreKeys: ['created_with', 'workspace_id', 'server_deleted_at'],
  },
  test: { path: '/me', body: { id: 1, email: 'sandbox@example.com' } },
  webhook: {
    signing: {
      signature: {
        scheme: 'hmac',
        header: 'X-Webhook-Signature-256',
        algorithm: 'sha256',
        encoding: 'hex',
        prefix: 'sha256=',
      },
    },
    payload: (change, render, id) => ({
      event_id: id,
      creator_id: 1,
      metadata: { action: change.type, model: 'time_entry', workspace_id: Number(change.item.object) },
      payload: render(change.item),
      subscription_id: 1,
      timestamp: new Date().toISOString(),
    }),
  },
};

export const harvestProfile: SandboxProfile = {
  name: 'harvest',
  dialect: 'rest',
  basePath: '/v2',
  auth: { style: 'bearer', tokens: [SANDBOX_CREDENTIALS.harvest.token] },
  requiredHeaders: { 'Harvest-Account-Id': SANDBOX_SETTINGS.harvest.accountId, 'User-Agent': null },
  rateLimit: { requests: 100, windowMs: 15_000 },
  error: (status, code, message) =>
    status === 422 || status === 400 ? { message } : { error: code, error_description: message },
  idStyle: 'numeric',
  record: {
    id: 'id',
    numericId: true,
    created: { field: 'created_at', format: 'iso-seconds' },
    updated: { field: 'updated_at', format: 'iso-seconds' },
  },
  list: {
    path: '/:object',
    envelope: ':object',
    pageSize: { param: 'per_page', default: 2000, max: 2000 },
    pagination: { style: 'page', param: 'page', first: 1, meta: 'harvest' },
    since: { param: 'updated_since', format: 'iso', inclusive: true, tombstones: false },
  },
  writes: {
    get: '/:object/:id',
    create: { method: 'post', path: '/:object', status: 201 },
    update: { method: 'patch', path: '/:object/:id', answer: 'record' },
    delete: { path: '/:object/:id', answer: 'ok-empty' },
  },
  test: { path: '/users/me', body: { id: 1, first_name: 'Sandbox' } },
};

export const clockifyProfile: SandboxProfile = {
  name: 'clockify',
  dialect: 'rest',
  basePath: '/api/v1',
  auth: { style: 'header', header: 'X-Api-Key', values: [SANDBOX_CREDENTIALS.clockify.apiKey] },
  rateLimit: { requests: 50, windowMs: 1000 },
  error: (status, _code, message) => ({ message, code: status === 404 ? 501 : status }),
  idStyle: 'hex24',
  record: { id: 'id', extra: (item) => ({ userId: item.object, workspaceId: SANDBOX_SETTINGS.clockify.workspaceId }) },
  list: {
    path: '/workspaces/:workspace/user/:object/time-entries',
    envelope: null,
    pageSize: { param: 'page-size', default: 50, max: 5000 },
    pagination: { style: 'page', param: 'page', first: 1, meta: 'none' },
  },
  writes: {
    get: '/workspaces/:workspace/time-entries/:id',
    create: { method: 'post', path: '/workspaces/:workspace/user/:object/time-entries', status: 201 },
    update: { method: 'put', path: '/workspaces/:workspace/time-entries/:id', answer: 'record' },
    delete: { path: '/workspaces/:workspace/time-entries/:id', answer: 'none' },
    ignoreKeys: ['userId', 'workspaceId'],
  },
  test: {
    path: '/user',
    body: { id: 'user-1', name: 'Sandbox', defaultWorkspace: SANDBOX_SETTINGS.clockify.workspaceId },
  },
  webhook: {
    signing: { signature: { scheme: 'token', header: 'Clockify-Signature' } },
    payload: (change, render) => render(change.item),
    headers: (change) => ({
      'Clockify-Webhook-Event-Type': action(change, {
        created: 'NEW_TIME_ENTRY',
        updated: 'TIME_ENTRY_UPDATED',
        deleted: 'TIME_ENTRY_DELETED',
      }),
    }),
  },
};

export const SALESFORCE_SANDBOX_API_PATH = '/services/data/v60.0';

export const salesforceProfile: SandboxProfile = {
  name: 'salesforce',
  dialect: 'salesforce',
  basePath: SALESFORCE_SANDBOX_API_PATH,
  auth: {
    style: 'oauth2',
    tokenPath: '/services/oauth2/token',
    clientId: SANDBOX_CREDENTIALS.salesforce.clientId,
    clientSecret: SANDBOX_CREDENTIALS.salesforce.clientSecret,
    refreshToken: SANDBOX_CREDENTIALS.salesforce.refreshToken,
    ttlMs: 15 * 60_000,
    announceExpiry: false,
    instanceUrl: true,
  },
  rateLimit: { requests: 100, windowMs: 10_000 },
  // Salesforce meters a daily allocation and answers 403 REQUEST_LIMIT_EXCEEDED, not 429.
  rateLimitResponse: () => ({
    status: 403,
    body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
  }),
  error: (_status, code, message) => [
    {
      message,
      errorCode:
        code === 'validation_failed' ? 'FIELD_CUSTOM_VALIDATION_EXCEPTION' : code === 'not_found' ? 'NOT_FOUND' : code,
      fields: [],
    },
  ],
  idStyle: 'salesforce',
  record: {
    id: 'Id',
    created: { field: 'CreatedDate', format: 'salesforce' },
    updated: { field: 'SystemModstamp', format: 'salesforce' },
    extra: (item) => ({
      attributes: { type: item.object, url: `${SALESFORCE_SANDBOX_API_PATH}/sobjects/${item.object}/${item.id}` },
    }),
  },
  test: { path: '/limits', body: { DailyApiRequests: { Max: 100_000, Remaining: 99_999 } } },
};

export const SANDBOX_PROFILES = {
  generic: genericProfile,
  trello: trelloProfile,
  monday: mondayProfile,
  clickup: clickupProfile,
  toggl: togglProfile,
  harvest: harvestProfile,
  clockify: clockifyProfile,
  salesforce: salesforceProfile,
} as const;
