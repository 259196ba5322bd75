// What the admin app knows about each integration type: its card in the wizard, which auth types
// and credential fields it takes (the keys the engine's connector registry reads), its default API
// address and what its "external object" is called. Only types the registry can build are offered;
// the declarative ones follow their definitions in packages/connectors/src/declarative/definitions.
import type { RouterOutputs } from '../../trpc.ts';

type Summary = RouterOutputs['integrations']['get'];
export type IntegrationTypeName = Summary['type'];
export type AuthTypeName = Summary['authType'];
export type DirectionName = Summary['direction'];
export type FrequencyName = Summary['frequency'];
export type ConflictStrategyName = Summary['conflictStrategy'];

export interface CredentialField {
  /** Key in the credentials JSON (what packages/engine/src/connector-registry.ts reads). */
  key: string;
  label: string;
  hint?: string;
  /** A JSON document (service-account key): entered in a textarea and sent parsed. */
  json?: boolean;
}

export interface SettingField {
  key: string;
  label: string;
  hint?: string;
  required?: boolean;
  /** A choice instead of free text; the empty value means "not set". */
  options?: { value: string; label: string }[];
}

export interface AuthOption {
  authType: AuthTypeName;
  label: string;
  fields: CredentialField[];
}

export interface IntegrationTypeInfo {
  type: IntegrationTypeName;
  label: string;
  description: string;
  /** The vendor's API root, used when the base URL is left empty. */
  defaultBaseUrl: string | null;
  /** Replaces the usual "leave empty for …" hint under the base URL. */
  baseUrlHint?: string;
  baseUrlRequired: boolean;
  auth: AuthOption[];
  /** Non-secret settings asked for with the basics (stored in integration.settings). */
  settings: SettingField[];
  /** What a resource's external object is for this system. */
  externalObject: { label: string; hint: string };
  externalKeyField: { label: string; hint: string };
  /** Per-resource, non-secret options the connector reads (resource.options), asked for with the resource. */
  resourceOptions?: SettingField[];
  /** False: the server's connector registry cannot build it yet, so the wizard does not offer it. */
  available: boolean;
}

const token = (label: string, hint: string, key = 'accessToken'): CredentialField => ({ key, label, hint });

export const INTEGRATION_TYPES: IntegrationTypeInfo[] = [
  {
    type: 'SMARTSHEET',
    label: 'Smartsheet',
    description: 'Rows of a sheet, matched to columns by title.',
    defaultBaseUrl: 'https://api.smartsheet.com/2.0',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'BEARER_TOKEN',
        label: 'API access token',
        fields: [token('API access token', 'Account → Apps & Integrations → API Access in Smartsheet.')],
      },
    ],
    settings: [],
    externalObject: { label: 'Sheet ID', hint: 'File → Properties in Smartsheet shows the sheet ID.' },
    externalKeyField: { label: 'Key column title', hint: 'The column that holds your record ID, e.g. "ID".' },
    available: true,
  },
  {
    type: 'GOOGLE_SHEETS',
    label: 'Google Sheets',
    description: 'A tab of a spreadsheet, one row per record.',
    defaultBaseUrl: 'https://sheets.googleapis.com/',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'SERVICE_ACCOUNT',
        label: 'Service account key',
        fields: [
          {
            key: 'serviceAccount',
            label: 'Service account key (JSON)',
            hint: 'Paste the whole JSON key file. Share the spreadsheet with the service account’s email.',
            json: true,
          },
        ],
      },
      {
        authType: 'OAUTH2',
        label: 'OAuth refresh token',
        fields: [
          { key: 'clientId', label: 'OAuth client ID' },
          { key: 'clientSecret', label: 'OAuth client secret' },
          { key: 'refreshToken', label: 'Refresh token' },
        ],
      },
    ],
    settings: [],
    externalObject: {
      label: 'Spreadsheet ID',
      hint: 'The long ID in the spreadsheet’s address; its first tab is used.',
    },
    externalKeyField: { label: 'Key column header', hint: 'The column that holds your record ID.' },
    available: true,
  },
  {
    type: 'WEBFLOW',
    label: 'Webflow',
    description: 'Items of a CMS collection, published or staged.',
    defaultBaseUrl: 'https://api.webflow.com/v2',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'BEARER_TOKEN',
        label: 'Site API token',
        fields: [token('Site API token', 'Site settings → Apps & integrations → API access in Webflow.')],
      },
    ],
    settings: [],
    externalObject: { label: 'Collection ID', hint: 'The CMS collection’s ID (collection settings in Webflow).' },
    externalKeyField: { label: 'Key field slug', hint: 'The field that holds your record ID, e.g. external-id.' },
    available: true,
  },
  {
    type: 'SMARTSUITE',
    label: 'SmartSuite',
    description: 'Records of a table in a SmartSuite workspace.',
    defaultBaseUrl: 'https://app.smartsuite.com/api/v1',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'API_KEY',
        label: 'API key',
        fields: [token('API key', 'Your profile → API key in SmartSuite.', 'apiKey')],
      },
    ],
    settings: [
      {
        key: 'accountId',
        label: 'Workspace ID',
        hint: 'The 8-character ID in your SmartSuite address (app.smartsuite.com/<workspace>).',
        required: true,
      },
    ],
    externalObject: { label: 'Table ID', hint: 'The table’s ID (from its address in SmartSuite).' },
    externalKeyField: { label: 'Key field slug', hint: 'The field that holds your record ID.' },
    available: true,
  },
  {
    type: 'ASANA',
    label: 'Asana',
    description: 'Tasks of a project, with assignees and sections.',
    defaultBaseUrl: 'https://app.asana.com/api/1.0',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'BEARER_TOKEN',
        label: 'Personal access token',
        fields: [token('Personal access token', 'My settings → Apps → Developer apps in Asana.')],
      },
    ],
    settings: [],
    externalObject: { label: 'Project GID', hint: 'The number in the project’s address in Asana.' },
    externalKeyField: { label: 'Key field', hint: 'Leave empty: Asana tasks have their own IDs.' },
    available: true,
  },
  {
    type: 'HUBSPOT',
    label: 'HubSpot',
    description: 'CRM objects: contacts, companies, deals, tasks.',
    defaultBaseUrl: 'https://api.hubapi.com',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'BEARER_TOKEN',
        label: 'Private app access token',
        fields: [token('Private app access token', 'Settings → Integrations → Private apps in HubSpot.')],
      },
    ],
    settings: [],
    externalObject: { label: 'Object type', hint: 'contacts, companies, deals, tasks or a custom object ID.' },
    externalKeyField: { label: 'Key property', hint: 'A unique property that holds your record ID, e.g. email.' },
    available: true,
  },
  // Declarative REST definitions (packages/connectors/src/declarative/definitions): the credential
  // keys are the ones each definition names, the settings the ones its templates read.
  {
    type: 'TRELLO',
    label: 'Trello',
    description: 'Cards of a board.',
    defaultBaseUrl: 'https://api.trello.com/1',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'API_KEY',
        label: 'API key and token',
        fields: [
          token('API key', 'trello.com/power-ups/admin → your Power-Up → API key.', 'apiKey'),
          token(
            'API token',
            'The “Token” link next to the API key on the same page; authorise it with the account that sees the board.',
            'token',
          ),
        ],
      },
    ],
    settings: [],
    externalObject: {
      label: 'Board ID',
      hint: 'The board’s 24-character ID: add .json to the board’s address in Trello and copy the first "id".',
    },
    externalKeyField: { label: 'Key field', hint: 'Leave empty: Trello cards have their own IDs.' },
    resourceOptions: [
      {
        key: 'listId',
        label: 'List ID for new cards',
        hint: 'Needed to push new cards: open a card of that list, add .json to its address and copy "idList".',
      },
    ],
    available: true,
  },
  {
    type: 'MONDAY',
    label: 'monday.com',
    description: 'Items of a board, with their column values.',
    defaultBaseUrl: 'https://api.monday.com/v2',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'API_KEY',
        label: 'Personal API token',
        fields: [
          token(
            'Personal API token',
            'Your avatar → Developers → My access tokens (admins also: Administration → Connections → API) in monday.com.',
            'token',
          ),
        ],
      },
    ],
    settings: [{ key: 'apiVersion', label: 'API version', hint: 'The API-Version header; 2025-04 when left empty.' }],
    externalObject: { label: 'Board ID', hint: 'The number in the board’s address (….monday.com/boards/<ID>).' },
    externalKeyField: { label: 'Key field', hint: 'Leave empty: monday.com items have their own IDs.' },
    available: true,
  },
  {
    type: 'CLICKUP',
    label: 'ClickUp',
    description: 'Tasks of a list, subtasks and closed tasks included.',
    defaultBaseUrl: 'https://api.clickup.com/api/v2',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'API_KEY',
        label: 'Personal API token',
        fields: [
          token(
            'Personal API token',
            'Your avatar → Settings → Apps → API Token in ClickUp (starts with pk_).',
            'token',
          ),
        ],
      },
    ],
    settings: [],
    externalObject: { label: 'List ID', hint: 'The number after /li/ in the list’s address in ClickUp.' },
    externalKeyField: { label: 'Key field', hint: 'Leave empty: ClickUp tasks have their own IDs.' },
    available: true,
  },
  {
    type: 'TOGGL',
    label: 'Toggl Track',
    description: 'Your time entries, written to one workspace.',
    defaultBaseUrl: 'https://api.track.toggl.com/api/v9',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'BASIC_AUTH',
        label: 'API token',
        fields: [
          token('API token', 'Profile settings in Toggl Track: API Token, at the bottom of the page.', 'apiToken'),
        ],
      },
    ],
    settings: [],
    externalObject: {
      label: 'Workspace ID',
      hint: 'The number in the address of the workspace’s Projects or Settings page in Toggl Track. Reads cover the token owner’s entries.',
    },
    externalKeyField: { label: 'Key field', hint: 'Leave empty: time entries have their own IDs.' },
    available: true,
  },
  {
    type: 'HARVEST',
    label: 'Harvest',
    description: 'Time entries, projects, clients or another list of an account.',
    defaultBaseUrl: 'https://api.harvestapp.com/v2',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'BEARER_TOKEN',
        label: 'Personal access token',
        fields: [
          token('Personal access token', 'id.getharvest.com/developers → Create new personal access token.', 'token'),
        ],
      },
    ],
    settings: [
      {
        key: 'accountId',
        label: 'Account ID',
        hint: 'Shown with the token on id.getharvest.com/developers (sent as Harvest-Account-Id).',
        required: true,
      },
      {
        key: 'userAgent',
        label: 'User-Agent',
        hint: 'Names your app and a contact, as Harvest asks, e.g. Syncbridge (ops@example.com); “Syncbridge” when empty.',
      },
    ],
    externalObject: {
      label: 'Collection',
      hint: 'The API list to sync: time_entries, projects, clients, tasks, users…',
    },
    externalKeyField: { label: 'Key field', hint: 'Leave empty: Harvest records have their own IDs.' },
    available: true,
  },
  {
    type: 'CLOCKIFY',
    label: 'Clockify',
    description: 'Time entries of one user in a workspace.',
    defaultBaseUrl: 'https://api.clockify.me/api/v1',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'API_KEY',
        label: 'API key',
        fields: [
          token(
            'API key',
            'Your profile menu → Preferences → Advanced → Manage API keys in Clockify (sent as X-Api-Key).',
            'apiKey',
          ),
        ],
      },
    ],
    settings: [
      {
        key: 'workspaceId',
        label: 'Workspace ID',
        hint: 'The ID in the address of the workspace settings (app.clockify.me/workspaces/<ID>/settings).',
        required: true,
      },
    ],
    externalObject: {
      label: 'User ID',
      hint: 'Whose time entries sync: yours is the id that GET /v1/user answers with your API key.',
    },
    externalKeyField: { label: 'Key field', hint: 'Leave empty: time entries have their own IDs.' },
    available: true,
  },
  {
    type: 'SALESFORCE',
    label: 'Salesforce',
    description: 'Records of an sObject: contacts, tasks or a custom object.',
    defaultBaseUrl: 'https://login.salesforce.com/services/data/v60.0',
    baseUrlHint:
      'Leave empty: the API address is your instance, which Salesforce names when Syncbridge signs in (see Login URL).',
    baseUrlRequired: false,
    auth: [
      {
        authType: 'OAUTH2',
        label: 'OAuth refresh token (connected app)',
        fields: [
          token(
            'Consumer key',
            'Setup → App Manager → your connected app → View → Manage Consumer Details.',
            'clientId',
          ),
          token('Consumer secret', 'On the same Consumer Details page.', 'clientSecret'),
          token(
            'Refresh token',
            'From the app’s OAuth web-server flow with the refresh_token scope. A rotated token is stored automatically.',
            'refreshToken',
          ),
        ],
      },
    ],
    settings: [
      {
        key: 'loginUrl',
        label: 'Login URL',
        hint: 'https://login.salesforce.com when empty; https://test.salesforce.com for a sandbox, or your My Domain address.',
      },
    ],
    externalObject: {
      label: 'sObject API name',
      hint: 'Setup → Object Manager → API Name, e.g. Contact or Participation_Log__c.',
    },
    externalKeyField: {
      label: 'External ID field',
      hint: 'A custom text field marked External ID that holds your record ID, e.g. Syncbridge_Id__c.',
    },
    resourceOptions: [
      {
        key: 'fields',
        label: 'Fields to read',
        hint: 'API names separated by commas, e.g. FirstName, LastName, Email (Id and SystemModstamp always come); Name when empty.',
      },
    ],
    available: true,
  },
  {
    type: 'GENERIC_REST',
    label: 'Generic REST API',
    description: 'Any JSON API with list, create, update and delete endpoints.',
    defaultBaseUrl: null,
    baseUrlRequired: true,
    auth: [
      {
        authType: 'BEARER_TOKEN',
        label: 'Bearer token',
        fields: [token('Bearer token', 'Sent as Authorization: Bearer <token>.', 'token')],
      },
      { authType: 'NONE', label: 'No authentication', fields: [] },
    ],
    settings: [
      {
        key: 'definition',
        label: 'Connector',
        hint: 'The built-in REST connector, or the shipped declarative definition of the same records API (batch writes, lookups by key, signed webhooks).',
        options: [
          { value: '', label: 'Built-in REST connector' },
          { value: 'generic', label: 'Declarative definition “generic”' },
        ],
      },
    ],
    externalObject: { label: 'Collection path', hint: 'The path of the records under the base URL, e.g. tasks.' },
    externalKeyField: { label: 'Key field', hint: 'The field that holds your record ID, if not the API’s own id.' },
    available: true,
  },
];

export const AVAILABLE_TYPES = INTEGRATION_TYPES.filter((info) => info.available);

export function typeInfo(type: IntegrationTypeName): IntegrationTypeInfo | undefined {
  return INTEGRATION_TYPES.find((info) => info.type === type);
}

export const DIRECTIONS: { value: DirectionName; label: string; hint: string }[] = [
  { value: 'PUSH', label: 'Push: Postgres → tool', hint: 'Your tables are the source; the tool mirrors them.' },
  { value: 'PULL', label: 'Pull: tool → Postgres', hint: 'The tool is the source; your tables mirror it.' },
  { value: 'BIDIRECTIONAL', label: 'Both ways', hint: 'Changes on either side are synced; conflicts can occur.' },
];

export const FREQUENCIES: { value: FrequencyName; label: string }[] = [
  { value: 'REALTIME', label: 'Real time (changes and webhooks)' },
  { value: 'EVERY_15_MIN', label: 'Every 15 minutes' },
  { value: 'EVERY_30_MIN', label: 'Every 30 minutes' },
  { value: 'HOURLY', label: 'Hourly' },
  { value: 'DAILY', label: 'Daily' },
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'MANUAL', label: 'Only when started by hand' },
];

export const CONFLICT_STRATEGIES: { value: ConflictStrategyName; label: string; hint: string }[] = [
  { value: 'LATEST_WINS', label: 'Latest change wins', hint: 'The side changed most recently wins.' },
  { value: 'LOCAL_WINS', label: 'Postgres wins', hint: 'Your table’s value is kept.' },
  { value: 'EXTERNAL_WINS', label: 'Tool wins', hint: 'The tool’s value is kept.' },
  { value: 'MANUAL_REVIEW', label: 'Review by hand', hint: 'Conflicts wait in the conflicts queue.' },
  { value: 'CUSTOM_MERGE', label: 'Custom merge rules', hint: 'Per-field rules set on each resource.' },
];

export function labelOf<T extends string>(options: { value: T; label: string }[], value: T): string {
  return options.find((option) => option.value === value)?.label ?? value;
}

/** The path webhook deliveries are posted to (apps/web/server/webhooks.ts WEBHOOK_RECEIVE_PATH). */
export function webhookUrl(origin: string, integrationId: string): string {
  return `${origin}/api/webhooks/integrations/${integrationId}/receive`;
}

/** For labels inside a sentence: "Workspace ID" → "workspace ID", while "API key" stays as is. */
export function lowerFirst(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : `${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}
