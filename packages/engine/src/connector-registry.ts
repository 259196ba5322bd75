// Builds the connector for an integration from its type, settings and (decrypted) credentials.
// Connector SDKs are imported lazily, inside the branch that uses them.
import type pg from 'pg';
import { z } from 'zod';
import {
  createAsanaConnector,
  createGoogleSheetsConnector,
  createHubSpotConnector,
  createInDatabaseConnector,
  createRestConnector,
  createSmartsheetConnector,
  createSmartSuiteConnector,
  createWebflowConnector,
  type Connector,
  type GoogleSheetsAuth,
} from '@syncbridge/connectors';
import type { Integration } from '@syncbridge/db';
import type { ConnectorProvider } from './context.ts';
import type { KeyRing } from './crypto.ts';
import { declarativeConnectorFor } from './declarative-connector.ts';
import { AppError } from './errors.ts';
import { createPostgresRateLimiter } from './rate-limiter.ts';
import { writeCapThrottle } from './write-cap.ts';

export interface ConnectorRegistryOptions {
  pool: pg.Pool;
  keyRing?: KeyRing | null;
  /** Extra factories by integration type (later connectors, tests). */
  factories?: Partial<Record<string, (integration: Integration, credentials: Record<string, unknown>) => Connector>>;
}

const ZRestSettings = z.object({
  requestsPerWindow: z.number().int().positive().optional(),
  windowMs: z.number().int().positive().optional(),
  maxBatchSize: z.number().int().positive().optional(),
});

export function decryptCredentials(
  integration: Integration,
  keyRing: KeyRing | null | undefined,
): Record<string, unknown> {
  if (!integration.credentialsEnc) return {};
  if (!keyRing || !integration.credentialsKeyId)
    throw new AppError('PRECONDITION_FAILED', 'Credentials are stored encrypted but no encryption key is configured.');
  return JSON.parse(keyRing.decrypt(integration.credentialsKeyId, integration.credentialsEnc)) as Record<
    string,
    unknown
  >;
}

export function createConnectorProvider(options: ConnectorRegistryOptions): ConnectorProvider {
  const cache = new Map<string, { at: Date; connector: Connector }>();
  const inDatabase = createInDatabaseConnector({ sql: options.pool });
  const writeCapLimiter = createPostgresRateLimiter(options.pool);
  return (integration) => {
    if (integration.type === 'IN_DATABASE') return inDatabase;
    const cached = cache.get(integration.id);
    if (cached && cached.at.getTime() === integration.updatedAt.getTime()) return cached.connector;
    const credentials = decryptCredentials(integration, options.keyRing);
    const custom = options.factories?.[integration.type];
    let connector: Connector;
    // Declarative REST definitions: TRELLO … SALESFORCE, or GENERIC_REST with settings.definition.
    const declarative = custom ? null : declarativeConnectorFor(integration, credentials, options);
    if (custom) connector = custom(integration, credentials);
    else if (declarative) connector = declarative;
    else if (integration.type === 'GENERIC_REST') {
      if (!integration.baseUrl) throw new AppError('VALIDATION', 'A REST integration needs a base URL.');
      const settings = ZRestSettings.parse(integration.settings ?? {});
      connector = createRestConnector({
        baseUrl: integration.baseUrl,
        token: String(credentials.token ?? ''),
        ...settings,
      });
    } else if (integration.type === 'SMARTSHEET') {
      const settings = ZRestSettings.parse(integration.settings ?? {});
      connector = createSmartsheetConnector({
        accessToken: String(credentials.accessToken ?? credentials.token ?? ''),
        baseUrl: integration.baseUrl ?? undefined,
        requestsPerWindow: settings.requestsPerWindow,
        windowMs: settings.windowMs,
      });
    } else if (integration.type === 'WEBFLOW') {
      const settings = ZRestSettings.parse(integration.settings ?? {});
      connector = createWebflowConnector({
        accessToken: String(credentials.accessToken ?? credentials.token ?? ''),
        baseUrl: integration.baseUrl ?? undefined,
        requestsPerWindow: settings.requestsPerWindow,
        windowMs: settings.windowMs,
        // S2's write cap (settings.writeCapPerMinute): every write request, publish included.
        aroundWrite: writeCapThrottle(writeCapLimiter, integration),
      });
    } else if (integration.type === 'SMARTSUITE') {
      const settings = ZRestSettings.extend({ accountId: z.string().min(1).optional() }).parse(
        integration.settings ?? {},
      );
      connector = createSmartSuiteConnector({
        apiKey: String(credentials.apiKey ?? credentials.token ?? ''),
        // The workspace id is not secret (settings), but may come with the key.
        accountId: String(settings.accountId ?? credentials.accountId ?? ''),
        baseUrl: integration.baseUrl ?? undefined,
        requestsPerWindow: settings.requestsPerWindow,
        windowMs: settings.windowMs,
      });
    } else if (integration.type === 'HUBSPOT') {
      const settings = ZRestSettings.parse(integration.settings ?? {});
      connector = createHubSpotConnector({
        accessToken: String(credentials.accessToken ?? credentials.token ?? ''),
        basePath: integration.baseUrl ?? undefined,
        requestsPerWindow: settings.requestsPerWindow,
        windowMs: settings.windowMs,
      });
    } else if (integration.type === 'ASANA') {
      const settings = ZRestSettings.parse(integration.settings ?? {});
      connector = createAsanaConnector({
        accessToken: String(credentials.accessToken ?? credentials.token ?? ''),
        // The API base including /api/1.0 (the seed's baseUrl is https://app.asana.com/api/1.0).
        basePath: integration.baseUrl ?? undefined,
        requestsPerWindow: settings.requestsPerWindow,
        windowMs: settings.windowMs,
      });
    } else if (integration.type === 'GOOGLE_SHEETS') {
      const settings = ZRestSettings.parse(integration.settings ?? {});
      connector = createGoogleSheetsConnector({
        rootUrl: integration.baseUrl ?? undefined,
        auth: credentials as unknown as GoogleSheetsAuth,
        readsPerWindow: settings.requestsPerWindow,
        writesPerWindow: settings.requestsPerWindow,
        windowMs: settings.windowMs,
      });
    } else throw new AppError('PRECONDITION_FAILED', `No connector is available for ${integration.type} yet.`);
    cache.set(integration.id, { at: integration.updatedAt, connector });
    return connector;
  };
}
