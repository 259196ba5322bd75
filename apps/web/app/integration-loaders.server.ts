// Loader helpers for the integration pages: a missing integration or resource (or an id that is not
// a UUID) is a 404 page, not a server error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function notFound(what: string): Response {
  return new Response(`${what} not found.`, { status: 404, statusText: 'Not Found' });
}

/** The route parameter when it is a UUID; otherwise a 404 response is thrown. */
export function uuidParam(value: string | undefined, what: string): string {
  if (!value || !UUID.test(value)) throw notFound(what);
  return value;
}

/** Runs a read; NOT_FOUND from the procedure becomes a 404 response. */
export async function orNotFound<T>(read: Promise<T>, what: string): Promise<T> {
  try {
    return await read;
  } catch (error) {
    // A TRPCError (by its code: the api bundles its own copy of @trpc/server into the server build).
    if ((error as { code?: unknown } | null)?.code === 'NOT_FOUND') throw notFound(what);
    throw error;
  }
}

/** A section's first data, or undefined when it failed (the section then loads in the browser). */
export async function settle<T>(
  read: Promise<T>,
  log: { warn: (obj: object, msg: string) => void },
  section: string,
): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    log.warn({ err: error, section }, 'integration page section failed to load');
    return undefined;
  }
}
