// Clockify time entries of one user, from the public API v1 reference:
//   https://docs.clockify.me/#tag/Time-entry
//   https://docs.clockify.me/#section/Authentication
//   https://docs.clockify.me/#tag/Webhooks and the CAKE.com add-on webhook guide (Clockify-Signature)
import type { DeclarativeDefinitionInput } from '../definition.ts';

export const clockifyDefinition = {
  id: 'clockify',
  name: 'Clockify',
  integrationType: 'CLOCKIFY',
  docs: [
    'https://docs.clockify.me/#tag/Time-entry',
    'https://docs.clockify.me/#section/Authentication',
    'https://dev-docs.marketplace.cake.com/documentation/build/manifest/webhooks.html',
  ],
  notes: [
    'Resource object: the user id whose time entries sync; settings.workspaceId names the workspace.',
    'Auth: X-Api-Key header.',
    'Time entries carry no last-modified time and the API has no modified-since filter: every pull is a full read (page and page-size, 200 a page) that the engine diffs by hash; deletes are inferred from full reads; LATEST_WINS has no external edit time to compare.',
    'Updates are PUT (the whole entry): map every field the entry needs (start at least).',
    'No per-record batch create; bulk edit and delete are not used. One request per entry.',
    'Webhooks: Clockify sends the webhook token in Clockify-Signature (compared as is, in constant time) and the event in Clockify-Webhook-Event-Type; the body is the time entry. No timestamp is sent.',
    'Rate limit: 50 requests per second per workspace.',
  ],
  baseUrl: 'https://api.clockify.me/api/v1',
  credentials: ['apiKey'],
  settings: { workspaceId: { required: true, description: 'Clockify workspace id' } },
  auth: { type: 'api_key', headers: { 'X-Api-Key': '{credentials.apiKey}' } },
  rateLimit: { requests: 50, windowMs: 1000 },
  errors: { messagePath: 'message', codePath: 'code' },
  testConnection: { path: '/user' },
  record: { idPath: 'id' },
  list: {
    path: '/workspaces/{settings.workspaceId}/user/{object}/time-entries',
    recordsPath: '',
    pageSize: { param: 'page-size', value: 200 },
    pagination: { style: 'page', param: 'page', firstPage: 1 },
  },
  get: { path: '/workspaces/{settings.workspaceId}/time-entries/{id}' },
  create: { method: 'POST', path: '/workspaces/{settings.workspaceId}/user/{object}/time-entries', recordPath: '' },
  update: { method: 'PUT', path: '/workspaces/{settings.workspaceId}/time-entries/{id}', recordPath: '' },
  delete: { method: 'DELETE', path: '/workspaces/{settings.workspaceId}/time-entries/{id}' },
  webhook: {
    signature: { scheme: 'token', header: 'Clockify-Signature' },
    events: {
      actionHeader: 'Clockify-Webhook-Event-Type',
      actions: {
        NEW_TIME_ENTRY: 'created',
        TIME_ENTRY_UPDATED: 'updated',
        TIMER_STOPPED: 'updated',
        TIME_ENTRY_DELETED: 'deleted',
      },
      idPath: 'id',
      recordPath: '',
    },
  },
} satisfies DeclarativeDefinitionInput;
