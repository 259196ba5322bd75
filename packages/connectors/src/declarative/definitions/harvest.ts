// Harvest (v2), e.g. time entries, from the public API reference:
//   https://help.getharvest.com/api-v2/authentication-api/authentication/authentication/
//   https://help.getharvest.com/api-v2/timesheets-api/timesheets/time-entries/
//   https://help.getharvest.com/api-v2/introduction/overview/pagination/
//   https://help.getharvest.com/api-v2/introduction/overview/general/ (rate limiting)
import type { DeclarativeDefinitionInput } from '../definition.ts';

export const harvestDefinition = {
  id: 'harvest',
  name: 'Harvest',
  integrationType: 'HARVEST',
  docs: [
    'https://help.getharvest.com/api-v2/authentication-api/authentication/authentication/',
    'https://help.getharvest.com/api-v2/timesheets-api/timesheets/time-entries/',
    'https://help.getharvest.com/api-v2/introduction/overview/pagination/',
  ],
  notes: [
    'Resource object: the collection (time_entries, projects, clients, …): GET /v2/{object} answers { {object}: [...], links }.',
    'Auth: Authorization: Bearer <personal access token> plus Harvest-Account-Id (settings.accountId) and a User-Agent naming the application (settings.userAgent).',
    'Pages follow links.next (2,000 records a page); incremental pulls pass updated_since (ISO-8601, 1 s overlap). Deletions are not reported by incremental reads: a full read infers them.',
    'No batch endpoints: one request per record.',
    'No webhooks (Harvest has none): pull hourly or daily.',
    'Rate limit: 100 requests per 15 seconds; 429 with Retry-After.',
  ],
  baseUrl: 'https://api.harvestapp.com/v2',
  credentials: ['token'],
  settings: {
    accountId: { required: true, description: 'Harvest account id (Harvest-Account-Id header)' },
    userAgent: { description: 'User-Agent naming the application and a contact' },
  },
  auth: { type: 'bearer', credential: 'token' },
  headers: {
    'Harvest-Account-Id': '{settings.accountId}',
    'User-Agent': '{settings.userAgent|Syncbridge}',
  },
  rateLimit: { requests: 100, windowMs: 15_000 },
  errors: { messagePath: 'error_description', codePath: 'error' },
  testConnection: { path: '/users/me' },
  record: { idPath: 'id', updatedAtPath: 'updated_at' },
  list: {
    path: '/{object}',
    recordsPath: '{object}',
    pageSize: { param: 'per_page', value: 2000 },
    pagination: { style: 'next-url', path: 'links.next' },
    updatedSince: { param: 'updated_since', format: 'iso-seconds', overlapMs: 1000 },
  },
  get: { path: '/{object}/{id}' },
  create: { method: 'POST', path: '/{object}', recordPath: '' },
  update: { method: 'PATCH', path: '/{object}/{id}', recordPath: '' },
  delete: { method: 'DELETE', path: '/{object}/{id}' },
} satisfies DeclarativeDefinitionInput;
