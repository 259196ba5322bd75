// "Test connection": builds the connector the engine would use (connector registry) for a stored
// integration or for the add-integration wizard's unsaved draft, makes the connector's cheapest
// authenticated call (Connector.testConnection) and says what happened in terms a form can show.
// Credentials never appear in the answer: every credential string is cut out of the message.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuthType, Database, Integration, IntegrationType } from '@syncbridge/db';
import {
  AppError,
  assertOutboundUrl,
  createConnectorProvider,
  createKeyRing,
  decryptCredentials,
  type ConnectionTestResult,
  type Connector,
  type KeyRing,
  type OutboundPolicy,
} from '@syncbridge/engine';

export type ConnectionStatus = 'connected' | 'auth_failed' | 'unreachable' | 'error';

export interface ConnectionCheck {
  ok: boolean;
  status: ConnectionStatus;
  latencyMs: number;
  apiVersion?: string;
  /** true: accepted; false: refused; null: not known (the service could not be reached or failed first). */
  credentialsValid: boolean | null;
  message: string;
}

/** An integration not saved yet (the wizard's form). */
export interface ConnectionDraft {
  type: IntegrationType;
  baseUrl?: string | null;
  authType?: AuthType;
  credentials?: Record<string, unknown> | null;
  settings?: Record<string, unknown>;
}

export interface ConnectionTestDeps {
  pool: Database['pool'];
  prisma: Database['prisma'];
  keyRing: KeyRing | null;
  /** OUTBOUND_ALLOWLIST's policy: a base URL at an internal address is refused before any connection. */
  outbound?: OutboundPolicy | null;
}

/**
 * VALIDATION when the base URL is not http(s) or points at a loopback, link-local, private or other
 * internal address that the policy does not allow (no policy: not checked here). The connect-time
 * guard of the web and worker processes checks every connection again, redirects and DNS included.
 */
export async function assertBaseUrlAllowed(
  outbound: OutboundPolicy | null | undefined,
  baseUrl: string | null | undefined,
): Promise<void> {
  if (outbound && baseUrl) await assertOutboundUrl(baseUrl, outbound);
}

/** A test gives up after this long and reports the service unreachable. */
export const CONNECTION_TEST_TIMEOUT_MS = 15_000;

/** Every string in the credentials worth hiding (short values such as "Bearer" or "none" are not secrets). */
function secretStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.length >= 4) out.push(value);
  else if (Array.isArray(value)) for (const item of value) secretStrings(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) secretStrings(item, out);
  return out;
}

function redact(message: string, secrets: string[]): string {
  let out = message;
  // Longest first, so a secret containing another is cut whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('[redacted]');
  return out.slice(0, 500);
}

/** The connector's own detail, without the `kind: ` prefix its message carries. */
function detailOf(result: ConnectionTestResult): string {
  return result.error?.message ?? (result.message ?? '').replace(/^(auth|retryable|rate_limited|invalid): /, '');
}

function statusOf(result: ConnectionTestResult): ConnectionStatus {
  if (result.ok) return 'connected';
  const kind = result.error?.kind ?? /^(auth|retryable|rate_limited|invalid):/.exec(result.message ?? '')?.[1];
  if (kind === 'auth') return 'auth_failed';
  // A retryable failure without an HTTP status never got an answer: refused, DNS, reset, timeout.
  if (
    kind === 'retryable' &&
    (result.error ? result.error.status === undefined : /network error/.test(result.message ?? ''))
  )
    return 'unreachable';
  return 'error';
}

/** Runs the connector's test with a deadline and turns its answer into a ConnectionCheck. */
export async function checkConnector(
  connector: Connector,
  secrets: string[],
  timeoutMs = CONNECTION_TEST_TIMEOUT_MS,
): Promise<ConnectionCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ConnectionTestResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          latencyMs: timeoutMs,
          error: { kind: 'retryable', message: `no answer within ${Math.round(timeoutMs / 1000)} s` },
        }),
      timeoutMs,
    );
  });
  let result: ConnectionTestResult;
  try {
    result = await Promise.race([connector.testConnection(), deadline]);
  } catch (error) {
    // The contract says testConnection never throws; a connector that does is classified like any call.
    const failure = connector.classifyError(error);
    result = { ok: false, latencyMs: Math.round(performance.now() - started), error: failure };
  } finally {
    clearTimeout(timer);
  }
  const status = statusOf(result);
  const detail = redact(detailOf(result), secrets);
  const version = result.apiVersion ? ` (API ${result.apiVersion})` : '';
  const message = {
    connected: `Connected${version} in ${result.latencyMs} ms${detail ? `: ${detail}` : ''}.`,
    auth_failed: `The credentials were refused: ${detail}`,
    unreachable: `Could not reach the service: ${detail}`,
    error: `The service answered with an error: ${detail}`,
  }[status];
  return {
    ok: status === 'connected',
    status,
    latencyMs: result.latencyMs,
    ...(result.apiVersion ? { apiVersion: result.apiVersion } : {}),
    credentialsValid: status === 'connected' ? true : status === 'auth_failed' ? false : null,
    message,
  };
}

/** An Integration row that was never saved, with its credentials sealed under a throwaway key. */
function draftIntegration(draft: ConnectionDraft, sealed: { keyId: string; ciphertext: string } | null): Integration {
  const now = new Date();
  return {
    id: randomUUID(),
    name: 'Connection test',
    type: draft.type,
    status: 'ACTIVE',
    baseUrl: draft.baseUrl ?? null,
    authType: draft.authType ?? 'NONE',
    credentialsEnc: sealed?.ciphertext ?? null,
    credentialsKeyId: sealed?.keyId ?? null,
    settings: (draft.settings ?? {}) as Integration['settings'],
    direction: 'PUSH',
    frequency: 'MANUAL',
    conflictStrategy: 'LATEST_WINS',
    webhookSecretEnc: null,
    webhookSecretKeyId: null,
    pollingEnabled: false,
    nextSyncAt: null,
    consecutiveFailures: 0,
    lastSyncAt: null,
    lastSuccessAt: null,
    lastErrorAt: null,
    lastErrorMessage: null,
    createdAt: now,
    updatedAt: now,
  } satisfies Integration;
}

async function buildConnector(
  deps: Pick<ConnectionTestDeps, 'pool'>,
  integration: Integration,
  keyRing: KeyRing | null,
): Promise<Connector> {
  try {
    return await createConnectorProvider({ pool: deps.pool, keyRing })(integration);
  } catch (error) {
    // The registry parses settings with zod: a bad value is the form's problem, not a server error.
    if (error instanceof z.ZodError) {
      const issue = error.issues[0];
      throw new AppError('VALIDATION', `settings.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    throw error;
  }
}

/** Tests a draft: its credentials are sealed under a key made for this call only and never stored. */
export async function testDraftConnection(
  deps: Pick<ConnectionTestDeps, 'pool' | 'outbound'>,
  draft: ConnectionDraft,
  timeoutMs?: number,
): Promise<ConnectionCheck> {
  await assertBaseUrlAllowed(deps.outbound, draft.baseUrl);
  const ring = createKeyRing(new Map([['draft', randomBytes(32)]]), 'draft');
  const sealed = draft.credentials ? ring.encrypt(JSON.stringify(draft.credentials)) : null;
  const connector = await buildConnector(deps, draftIntegration(draft, sealed), ring);
  return checkConnector(connector, secretStrings(draft.credentials ?? {}), timeoutMs);
}

/** Tests a stored integration with its stored (decrypted) credentials. */
export async function testStoredConnection(
  deps: ConnectionTestDeps,
  id: string,
  timeoutMs?: number,
): Promise<{ integration: Integration; check: ConnectionCheck }> {
  const integration = await deps.prisma.integration.findUnique({ where: { id } });
  if (!integration) throw new AppError('NOT_FOUND', 'Integration not found.');
  // Saved before the allowlist changed, or written around the API: checked again before connecting.
  await assertBaseUrlAllowed(deps.outbound, integration.baseUrl);
  const secrets = secretStrings(decryptCredentials(integration, deps.keyRing));
  const connector = await buildConnector(deps, integration, deps.keyRing);
  return { integration, check: await checkConnector(connector, secrets, timeoutMs) };
}

/** The AppError a failed test becomes where it must stop something (creating an integration). */
export function connectionFailure(check: ConnectionCheck): AppError {
  const code = {
    connected: 'INTERNAL',
    auth_failed: 'UPSTREAM_AUTH',
    unreachable: 'UPSTREAM_UNAVAILABLE',
    error: 'UPSTREAM_INVALID',
  } as const;
  return new AppError(code[check.status], `Connection test failed: ${check.message}`, {
    details: { connection: check },
  });
}
