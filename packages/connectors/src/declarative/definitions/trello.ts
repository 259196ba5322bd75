// Trello cards of one board, from the public REST API reference:
//   https://developer.atlassian.com/cloud/trello/rest/api-group-boards/#api-boards-id-cards-get
//   https://developer.atlassian.com/cloud/trello/rest/api-group-cards/
//   https://developer.atlassian.com/cloud/trello/guides/rest-api/rate-limits/
//   https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/ (X-Trello-Webhook)
import type { DeclarativeDefinitionInput } from '../definition.ts';

export const trelloDefinition = {
  id: 'trello',
  name: 'Trello',
  integrationType: 'TRELLO',
  docs: [
    'https://developer.atlassian.com/cloud/trello/rest/api-group-boards/#api-boards-id-cards-get',
    'https://developer.atlassian.com/cloud/trello/rest/api-group-cards/',
    'https://developer.atlassian.com/cloud/trello/guides/rest-api/rate-limits/',
    'https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/',
  ],
  notes: [
    'Resource object: the board id. New cards go to options.listId (or the idList the mapping sends).',
    'Auth: the API key and the user token as key= and token= query parameters on every request.',
    "Trello has no updated-since filter for cards (its since/before compare card ids, i.e. creation times): each pull reads the board's open cards and keeps those whose dateLastActivity is newer than the last pull (client-side). Pages go backwards with before=<id of the last card> and limit=1000.",
    'Archived cards leave the open-card list: a full read treats them as deleted.',
    'No batch writes (/batch takes GET requests only): one request per card.',
    'Webhooks: X-Trello-Webhook is base64 HMAC-SHA1 of the raw body followed by the callback URL, keyed by the app secret; set settings.webhookCallbackUrl to the URL exactly as registered. Deliveries carry no timestamp, and only the changed fields of the card, so cards are fetched by id.',
    'Rate limit: 100 requests per 10 s per token (300 per 10 s per API key); 429 on excess.',
  ],
  baseUrl: 'https://api.trello.com/1',
  credentials: ['apiKey', 'token'],
  settings: {
    webhookCallbackUrl: { description: 'The callback URL registered with Trello (part of the signed content)' },
  },
  auth: { type: 'api_key', query: { key: '{credentials.apiKey}', token: '{credentials.token}' } },
  rateLimit: { requests: 100, windowMs: 10_000 },
  errors: { messagePath: 'message' },
  testConnection: { path: '/members/me' },
  record: { idPath: 'id', updatedAtPath: 'dateLastActivity' },
  list: {
    path: '/boards/{object}/cards',
    recordsPath: '',
    pageSize: { param: 'limit', value: 1000 },
    pagination: { style: 'cursor', param: 'before', cursorFromRecord: 'id' },
    updatedSince: { mode: 'client' },
  },
  get: { path: '/cards/{id}' },
  create: { method: 'POST', path: '/cards', body: { idList: '{options.listId}', '...': '{fields}' }, recordPath: '' },
  update: { method: 'PUT', path: '/cards/{id}', body: '{fields}', recordPath: '' },
  delete: { method: 'DELETE', path: '/cards/{id}' },
  webhook: {
    signature: {
      scheme: 'hmac',
      header: 'X-Trello-Webhook',
      algorithm: 'sha1',
      encoding: 'base64',
      content: '{body}{callbackUrl}',
    },
    deliveryIdPath: 'action.id',
    events: {
      actionPath: 'action.type',
      actions: { createCard: 'created', updateCard: 'updated', deleteCard: 'deleted' },
      idPath: 'action.data.card.id',
      occurredAtPath: 'action.date',
      objectPath: 'action.data.board.id',
    },
  },
} satisfies DeclarativeDefinitionInput;
