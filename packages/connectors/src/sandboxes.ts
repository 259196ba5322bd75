// Sandbox servers and the kit they share. A separate entry (`@syncbridge/connectors/sandboxes`)
// because it pulls in Express: connectors themselves never load a server framework.
export * from './sandbox-kit/index.ts';
export { createRestSandbox, REST_SANDBOX_API_VERSION, RecordStore, StoreError } from './rest/sandbox/index.ts';
export type {
  FieldValidator,
  ListQuery,
  ListResult,
  RestSandbox,
  RestSandboxOptions,
  RestWebhookConfig,
  RestWebhookDispatcher,
  RestWebhookEvent,
  StoredRecord,
  StoreChange,
} from './rest/sandbox/index.ts';
export { createSmartsheetSandbox, SmartsheetApiError, SmartsheetSheetStore, SMARTSHEET_INVALID_MARKER } from './smartsheet/sandbox/index.ts';
export type {
  SmartsheetSandbox,
  SmartsheetSandboxOptions,
  SmartsheetBulkRowsResult,
  SmartsheetCellValidator,
  SmartsheetCellValue,
  SmartsheetColumnSpec,
  SmartsheetRowChange,
  SmartsheetSentCallback,
  SmartsheetSheetChange,
  SmartsheetSheetQuery,
  SmartsheetStoredColumn,
  SmartsheetStoredWebhook,
  SmartsheetWebhookRegistry,
  SmartsheetWebhookSettings,
  SmartsheetWriteHold,
} from './smartsheet/sandbox/index.ts';
export { createGoogleSheetsSandbox, DEFAULT_SANDBOX_ACCESS_TOKEN as GOOGLE_SHEETS_SANDBOX_TOKEN, SHEETS_ENDPOINTS, SpreadsheetStore, SheetsApiError } from './google-sheets/sandbox/index.ts';
export type { GoogleSheetsSandbox, GoogleSheetsSandboxOptions, CreateSpreadsheetInput, SheetInput, SheetsQuota, SheetsQuotaConfig, SandboxOAuth } from './google-sheets/sandbox/index.ts';
export { startGoogleSheetsHarness } from './google-sheets/testing.ts';
export type { GoogleSheetsHarness } from './google-sheets/testing.ts';
export { createWebflowSandbox, WebflowCollectionStore, WebflowApiError } from './webflow/sandbox/index.ts';
export type {
  WebflowSandbox,
  WebflowSandboxOptions,
  WebflowCollectionSpec,
  WebflowItemChange,
  WebflowStoredItem,
  WebflowStoredField,
  WebflowFieldSpec,
  WebflowFieldType,
  WebflowErrorBodyShape,
  WebflowErrorDetail,
  WebflowWebhookDispatcher,
  WebflowWebhookSettings,
} from './webflow/sandbox/index.ts';
export { createHubSpotSandbox, HubSpotObjectStore, HubSpotApiError, HUBSPOT_INVALID_MARKER } from './hubspot/sandbox/index.ts';
export type {
  HubSpotSandbox,
  HubSpotSandboxOptions,
  HubSpotApiObject,
  HubSpotObjectChange,
  HubSpotStoredObject,
  HubSpotErrorBody,
  HubSpotPropertyDefinition,
  HubSpotPropertySpec,
  HubSpotWebhookDispatcher,
  HubSpotWebhookSettings,
} from './hubspot/sandbox/index.ts';
export { startHubSpot, HUBSPOT_TOKEN } from './hubspot/testing.ts';
export type { HubSpotHarness } from './hubspot/testing.ts';
export { createSmartSuiteSandbox, SmartSuiteStore, SmartSuiteApiError } from './smartsuite/sandbox/index.ts';
export type {
  SmartSuiteSandbox,
  SmartSuiteSandboxOptions,
  SmartSuiteRateLimiter,
  SmartSuiteRecordChange,
  SmartSuiteStoredRecord,
  SmartSuiteTableSpec,
  SmartSuiteFieldSpec,
  SmartSuiteFieldType,
  SmartSuiteStoredField,
  SmartSuiteWebhookDispatcher,
  SmartSuiteWebhookSettings,
} from './smartsuite/sandbox/index.ts';
export { startSmartSuite, SMARTSUITE_API_KEY, SMARTSUITE_ACCOUNT_ID } from './smartsuite/testing.ts';
export type { SmartSuiteHarness } from './smartsuite/testing.ts';
export { createAsanaSandbox, AsanaStore, AsanaApiError, ASANA_API_PATH } from './asana/sandbox/index.ts';
export type {
  AsanaSandbox,
  AsanaSandboxOptions,
  AsanaStoredTask,
  AsanaStoredUser,
  AsanaStoredProject,
  AsanaStoredCustomField,
  AsanaStoredWebhook,
  AsanaTaskChange,
  AsanaTaskInput,
  AsanaCustomFieldType,
  AsanaErrorBody,
  AsanaWebhookDispatcher,
  AsanaWebhookSettings,
  AsanaWebhookFilter,
} from './asana/sandbox/index.ts';
export { startAsana, ASANA_TOKEN } from './asana/testing.ts';
export type { AsanaHarness } from './asana/testing.ts';
export * from './declarative/sandbox-index.ts';
