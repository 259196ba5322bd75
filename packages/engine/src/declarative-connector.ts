// Declarative REST connectors for integrations: TRELLO, MONDAY, CLICKUP, TOGGL, HARVEST, CLOCKIFY
// and SALESFORCE use their shipped definition; GENERIC_REST uses one only when settings.definition
// names a shipped definition ("generic", …) or carries a custom one (validated with zod: a
// VALIDATION error lists every bad path),
// otherwise the hand-written REST connector serves it. OAuth2 tokens an exchange returns (a rotated
// refresh token above all) are stored back, encrypted, without touching updated_at (which would
// rebuild the cached connector and drop its in-memory token).
import type pg from 'pg';
import { z } from 'zod';
import {
  ConnectorRequestError,
  createDeclarativeConnector,
  DefinitionError,
  parseDefinition,
  SHIPPED_DEFINITION_IDS,
  SHIPPED_DEFINITIONS,
  shippedDefinitionFor,
  type Connector,
  type DeclarativeDefinition,
  type OAuthTokens,
} from '@syncbridge/connectors';
import type { Integration } from '@syncbridge/db';
import type { KeyRing } from './crypto.ts';
import { AppError } from './errors.ts';

/** Integration types served by a shipped declarative definition. */
export const DECLARATIVE_INTEGRATION_TYPES = [
  'TRELLO',
  'MONDAY',
  'CLICKUP',
  'TOGGL',
  'HARVEST',
  'CLOCKIFY',
  'SALESFORCE',
] as const;

const ZDeclarativeSettings = z
  .object({
    requestsPerWindow: z.number().int().positive().optional(),
    windowMs: z.number().int().positive().optional(),
  })
  .passthrough();

export interface DeclarativeRegistryOptions {
  pool: pg.Pool;
  keyRing?: KeyRing | null;
}

/** The definition an integration uses, or null when a hand-written connector serves it. */
export function declarativeDefinitionOf(
  integration: Pick<Integration, 'type' | 'settings'>,
): DeclarativeDefinition | null {
  const settings = (integration.settings ?? {}) as Record<string, unknown>;
  const custom = settings.definition;
  if (custom !== undefined && custom !== null) {
    if (
      integration.type !== 'GENERIC_REST' &&
      !(DECLARATIVE_INTEGRATION_TYPES as readonly string[]).includes(integration.type)
    )
      return null;
    // A shipped definition by id ("generic", "trello", …) or a whole custom definition.
    if (typeof custom === 'string') {
      const shipped = (SHIPPED_DEFINITIONS as Record<string, DeclarativeDefinition>)[custom];
      if (!shipped)
        throw new AppError(
          'VALIDATION',
          `settings.definition: unknown definition "${custom}" (one of ${SHIPPED_DEFINITION_IDS.join(', ')})`,
        );
      return shipped;
    }
    try {
      return parseDefinition(custom, 'settings.definition');
    } catch (error) {
      if (error instanceof DefinitionError)
        throw new AppError('VALIDATION', error.message, { details: { issues: error.issues } });
      throw error;
    }
  }
  if (integration.type === 'GENERIC_REST') return null;
  return shippedDefinitionFor(integration.type) ?? null;
}

/** Writes the newest tokens into the encrypted credentials (no updated_at bump: see above). */
async function storeTokens(
  pool: pg.Pool,
  keyRing: KeyRing,
  integrationId: string,
  credentials: Record<string, unknown>,
  tokens: OAuthTokens,
): Promise<void> {
  const next = {
    ...credentials,
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
  };
  Object.assign(credentials, next);
  const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify(next));
  await pool.query('update integrations set credentials_enc = $1, credentials_key_id = $2 where id = $3', [
    ciphertext,
    keyId,
    integrationId,
  ]);
}

/** A declarative connector for this integration, or null when another connector serves it. */
export function declarativeConnectorFor(
  integration: Integration,
  credentials: Record<string, unknown>,
  options: DeclarativeRegistryOptions,
): Connector | null {
  const definition = declarativeDefinitionOf(integration);
  if (!definition) return null;
  const settings = ZDeclarativeSettings.parse(integration.settings ?? {});
  const { keyRing, pool } = options;
  try {
    return createDeclarativeConnector(definition, {
      baseUrl: integration.baseUrl,
      credentials,
      settings,
      requestsPerWindow: settings.requestsPerWindow,
      windowMs: settings.windowMs,
      onTokens: keyRing ? (tokens) => storeTokens(pool, keyRing, integration.id, credentials, tokens) : undefined,
    });
  } catch (error) {
    // Missing settings or credentials: names only, never values.
    if (error instanceof ConnectorRequestError) throw new AppError('VALIDATION', error.message);
    throw error;
  }
}
