// Sending a batch to a connector: rate limited across processes, retried in-run with backoff for
// transient failures (honouring Retry-After), split into single items when the API rejects the
// whole batch so that one bad row fails alone, and aborted on auth failures.
import type { Connector, ConnectorError, ItemResult } from '@syncbridge/connectors';
import { backoffDelay } from './backoff.ts';
import type { EngineContext } from './context.ts';
import { nowOf } from './context.ts';
import type { LoadedResource } from './resource-config.ts';
import type { RateLimit } from './rate-limiter.ts';
import { raiseAlert } from './alerts.ts';
import { observeExternalCall } from './metrics.ts';

export interface ItemFailure {
  key: string;
  error: ConnectorError;
}

/** Stops a run: the integration cannot be reached as configured (e.g. credentials rejected). */
export class SyncAbort extends Error {
  override name = 'SyncAbort';
  constructor(readonly error: ConnectorError) {
    super(error.message);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export function rateLimitKey(loaded: LoadedResource): string {
  return `${loaded.integration.type}:${loaded.integration.id}`;
}

/** The connector's limit, shared by every request made with the integration's credentials. */
export function rateLimitOf(loaded: LoadedResource, connector: Pick<Connector, 'limits'>): RateLimit {
  return {
    key: rateLimitKey(loaded),
    limit: connector.limits.requestsPerWindow,
    windowMs: connector.limits.windowMs,
  };
}

export async function sendWithRetry<T extends { internalId: string }>(
  ctx: EngineContext,
  loaded: LoadedResource,
  connector: Connector,
  send: (items: T[]) => Promise<ItemResult[]>,
  items: T[],
  signal?: AbortSignal,
): Promise<{ results: ItemResult[]; requests: number }> {
  const attempts = ctx.retry?.inRunAttempts ?? 3;
  const maxWait = ctx.retry?.maxWaitMs ?? 60_000;
  let requests = 0;
  let last: ConnectorError = { kind: 'retryable', message: 'not sent' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    requests++;
    let sentAt = performance.now();
    try {
      const results = await ctx.limiter.send(
        rateLimitOf(loaded, connector),
        () => {
          sentAt = performance.now();
          return send(items);
        },
        signal,
      );
      observeExternalCall(connector.type, (performance.now() - sentAt) / 1000, 'ok');
      return { results, requests };
    } catch (error) {
      last = connector.classifyError(error);
      observeExternalCall(connector.type, (performance.now() - sentAt) / 1000, last.kind);
    }
    if (last.kind === 'auth') throw new SyncAbort(last);
    if (last.kind === 'invalid') {
      if (items.length === 1)
        return { results: [{ internalId: items[0]!.internalId, ok: false, error: last }], requests };
      // The API refused the batch as a whole: send items one by one so only the bad one fails.
      const results: ItemResult[] = [];
      for (const item of items) {
        const single = await sendWithRetry(ctx, loaded, connector, send, [item], signal);
        results.push(...single.results);
        requests += single.requests;
      }
      return { results, requests };
    }
    if (attempt === attempts) break;
    const delay = backoffDelay(attempt, { baseMs: ctx.retry?.baseMs ?? 250, maxMs: maxWait }, last.retryAfterMs);
    if (delay > maxWait) break; // come back later through the retry queue instead of holding the run
    ctx.logger.debug(
      { integrationId: loaded.integration.id, attempt, delay, kind: last.kind },
      'batch failed, retrying',
    );
    await sleep(delay, signal);
  }
  return { results: items.map((item) => ({ internalId: item.internalId, ok: false as const, error: last })), requests };
}

export interface RunCounts {
  processed: number;
  failed: number;
  exhausted?: number;
}

/**
 * After a run: integration timestamps and status. An aborted run (auth) → ERROR; items out of
 * retries → an alert; a failure rate above 10% → DEGRADED; a clean run restores ACTIVE.
 */
export async function recordRunHealth(
  ctx: EngineContext,
  loaded: LoadedResource,
  counts: RunCounts,
  error: unknown,
): Promise<void> {
  const now = nowOf(ctx);
  const integration = loaded.integration;
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.prisma.integration.update({
      where: { id: integration.id },
      data: {
        lastSyncAt: now,
        lastErrorAt: now,
        lastErrorMessage: message.slice(0, 1000),
        ...(error instanceof SyncAbort ? { status: 'ERROR' as const } : {}),
      },
    });
    await raiseAlert(ctx, {
      integrationId: integration.id,
      rule: error instanceof SyncAbort ? 'INTEGRATION_AUTH' : 'SYNC_FAILED',
      severity: 'CRITICAL',
      title: `${integration.name}: sync failed`,
      message: message.slice(0, 500),
    });
    return;
  }
  if (counts.processed === 0) return;
  const rate = counts.failed / counts.processed;
  const status =
    rate > 0.1
      ? 'DEGRADED'
      : counts.failed === 0 && (integration.status === 'DEGRADED' || integration.status === 'ERROR')
        ? 'ACTIVE'
        : undefined;
  await ctx.prisma.integration.update({
    where: { id: integration.id },
    data: {
      lastSyncAt: now,
      ...(counts.failed === 0 ? { lastSuccessAt: now, consecutiveFailures: 0 } : { lastErrorAt: now }),
      ...(status && integration.status !== 'PAUSED' && integration.status !== 'DISABLED' ? { status } : {}),
    },
  });
  if (rate > 0.1) {
    await raiseAlert(ctx, {
      integrationId: integration.id,
      rule: 'HIGH_ERROR_RATE',
      severity: 'WARNING',
      title: `${integration.name}: ${Math.round(rate * 100)}% of records failed`,
      message: `${counts.failed} of ${counts.processed} records failed in the last run of ${loaded.resource.name}.`,
    });
  }
  if (counts.exhausted) {
    await raiseAlert(ctx, {
      integrationId: integration.id,
      rule: 'RECORDS_FAILED',
      severity: 'WARNING',
      title: `${integration.name}: ${counts.exhausted} record(s) failed for good`,
      message: `${counts.exhausted} record(s) of ${loaded.resource.name} failed after their last retry; retry them from the admin app.`,
      cooldownMs: 0,
    });
  }
}
