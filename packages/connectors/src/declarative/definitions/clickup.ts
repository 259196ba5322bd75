// ClickUp tasks of one list, from the public API v2 reference:
//   https://developer.clickup.com/reference/gettasks (page, date_updated_gt, last_page)
//   https://developer.clickup.com/reference/createtask, /updatetask, /deletetask, /gettask
//   https://developer.clickup.com/docs/rate-limits
//   https://developer.clickup.com/docs/webhooksignature (X-Signature)
import type { DeclarativeDefinitionInput } from '../definition.ts';

export const clickupDefinition = {
  id: 'clickup',
  name: 'ClickUp',
  integrationType: 'CLICKUP',
  docs: [
    'https://developer.clickup.com/reference/gettasks',
    'https://developer.clickup.com/reference/createtask',
    'https://developer.clickup.com/docs/rate-limits',
    'https://developer.clickup.com/docs/webhooksignature',
  ],
  notes: [
    'Resource object: the list id.',
    'Auth: a personal token (pk_…) in Authorization as is; for an OAuth token store "Bearer <token>" as the credential.',
    'Get Tasks pages by number from 0 (100 tasks a page) and says last_page; incremental pulls pass date_updated_gt (Unix ms) and include closed tasks and subtasks. Deleted tasks leave the list: a full read infers them.',
    'No batch writes: one request per task.',
    'Webhooks: X-Signature is hex HMAC-SHA256 of the raw body keyed by the webhook secret. Payloads name the task (task_id) without its fields, so tasks are fetched by id; no timestamp is sent.',
    'Rate limit: 100 requests per minute per token on Free Forever, Unlimited and Business (1,000 and 10,000 on higher plans: raise settings.requestsPerWindow). A 429 says when the window resets (X-RateLimit-Reset, Unix seconds).',
  ],
  baseUrl: 'https://api.clickup.com/api/v2',
  credentials: ['token'],
  auth: { type: 'api_key', headers: { Authorization: '{credentials.token}' } },
  rateLimit: { requests: 100, windowMs: 60_000 },
  errors: {
    messagePath: 'err',
    codePath: 'ECODE',
    retryAfter: { header: 'X-RateLimit-Reset', format: 'epoch-seconds' },
  },
  testConnection: { path: '/user' },
  record: { idPath: 'id', updatedAtPath: 'date_updated', updatedAtFormat: 'epoch-ms' },
  list: {
    path: '/list/{object}/task',
    query: { include_closed: 'true', subtasks: 'true', order_by: 'updated' },
    recordsPath: 'tasks',
    pageSize: { value: 100 },
    pagination: { style: 'page', param: 'page', firstPage: 0, lastPagePath: 'last_page' },
    updatedSince: { param: 'date_updated_gt', format: 'epoch-ms' },
  },
  get: { path: '/task/{id}' },
  create: { method: 'POST', path: '/list/{object}/task', recordPath: '' },
  update: { method: 'PUT', path: '/task/{id}', recordPath: '' },
  delete: { method: 'DELETE', path: '/task/{id}' },
  webhook: {
    signature: { scheme: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' },
    deliveryIdPath: 'history_items[0].id',
    events: {
      actionPath: 'event',
      actions: { taskCreated: 'created', taskUpdated: 'updated', taskStatusUpdated: 'updated', taskDeleted: 'deleted' },
      idPath: 'task_id',
      occurredAtPath: 'history_items[0].date',
    },
  },
} satisfies DeclarativeDefinitionInput;
