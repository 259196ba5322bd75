// Webhook ingress: POST /api/webhooks/integrations/:id/receive. Reads the raw body (signatures cover
// the bytes as sent), verifies it in the integration's scheme, stores the delivery once (unique
// (integration_id, dedupe_key)) and queues its processing in the same statement, then answers — the
// work itself runs in the worker (sync.webhook). The same URL also answers Smartsheet's
// verification challenge and Asana's handshake, so each vendor is given one URL per integration.
//
// Statuses: 200 accepted or duplicate, 400 malformed, 401 missing/bad signature or stale timestamp,
// 403 integration paused or disabled, 404 unknown integration (a malformed id too: it names no
// integration), 409 an Asana handshake with a different secret than the stored one, 413 body over the
// limit, 415 a Content-Encoding the body parser does not know (one it knows but cannot inflate: 400),
// 503 (with Retry-After) when the database cannot be reached, 500 otherwise. Every error is
// `{ error: { code, message, requestId } }`. Secrets, signatures, headers and bodies are never logged.
import { createHash } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { PgBoss, type SendOptions } from 'pg-boss';
import {
  headerValue,
  hmac,
  safeEqual,
  smartsheetChallengeResponse,
  type WebhookVerification,
} from '@syncbridge/connectors';
import type { Database, Integration } from '@syncbridge/db';
import {
  createConnectorProvider,
  countWebhookDelivery,
  createQueues,
  sanitizeForLog,
  type ConnectorProvider,
  type JobSender,
  type KeyRing,
  type Logger,
} from '@syncbridge/engine';
import {
  createIngressIntegrations,
  type IngressIntegrations,
  type IntegrationVersion,
} from './webhook-integrations.ts';
import { createWebhookEventStore } from './webhook-store.ts';

export const WEBHOOK_RECEIVE_PATH = '/api/webhooks/integrations/:id/receive';
export const WEBHOOK_BODY_LIMIT = '1mb';
/** Seconds a sender is asked to wait when the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 30;
/**
 * The web app's database pool. The webhook ingress takes at most WEBHOOK_STORE_CONCURRENCY (4) of
 * it for storing plus short reads (an integration row at most once a second, a duplicate's check);
 * the rest serves the admin API and Remix.
 */
export const WEB_DATABASE_POOL_SIZE = 20;

export interface WebhookRouterOptions {
  db: Pick<Database, 'prisma' | 'pool'>;
  logger: Logger;
  /** Decrypts webhook secrets (and encrypts Asana's); null when ENCRYPTION_KEYS is unset. */
  keyRing: KeyRing | null;
  /** Sends the sync.webhook job; a PgBoss that only sends (see startJobSender). */
  sendJob: JobSender;
  /** Builds an integration's connector (its verifyWebhook); defaults to the engine's registry. */
  connectors?: ConnectorProvider;
  /** Receive time, for timestamp tolerance checks (tests). */
  now?: () => Date;
  /** How deliveries read their integration (webhook-integrations.ts); defaults to a 1 s cache. */
  integrations?: IngressIntegrations;
}

interface Rejection {
  status: number;
  code: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A value we may echo in a response header: printable ASCII, no spaces, bounded. */
const ECHOABLE = /^[\x21-\x7e]{1,512}$/;
const INACTIVE = new Set<Integration['status']>(['PAUSED', 'DISABLED']);
/** Header names kept out of the stored event: credentials, signatures, secrets. */
const SECRET_HEADER = /authorization|cookie|signature|secret|token|hmac|api[-_]?key|password/i;
const MAX_DEDUPE_KEY = 200;

const ASANA_SECRET_HEADER = 'x-hook-secret';
const ASANA_SIGNATURE_HEADER = 'x-hook-signature';

const notFound: Rejection = { status: 404, code: 'NOT_FOUND', message: 'Unknown integration.' };
const unverified: Rejection = {
  status: 401,
  code: 'UNAUTHORIZED',
  message: 'The webhook signature is missing or invalid.',
};

const verificationRejections: Record<Exclude<WebhookVerification, { ok: true }>['reason'], Rejection> = {
  missing_signature: unverified,
  bad_signature: unverified,
  stale_timestamp: {
    status: 401,
    code: 'UNAUTHORIZED',
    message: 'The webhook timestamp is outside the accepted window (5 minutes); check the sender clock.',
  },
  malformed: { status: 400, code: 'BAD_REQUEST', message: 'The webhook signature headers are malformed.' },
};

/**
 * Asana has no connector yet, but its deliveries must still be verifiable once the handshake stored
 * the secret: `X-Hook-Signature` is the hex HMAC-SHA256 of the raw body keyed by that secret.
 */
function verifyAsanaWebhook(headers: Request['headers'], rawBody: Buffer, secret: string): WebhookVerification {
  const signature = headerValue(headers, ASANA_SIGNATURE_HEADER)?.trim().toLowerCase();
  if (!signature) return { ok: false, reason: 'missing_signature' };
  if (!/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  if (!safeEqual(signature, hmac('sha256', secret, rawBody, 'hex'))) return { ok: false, reason: 'bad_signature' };
  return { ok: true, deliveryId: null };
}

/** Driver, pool and Prisma errors that mean "the database cannot be reached right now". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'QUEUE_UNAVAILABLE', // createJobSender before its first successful start
  'P1001', // Prisma: can't reach database server
  'P1002', // Prisma: database server timed out
  'P1017', // Prisma: server closed the connection
  'P2024', // Prisma: timed out fetching a connection from the pool
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'TooManyConnections', 'SocketTimeout']);
const UNREACHABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end|Can't reach database server/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const { code, kind, originalCode, message, cause, errors } = error as Record<string, unknown>;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof originalCode === 'string' && (UNREACHABLE_CODES.has(originalCode) || originalCode.startsWith('08')))
    return true;
  if (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGE.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** Headers worth keeping with the event (the worker's parser reads them); credentials dropped. */
function storableHeaders(headers: Request['headers']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADER.test(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/**
 * Delivery id from the verified request, else the sender's `X-Idempotency-Key`, else a hash of the
 * body (a retry of the same bytes is the same delivery). Over-long keys are hashed.
 */
function dedupeKeyFor(deliveryId: string | null, headers: Request['headers'], rawBody: Buffer): string {
  const given = deliveryId?.trim() || headerValue(headers, 'x-idempotency-key')?.trim();
  if (given) {
    return given.length <= MAX_DEDUPE_KEY ? given : `sha256:${createHash('sha256').update(given).digest('hex')}`;
  }
  return `body-sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text for storage, or null when Postgres text cannot hold it exactly. */
function bodyText(rawBody: Buffer): string | null {
  if (rawBody.includes(0)) return null;
  try {
    return utf8.decode(rawBody);
  } catch {
    return null;
  }
}

function reply(res: Response, rejection: Rejection): void {
  res
    .status(rejection.status)
    .set('cache-control', 'no-store')
    .json({ error: { code: rejection.code, message: rejection.message, requestId: res.locals.requestId } });
}

/** What a delivery gets, decided from one version of its integration's row. */
type Decision =
  | { kind: 'accept'; dedupeKey: string; text: string }
  | {
      kind: 'refuse';
      rejection: Rejection;
      note?: { level: 'info' | 'warn' | 'error'; fields: object; message: string };
    }
  | { kind: 'challenge'; answer: NonNullable<ReturnType<typeof smartsheetChallengeResponse>> }
  | { kind: 'handshake'; secret: string };

/** Tries at deciding one delivery while its integration keeps changing under it (then 500). */
const MAX_DECISIONS = 3;

export function createWebhookRouter(options: WebhookRouterOptions): Router {
  const { db, keyRing, sendJob } = options;
  const connectors = options.connectors ?? createConnectorProvider({ pool: db.pool, keyRing });
  const integrations = options.integrations ?? createIngressIntegrations({ pool: db.pool });
  const events = createWebhookEventStore({ pool: db.pool, sendJob });
  const now = options.now ?? (() => new Date());
  const router = express.Router();

  /** Asana: the first request carries X-Hook-Secret; store it (trust on first use) and echo it. */
  async function asanaHandshake(integration: Integration, secret: string, res: Response, log: Logger) {
    if (!ECHOABLE.test(secret))
      return reply(res, { status: 400, code: 'BAD_REQUEST', message: 'Malformed handshake.' });
    if (integration.webhookSecretEnc) {
      // A repeated handshake for the webhook we already trust is answered; a different secret is not
      // taken over (rotate by clearing the stored secret first).
      if (!keyRing || !integration.webhookSecretKeyId) throw new Error('webhook secret stored but no key ring');
      const stored = keyRing.decrypt(integration.webhookSecretKeyId, integration.webhookSecretEnc);
      if (!safeEqual(stored, secret)) {
        log.warn({ integrationId: integration.id }, 'webhook handshake refused: a different secret is stored');
        return reply(res, {
          status: 409,
          code: 'CONFLICT',
          message: 'This integration already has a webhook secret; clear it before registering a new webhook.',
        });
      }
    } else {
      if (!keyRing) throw new Error('no key ring to encrypt the webhook secret');
      const { keyId, ciphertext } = keyRing.encrypt(secret);
      const stored = await db.prisma.integration.updateMany({
        where: { id: integration.id, webhookSecretEnc: null },
        data: { webhookSecretEnc: ciphertext, webhookSecretKeyId: keyId },
      });
      if (stored.count === 0) {
        // Another handshake won the race: only its secret is trusted.
        log.warn({ integrationId: integration.id }, 'webhook handshake refused: a secret was stored concurrently');
        return reply(res, { status: 409, code: 'CONFLICT', message: 'A webhook secret was registered concurrently.' });
      }
      log.info({ integrationId: integration.id }, 'webhook handshake: secret stored');
    }
    res.status(200).set('cache-control', 'no-store').set('X-Hook-Secret', secret).json({ status: 'handshake' });
  }

  /** The answer for a delivery, from one version of its integration's row; nothing is written. */
  async function decide(version: IntegrationVersion, req: Request, rawBody: Buffer): Promise<Decision> {
    const { integration } = version;
    const integrationId = integration.id;
    if (INACTIVE.has(integration.status)) {
      return {
        kind: 'refuse',
        rejection: { status: 403, code: 'FORBIDDEN', message: 'The integration is not active.' },
        note: {
          level: 'info',
          fields: { integrationId, status: integration.status },
          message: 'webhook refused: integration not active',
        },
      };
    }
    // Smartsheet verifies the callback URL with an unsigned challenge; echoing it reveals nothing.
    if (integration.type === 'SMARTSHEET') {
      const answer = smartsheetChallengeResponse(req.headers, rawBody);
      if (answer) {
        if (!ECHOABLE.test(answer.body.smartsheetHookResponse)) {
          return {
            kind: 'refuse',
            rejection: { status: 400, code: 'BAD_REQUEST', message: 'Malformed verification challenge.' },
          };
        }
        return { kind: 'challenge', answer };
      }
    }
    if (integration.type === 'ASANA') {
      const handshakeSecret = headerValue(req.headers, ASANA_SECRET_HEADER);
      if (handshakeSecret !== undefined) return { kind: 'handshake', secret: handshakeSecret.trim() };
    }

    if (!integration.webhookSecretEnc) {
      return {
        kind: 'refuse',
        rejection: unverified,
        note: {
          level: 'warn',
          fields: { integrationId, reason: 'no_secret' },
          message: 'webhook refused: no webhook secret is configured',
        },
      };
    }
    if (!keyRing || !integration.webhookSecretKeyId) {
      return {
        kind: 'refuse',
        rejection: { status: 500, code: 'INTERNAL', message: 'Webhook verification is not configured.' },
        note: {
          level: 'error',
          fields: { integrationId },
          message: 'webhook secret is stored encrypted but no encryption key is configured',
        },
      };
    }
    // Decrypted once per row version, kept in memory only.
    version.secret ??= keyRing.decrypt(integration.webhookSecretKeyId, integration.webhookSecretEnc);

    let verification: WebhookVerification;
    if (integration.type === 'ASANA') verification = verifyAsanaWebhook(req.headers, rawBody, version.secret);
    else {
      if (!version.verify) {
        try {
          const connector = await connectors(integration);
          version.verify = connector.verifyWebhook.bind(connector);
        } catch (error) {
          const message = error instanceof Error ? sanitizeForLog(error.message) : 'unknown error';
          return {
            kind: 'refuse',
            rejection: {
              status: 500,
              code: 'INTERNAL',
              message: 'Webhook verification is not available for this integration.',
            },
            note: {
              level: 'warn',
              fields: { integrationId, type: integration.type, problem: message },
              message: 'webhook refused: no connector',
            },
          };
        }
      }
      verification = version.verify(
        { method: req.method, url: req.originalUrl, headers: req.headers, rawBody, now: now() },
        version.secret,
      );
    }
    if (!verification.ok) {
      return {
        kind: 'refuse',
        rejection: verificationRejections[verification.reason],
        note: { level: 'warn', fields: { integrationId, reason: verification.reason }, message: 'webhook refused' },
      };
    }
    const text = bodyText(rawBody);
    if (text === null) {
      return {
        kind: 'refuse',
        rejection: { status: 400, code: 'BAD_REQUEST', message: 'The webhook body is not valid UTF-8 text.' },
      };
    }
    return { kind: 'accept', dedupeKey: dedupeKeyFor(verification.deliveryId, req.headers, rawBody), text };
  }

  async function receive(req: Request, res: Response): Promise<void> {
    const log: Logger = res.locals.log ?? options.logger;
    const id = req.params.id ?? '';
    if (!UUID.test(id)) return reply(res, notFound);
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let lookup = await integrations.get(id);
    for (let attempt = 1; ; attempt++) {
      if (!lookup) return reply(res, notFound);
      const decision = await decide(lookup.version, req, rawBody);
      // A remembered row may only accept (the insert re-checks it); any other answer is given on
      // the row as it is now.
      if (decision.kind !== 'accept' && lookup.cached) {
        lookup = await integrations.refresh(id);
        continue;
      }
      const integrationId = lookup.version.integration.id;
      if (decision.kind === 'refuse') {
        if (decision.note) log[decision.note.level](decision.note.fields, decision.note.message);
        return reply(res, decision.rejection);
      }
      if (decision.kind === 'challenge') {
        log.info({ integrationId }, 'webhook verification challenge answered');
        const { answer } = decision;
        res.status(answer.status).set('cache-control', 'no-store').set(answer.headers).json(answer.body);
        return;
      }
      if (decision.kind === 'handshake') {
        return asanaHandshake(lookup.version.integration, decision.secret, res, log);
      }

      const stored = await events.store({
        integration: lookup.version.integration,
        dedupeKey: decision.dedupeKey,
        eventType: headerValue(req.headers, 'x-webhook-event')?.slice(0, 200) ?? null,
        headers: JSON.stringify(storableHeaders(req.headers)),
        body: decision.text,
      });
      if (stored === 'stale') {
        // Paused, rotated or otherwise changed since it was read: decide again on the row as it is.
        if (attempt >= MAX_DECISIONS) throw new Error('the integration kept changing while a delivery was stored');
        lookup = await integrations.refresh(id);
        continue;
      }
      res.set('cache-control', 'no-store');
      // Debug, not info: every delivery already gets its info request line (path with the
      // integration id, status, duration), and at 1,500 deliveries/s a second line per delivery
      // cost about a tenth of this process's CPU (bench/webhooks.ts).
      if (stored === 'duplicate') {
        log.debug({ integrationId }, 'webhook duplicate ignored');
        res.status(200).json({ status: 'duplicate' });
        return;
      }
      log.debug({ integrationId, eventId: stored.eventId }, 'webhook accepted');
      res.status(200).json({ status: 'accepted', eventId: stored.eventId });
      return;
    }
  }

  function failed(error: unknown, res: Response): void {
    const log: Logger = res.locals.log ?? options.logger;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (isDatabaseUnavailable(error)) {
      log.warn({ code: (error as { code?: unknown }).code }, 'webhook refused: database unavailable');
      res.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply(res, { status: 503, code: 'UNAVAILABLE', message: 'Temporarily unavailable; retry later.' });
    }
    log.error({ err: error }, 'webhook ingress failed');
    reply(res, { status: 500, code: 'INTERNAL', message: 'Internal server error' });
  }

  // Every delivery is counted by the status it got (metrics), body-parser rejections included.
  const countDelivery: RequestHandler = (_req, res, next) => {
    res.once('finish', () => countWebhookDelivery(res.statusCode));
    next();
  };
  router.post(
    WEBHOOK_RECEIVE_PATH,
    countDelivery,
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    (req, res) => {
      receive(req, res).catch((error: unknown) => failed(error, res));
    },
  );

  // Body-parser errors (too large, aborted, bad encoding) in the same shape; only for this route.
  const bodyErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
    if (type === 'entity.too.large') {
      return reply(res, {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `The webhook body is over the ${WEBHOOK_BODY_LIMIT} limit.`,
      });
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply(res, { status, code: 'BAD_REQUEST', message: 'The webhook request could not be read.' });
    }
    next(error);
  };
  router.use(WEBHOOK_RECEIVE_PATH, bodyErrors);
  return router;
}

export interface JobSenderOptions {
  connectionString: string;
  logger: Logger;
  /** pg-boss schema; the worker's default is 'pgboss'. */
  schema?: string;
  /** Wait between start attempts while the database is unreachable. */
  retryMs?: number;
}

export interface JobSenderHandle {
  /** Sends through the started PgBoss; before it started, fails with code QUEUE_UNAVAILABLE (→ 503). */
  sender: JobSender;
  /** Resolves once a start attempt succeeded. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PgBoss that only sends: no maintenance (supervise) and no cron (schedule); the worker does both.
 * Starting installs or migrates pg-boss's schema if the web comes up first (advisory-locked, safe
 * beside the worker), then creates sync.webhook if missing: a send to a missing queue fails. A
 * database that is down at boot does not stop the web: starts are retried in the background and
 * webhooks answer 503 meanwhile, like every other database outage.
 */
export function createJobSender(options: JobSenderOptions): JobSenderHandle {
  const { logger, retryMs = 5_000 } = options;
  let boss: PgBoss | null = null;
  let started = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const attempt = async (): Promise<void> => {
    const candidate = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema ?? 'pgboss',
      application_name: 'syncbridge-web-queue',
      max: 4,
      supervise: false,
      schedule: false,
    });
    // Without an `error` listener a dropped connection crashes the process (pg-boss #365, #381).
    candidate.on('error', (error: unknown) => logger.error({ err: error }, 'pg-boss error'));
    boss = candidate;
    await candidate.start();
    // Every queue, with the options the engine declares: this process may send before any worker
    // has ever started (webhook processing, "sync now").
    await createQueues(candidate);
  };

  const ready = new Promise<void>((resolve) => {
    const tryStart = () => {
      attempt().then(
        () => {
          started = true;
          resolve();
        },
        async (error: unknown) => {
          await boss?.stop({ graceful: false, close: true }).catch(() => undefined);
          boss = null;
          if (stopped) return;
          logger.warn({ code: (error as { code?: unknown }).code }, 'job queue not started yet; retrying');
          timer = setTimeout(tryStart, retryMs);
        },
      );
    };
    tryStart();
  });

  const send = (name: string, data?: object | null, sendOptions?: SendOptions | null) => {
    if (!started || !boss) {
      return Promise.reject(
        Object.assign(new Error('The job queue is not started yet.'), { code: 'QUEUE_UNAVAILABLE' }),
      );
    }
    return boss.send(name, data, sendOptions ?? undefined);
  };

  // Withdraws a job that has not run yet (an admin cancelling a queued sync).
  const cancel: NonNullable<JobSender['cancel']> = (name, id, cancelOptions) => {
    if (!started || !boss) {
      return Promise.reject(
        Object.assign(new Error('The job queue is not started yet.'), { code: 'QUEUE_UNAVAILABLE' }),
      );
    }
    return boss.cancel(name, id, cancelOptions);
  };

  return {
    sender: { send: send as JobSender['send'], cancel },
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (boss) await boss.stop({ graceful: true, timeout: 5_000 });
    },
  };
}
