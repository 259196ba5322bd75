// monday.com items of one board. monday.com has a GraphQL API only: this definition sends fixed
// GraphQL documents with variables (the definition format's body templates), which covers reading
// a board's items page by page, creating, updating and deleting items. From the API reference:
//   https://developer.monday.com/api-reference/reference/items-page
//   https://developer.monday.com/api-reference/reference/items
//   https://developer.monday.com/api-reference/reference/columns#change-multiple-column-values
//   https://developer.monday.com/api-reference/docs/rate-limits
//   https://developer.monday.com/api-reference/docs/errors
import type { DeclarativeDefinitionInput } from '../definition.ts';

const ITEM_FIELDS = 'id name updated_at column_values { id text value }';

export const mondayDefinition = {
  id: 'monday',
  name: 'monday.com',
  integrationType: 'MONDAY',
  docs: [
    'https://developer.monday.com/api-reference/reference/items-page',
    'https://developer.monday.com/api-reference/reference/items',
    'https://developer.monday.com/api-reference/reference/columns',
    'https://developer.monday.com/api-reference/docs/rate-limits',
  ],
  notes: [
    'GraphQL subset covered: boards(ids:) { items_page } then next_items_page(cursor:) for reads, create_item, change_multiple_column_values and delete_item for writes. Other queries (subitems, updates, groups, files) are not covered.',
    'Resource object: the board id. Fields: name, and column_values as { column id: text } when read; writes send column_values as given (the JSON each column type accepts, e.g. a status label) plus name.',
    'No updated-since filter is used: each pull pages through the board (cursor, 100 items a page) and keeps items whose updated_at is newer than the last pull (client-side).',
    'Errors arrive in the body of a 200 (errors[]); complexity and rate-limit codes are treated as rate limited, with retry_in_seconds when given. Budgets are per minute (complexity points and requests by plan); the definition paces at 100 requests per minute.',
    'No webhooks: monday.com board webhooks use a challenge handshake and, for apps, a JWT in Authorization, not a shared-secret HMAC. Rely on scheduled pulls.',
  ],
  baseUrl: 'https://api.monday.com/v2',
  credentials: ['token'],
  settings: { apiVersion: { description: 'API-Version header (default 2025-04)' } },
  auth: { type: 'api_key', headers: { Authorization: '{credentials.token}' } },
  headers: { 'API-Version': '{settings.apiVersion|2025-04}' },
  rateLimit: { requests: 100, windowMs: 60_000 },
  errors: {
    bodyErrorsPath: 'errors',
    messagePath: 'message',
    codePath: 'extensions.code',
    rateLimitCodes: [
      'ComplexityException',
      'COMPLEXITY_BUDGET_EXHAUSTED',
      'RATE_LIMIT_EXCEEDED',
      'maxConcurrencyExceeded',
    ],
    retryAfter: { header: 'retry-after', format: 'seconds', bodyPath: 'errors[0].extensions.retry_in_seconds' },
  },
  testConnection: { method: 'POST', path: '', body: { query: 'query { me { id } }' } },
  record: {
    idPath: 'id',
    updatedAtPath: 'updated_at',
    pivots: [{ path: 'column_values', keyField: 'id', valueField: 'text' }],
  },
  list: {
    method: 'POST',
    path: '',
    body: {
      query: `query ($board: [ID!], $limit: Int!) { boards(ids: $board) { items_page(limit: $limit) { cursor items { ${ITEM_FIELDS} } } } }`,
      variables: { board: ['{object}'], limit: '{limit}' },
    },
    recordsPath: 'data.boards[0].items_page.items',
    pageSize: { value: 100 },
    pagination: {
      style: 'cursor',
      cursorPath: 'data.boards[0].items_page.cursor',
      next: {
        body: {
          query: `query ($cursor: String!, $limit: Int!) { next_items_page(cursor: $cursor, limit: $limit) { cursor items { ${ITEM_FIELDS} } } }`,
          variables: { cursor: '{cursor}', limit: '{limit}' },
        },
        recordsPath: 'data.next_items_page.items',
        cursorPath: 'data.next_items_page.cursor',
      },
    },
    // updated_at has second precision: keep items from the high-water second on (repeats skip by hash).
    updatedSince: { mode: 'client', overlapMs: 1000 },
  },
  create: {
    method: 'POST',
    path: '',
    body: {
      query: `mutation ($board: ID!, $name: String!, $values: JSON) { create_item(board_id: $board, item_name: $name, column_values: $values) { ${ITEM_FIELDS} } }`,
      variables: { board: '{object}', name: '{fields.name}', values: '{json:fields.column_values}' },
    },
    recordPath: 'data.create_item',
  },
  update: {
    method: 'POST',
    path: '',
    body: {
      query: `mutation ($board: ID!, $item: ID!, $values: JSON!) { change_multiple_column_values(board_id: $board, item_id: $item, column_values: $values) { ${ITEM_FIELDS} } }`,
      variables: {
        board: '{object}',
        item: '{id}',
        values: { $json: { name: '{fields.name}', '...': '{fields.column_values}' } },
      },
    },
    recordPath: 'data.change_multiple_column_values',
  },
  delete: {
    method: 'POST',
    path: '',
    body: { query: 'mutation ($item: ID!) { delete_item(item_id: $item) { id } }', variables: { item: '{id}' } },
  },
} satisfies DeclarativeDefinitionInput;
