// The declarative REST connector: definitions (schema + shipped ones), the connector, webhooks.
// The sandbox is exported from `@syncbridge/connectors/sandboxes` (it loads Express).
export { createDeclarativeConnector, declarativeLimits } from './connector.ts';
export type { DeclarativeConnector, DeclarativeConnectorOptions } from './connector.ts';
export {
  DefinitionError,
  parseDefinition,
  ZDeclarativeDefinition,
  ZAuth,
  ZPagination,
  ZTimeFormat,
} from './definition.ts';
export type {
  AuthDefinition,
  DeclarativeDefinition,
  DeclarativeDefinitionInput,
  PaginationDefinition,
  TimeFormat,
  WebhookDefinition,
} from './definition.ts';
export { SHIPPED_DEFINITIONS, SHIPPED_DEFINITION_IDS, shippedDefinitionFor } from './definitions/index.ts';
export type { ShippedDefinitionId } from './definitions/index.ts';
export type { OAuthTokens } from './oauth2.ts';
export { classifyDeclarativeError } from './writes.ts';
export {
  parseDeclarativeWebhook,
  signWebhookHeaders as signDeclarativeWebhook,
  verifyDeclarativeWebhook,
} from './webhooks.ts';
