// The resource's advisory lock (one sync per resource across all workers), waited for briefly.
// The same loop as the engine's private withResourceLock in schedule.ts; it belongs exported from
// the engine, and this copy goes when it is.
import { resourceLockName, tryLock, type EngineContext } from '@syncbridge/engine';

const POLL_MS = 100;

/** Raised when the resource stayed locked for the whole wait; the job is retried later. */
export class ResourceBusyError extends Error {
  override name = 'ResourceBusyError';
}

/** Runs `fn` holding the resource's lock, waiting up to `waitMs` for it (and no longer than `signal` allows). */
export async function withResourceLock<T>(
  ctx: EngineContext,
  resourceId: string,
  fn: () => Promise<T>,
  options: { waitMs: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = await tryLock(ctx.pool, resourceLockName(resourceId));
    if (lock) {
      try {
        return await fn();
      } finally {
        await lock.release();
      }
    }
    if (Date.now() >= deadline) {
      throw new ResourceBusyError(`resource ${resourceId} stayed busy for ${options.waitMs} ms; will retry`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
