// Salesforce sObjects through the REST API, from the public references:
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
//   https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
import type { DeclarativeDefinitionInput } from '../definition.ts';

export const SALESFORCE_API_PATH = '/services/data/v60.0';

const collectionResult = {
  okPath: 'success',
  idPath: 'id',
  errorMessagePath: 'errors[0].message',
  errorCodePath: 'errors[0].statusCode',
};

export const salesforceDefinition = {
  id: 'salesforce',
  name: 'Salesforce',
  integrationType: 'SALESFORCE',
  docs: [
    'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm',
    'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm',
    'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm',
  ],
  notes: [
    'Resource object: the sObject API name (Contact, Task, Participation_Log__c). options.fields lists the fields to read (array or comma-separated, without Id and SystemModstamp; SOQL has no SELECT *).',
    'Auth: OAuth2 refresh-token flow at {settings.loginUrl}/services/oauth2/token (login.salesforce.com, test.salesforce.com or a My Domain); the answer names the instance (instance_url) the API is called on. Salesforce does not say when an access token expires: a 401 (INVALID_SESSION_ID) triggers one refresh and one retry. A rotated refresh token is handed to onTokens.',
    'Reads: SOQL through /query ordered by SystemModstamp, incremental with SystemModstamp > since (second precision, 1 s overlap); pages follow nextRecordsUrl with batchSize 200 (Sforce-Query-Options). Deleted records are not in incremental reads (queryAll is not used): a full read infers them.',
    'Writes: sObject Collections (composite/sobjects) create, update and delete up to 200 records per request with allOrNone=false, so one bad record fails alone.',
    'Key field: a custom text field marked External ID (e.g. Syncbridge_Id__c) holds our id on creates; lost creates are found with WHERE field IN (…).',
    'Limits: a rolling 24-hour API request allocation per org (REQUEST_LIMIT_EXCEEDED, treated as rate limited), not a per-minute rate; the definition paces at 100 requests per 10 s.',
    'No HMAC webhooks: Outbound Messages are SOAP and Change Data Capture is a streaming channel. Rely on scheduled pulls.',
  ],
  baseUrl: `https://login.salesforce.com${SALESFORCE_API_PATH}`,
  credentials: ['clientId', 'clientSecret', 'refreshToken'],
  settings: {
    loginUrl: { description: 'https://login.salesforce.com (default), https://test.salesforce.com or a My Domain URL' },
  },
  auth: {
    type: 'oauth2',
    grant: 'refresh_token',
    tokenUrl: '{settings.loginUrl|https://login.salesforce.com}/services/oauth2/token',
    instanceUrl: { path: 'instance_url', apiPath: SALESFORCE_API_PATH },
  },
  rateLimit: { requests: 100, windowMs: 10_000 },
  errors: { messagePath: 'message', codePath: 'errorCode', rateLimitCodes: ['REQUEST_LIMIT_EXCEEDED'] },
  testConnection: { path: '/limits' },
  record: { idPath: 'Id', updatedAtPath: 'SystemModstamp', omitFields: ['attributes'] },
  list: {
    path: '/query',
    query: {
      q: 'SELECT Id, SystemModstamp, {options.fields|Name} FROM {object}{sinceClause} ORDER BY SystemModstamp ASC, Id ASC',
    },
    headers: { 'Sforce-Query-Options': 'batchSize={limit}' },
    recordsPath: 'records',
    pageSize: { value: 200 },
    pagination: { style: 'next-url', path: 'nextRecordsUrl', donePath: 'done' },
    updatedSince: { clause: ' WHERE SystemModstamp > {since}', format: 'iso-seconds', overlapMs: 1000 },
  },
  lookup: {
    ids: {
      query: { q: 'SELECT Id, SystemModstamp, {options.fields|Name} FROM {object} WHERE Id IN ({ids})' },
      quote: "'",
    },
    keys: { query: { q: 'SELECT Id, {keyField} FROM {object} WHERE {keyField} IN ({keys})' }, quote: "'" },
    maxPerRequest: 200,
  },
  create: { method: 'POST', path: '/sobjects/{object}', idPath: 'id' },
  update: { method: 'PATCH', path: '/sobjects/{object}/{id}' },
  delete: { method: 'DELETE', path: '/sobjects/{object}/{id}' },
  batch: {
    create: {
      method: 'POST',
      path: '/composite/sobjects',
      body: { allOrNone: false, records: '{items}' },
      item: { attributes: { type: '{object}' }, '...': '{fields}' },
      maxSize: 200,
      result: collectionResult,
    },
    update: {
      method: 'PATCH',
      path: '/composite/sobjects',
      body: { allOrNone: false, records: '{items}' },
      item: { attributes: { type: '{object}' }, id: '{id}', '...': '{fields}' },
      maxSize: 200,
      result: collectionResult,
    },
    delete: {
      method: 'DELETE',
      path: '/composite/sobjects',
      query: { ids: '{ids}', allOrNone: 'false' },
      maxSize: 200,
      result: collectionResult,
      notFoundCodes: ['ENTITY_IS_DELETED'],
    },
  },
} satisfies DeclarativeDefinitionInput;
