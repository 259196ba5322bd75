export { createLogger, sanitizeForLog, redactPaths } from './logger.ts';
export type { Logger, CreateLoggerOptions } from './logger.ts';
export { testSecret, registerTestSecret, TEST_SECRET_PATTERN } from './log-tap.ts';
export {
  scrapeMetrics,
  countWebhookDelivery,
  countSyncRun,
  countRecords,
  observeExternalCall,
  bearerTokenMatches,
} from './metrics.ts';
export type { ScrapeOptions } from './metrics.ts';
export { AppError, httpStatusForCode } from './errors.ts';
export type { AppErrorCode } from './errors.ts';
export type { EngineContext, ConnectorProvider } from './context.ts';
export { createPostgresRateLimiter, unlimited } from './rate-limiter.ts';
export type { RateLimiter, RateLimit } from './rate-limiter.ts';
export { tryLock, resourceLockName, withResourceLock, ResourceBusyError } from './locks.ts';
export type { HeldLock } from './locks.ts';
export { failAbandonedRuns, ABANDONED_MESSAGE } from './jobs.ts';
export {
  ensureChangeCapture,
  removeChangeCapture,
  installCaptureFunction,
  withOrigin,
  OUTBOX_CHANNEL,
} from './capture.ts';
export { drainOutbox, pushAll, pushKeys } from './push.ts';
export type { PushOutcome, DrainOptions, FullPushOptions } from './push.ts';
export { loadResource, validateResource, parseResourceOptions, ZResourceOptions } from './resource-config.ts';
export type { LoadedResource, ResourceOptions } from './resource-config.ts';
export { saveResource } from './resources.ts';
export type { ResourceInput } from './resources.ts';
export { parseSyncConditions, ZSyncConditions } from './conditions.ts';
export type { SyncConditions, Condition } from './conditions.ts';
export { backoffDelay } from './backoff.ts';
export { recordHash, canonicalJson } from './hash.ts';
export { raiseAlert } from './alerts.ts';
export * from './health/index.ts';
export { s4CalendarResource, s4CalendarMappings } from './presets/s4-calendar.ts';
export { pullResource, applyExternalChanges, confirmPendingDeletes, applyPage } from './pull.ts';
export type { PullOutcome, PullOptions } from './pull.ts';
export {
  detectConflict,
  resolveConflict,
  valuesForChoice,
  parseMergeRules,
  ZCustomMergeRules,
  ZMergeRule,
} from './conflicts.ts';
export type { AdminChoice, CustomMergeRules, MergeRule, Detection, ThreeWay } from './conflicts.ts';
export { applyConflictResolution } from './resolve.ts';
export type { ResolveOptions } from './resolve.ts';
export {
  FREQUENCY_CRON,
  nextRunAt,
  claimDueIntegrations,
  runIntegration,
  promoteDueRetries,
  cleanupOldRecords,
  MAX_CONSECUTIVE_FAILURES,
} from './schedule.ts';
export type { IntegrationRunResult } from './schedule.ts';
export { createOutboxDrainer } from './drainer.ts';
export type { OutboxDrainer, OutboxDrainerOptions } from './drainer.ts';
export { parseKeyRing, createKeyRing, generateKey } from './crypto.ts';
export type { KeyRing } from './crypto.ts';
export { createConnectorProvider, decryptCredentials } from './connector-registry.ts';
export type { ConnectorRegistryOptions } from './connector-registry.ts';
export { processWebhookEvent } from './webhooks.ts';
export type { WebhookProcessResult } from './webhooks.ts';
export * from './queue.ts';
export { retryFailedItems } from './retry.ts';
export { installDemo } from './presets/demo.ts';
export type { DemoSandboxes } from './presets/demo.ts';
export { restTasksResource, restTaskMappings } from './presets/rest-tasks.ts';
export { s1EventResources, S1_SHEET_COLUMNS, S1_COLUMN_TYPES } from './presets/s1-event-smartsheet.ts';
export type { S1Sheets } from './presets/s1-event-smartsheet.ts';
export { discoverResourceFields, checkSchemaDrift, suggestMappings, normaliseName } from './discovery.ts';
export type { Drift, DiscoveryResult } from './discovery.ts';
export { s3ContactsResource, s3ContactMappings, S3_HEADERS, S3_SOURCE } from './presets/s3-sheets-contacts.ts';
export type { S3SheetOptions } from './presets/s3-sheets-contacts.ts';
export { s5MembersResource, s5MemberMappings, S5_HUBSPOT_PROPERTIES, S5_KEY_PROPERTY, S5_MEMBER_STATUSES, S5_READ_PROPERTIES } from './presets/s5-hubspot-members.ts';
export type { S5PropertySpec } from './presets/s5-hubspot-members.ts';
export {
  s5AsanaTasksResource,
  s5AsanaTaskMappings,
  S5_ASANA_CUSTOM_FIELDS,
  S5_ASANA_INTEGRATION,
  S5_ASANA_KEY_FIELD,
  S5_ASANA_PRIORITY_OPTIONS,
  S5_ASANA_STATUS_OPTIONS,
} from './presets/s5-asana-tasks.ts';
export type { S5AsanaCustomFieldSpec, S5AsanaTasksOptions } from './presets/s5-asana-tasks.ts';
export {
  s5HubSpotTasksResource,
  s5HubSpotTaskMappings,
  S5_HUBSPOT_TASK_PROPERTIES,
  S5_TASK_KEY_PROPERTY,
  S5_TASK_READ_PROPERTIES,
} from './presets/s5-hubspot-tasks.ts';
export { encryptionEnvFields, refineEncryptionEnv, withKeyRing } from './crypto-env.ts';
// For the admin API (resource forms, mapping preview): it reaches connectors only through the engine.
export { createLookupContext } from './resource-config.ts';
export { describeRelation, qualifiedName, assertIdentifier } from './sql.ts';
export type { ColumnInfo } from './sql.ts';
export { ZFieldMappings, mapToExternal, mapToLocal, MappingError } from '@syncbridge/connectors';
export type { Connector, FieldMapping, FieldDescriptor, ConnectionTestResult, ConnectorError, Fields } from '@syncbridge/connectors';
export { s2Resources, s2StagingMappings, s2WebflowMappings, ensureS2StagingTable, templateToJsonata, slugTemplateToJsonata, S2_STAGING_TABLE, S2_KEY_FIELD, S2_WEBFLOW_FIELDS } from './presets/s2-smartsuite-webflow.ts';
export type { S2FlowOptions } from './presets/s2-smartsuite-webflow.ts';
export { writeCapThrottle, writeCapKey, ZWriteCapSettings } from './write-cap.ts';
export type { WriteCapSettings } from './write-cap.ts';
// The SSRF guard: OUTBOUND_ALLOWLIST, base-URL checks, and the connect-time check of every socket.
export {
  assertOutboundUrl,
  checkOutboundUrl,
  classifyAddress,
  createOutboundPolicy,
  endpointEntry,
  installOutboundGuard,
  installedOutboundPolicy,
  outboundEnvFields,
  parseAllowlist,
  OutboundRefusedError,
  OUTBOUND_REFUSED,
  ZOutboundAllowlist,
} from './outbound-guard.ts';
export type { OutboundAllowEntry, OutboundPolicy, OutboundRefusal, UrlRefusal } from './outbound-guard.ts';
export { protectedRelationReason, assertSyncableRelation, ENGINE_TABLES } from './protected-tables.ts';
export { declarativeConnectorFor, declarativeDefinitionOf, DECLARATIVE_INTEGRATION_TYPES } from './declarative-connector.ts';
export { s5RestParticipationResource, s5ParticipationMappings, S5_REST_INTEGRATION, S5_REST_KEY_FIELD } from './presets/s5-rest-participation.ts';
export type { S5RestParticipationOptions } from './presets/s5-rest-participation.ts';
