// HTTP routes of the HubSpot CRM v3 subset, under /crm/v3. Handlers stay thin: parse, call the
// store, wrap the reply in the API's envelope. Every route carries the request counter.
// https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/guide
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { HUBSPOT_MAX_BATCH, HUBSPOT_MAX_PAGE } from '../limits.ts';
import { apiErrors, notFoundIds } from './errors.ts';
import { searchObjects, type SearchRequest } from './search.ts';
import type { HubSpotObjectStore, StoredObject } from './store.ts';

export interface HubSpotRouterOptions {
  stores: Map<string, HubSpotObjectStore>;
  count: RequestHandler;
  /** False for tokens that may read but not write (403 MISSING_SCOPES). */
  canWrite: (req: Request) => boolean;
  clock: () => number;
}

type Handler = (req: Request, res: Response) => void;

/** Errors thrown by handlers go to the error middleware (Express 4 does not catch them in async code). */
const route =
  (handler: Handler): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    try {
      handler(req, res);
    } catch (error) {
      next(error);
    }
  };

/** `properties=a,b` and `properties=a&properties=b` both work. */
function propertyList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => String(part).split(','));
  const names = parts.map((part) => part.trim()).filter((part) => part.length > 0);
  return names.length > 0 ? names : undefined;
}

function inputsOf(req: Request): unknown[] {
  const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
  if (!Array.isArray(inputs)) throw apiErrors.invalidInput('inputs: must not be null', 'inputs');
  if (inputs.length === 0 || inputs.length > HUBSPOT_MAX_BATCH)
    throw apiErrors.tooManyInputs(HUBSPOT_MAX_BATCH, inputs.length);
  return inputs;
}

function idOf(input: unknown): string {
  const id = (input as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' && typeof id !== 'number') throw apiErrors.invalidInput('id: must not be null', 'id');
  return String(id);
}

function propertiesOf(input: unknown): Record<string, unknown> {
  const properties = (input as { properties?: unknown } | null)?.properties;
  if (!properties || typeof properties !== 'object' || Array.isArray(properties)) {
    throw apiErrors.invalidInput('properties: must not be null', 'properties');
  }
  return properties as Record<string, unknown>;
}

function traceOf(input: unknown): { objectWriteTraceId?: string } {
  const trace = (input as { objectWriteTraceId?: unknown } | null)?.objectWriteTraceId;
  return typeof trace === 'string' ? { objectWriteTraceId: trace } : {};
}

export function createHubSpotRouter(options: HubSpotRouterOptions): Router {
  const { count } = options;
  const router = Router();
  const storeOf = (req: Request): HubSpotObjectStore => {
    const type = String(req.params.objectType);
    const store = options.stores.get(type);
    if (!store) throw apiErrors.invalidInput(`Unable to infer object type from: ${type}`);
    return store;
  };
  const writable = (req: Request) => {
    if (!options.canWrite(req)) throw apiErrors.missingScopes(`crm.objects.${String(req.params.objectType)}.write`);
  };
  const batchEnvelope = (started: number, results: unknown[], errors: unknown[] = []) => ({
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: new Date(started).toISOString(),
    completedAt: new Date(options.clock()).toISOString(),
  });

  router.get(
    '/objects/:objectType',
    count,
    route((req, res) => {
      const store = storeOf(req);
      const limit = req.query.limit === undefined ? 10 : Number(req.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > HUBSPOT_MAX_PAGE) {
        throw apiErrors.invalidInput(`limit must be between 1 and ${HUBSPOT_MAX_PAGE}`, 'limit');
      }
      // `after` is the id to start from: stable while objects are created, changed or archived.
      const after = typeof req.query.after === 'string' && req.query.after !== '' ? Number(req.query.after) : 0;
      if (!Number.isFinite(after))
        throw apiErrors.invalidInput(`after: ${String(req.query.after)} is not valid`, 'after');
      const objects = store
        .all({ archived: req.query.archived === 'true' })
        .filter((object) => Number(object.id) >= after);
      const page = objects.slice(0, limit);
      const next = objects[limit];
      const properties = propertyList(req.query.properties);
      res.json({
        results: page.map((object) => store.toApi(object, properties)),
        ...(next
          ? {
              paging: {
                next: {
                  after: next.id,
                  link: `${req.protocol}://${req.get('host') ?? ''}${req.baseUrl}${req.path}?after=${next.id}`,
                },
              },
            }
          : {}),
      });
    }),
  );

  router.get(
    '/objects/:objectType/:objectId',
    count,
    route((req, res) => {
      const store = storeOf(req);
      const object = store.get(String(req.params.objectId), { archived: req.query.archived === 'true' });
      if (!object) throw apiErrors.notFound();
      res.json(store.toApi(object, propertyList(req.query.properties)));
    }),
  );

  router.post(
    '/objects/:objectType/batch/create',
    count,
    route((req, res) => {
      const started = options.clock();
      const store = storeOf(req);
      writable(req);
      const raw = inputsOf(req);
      const created = store.createMany(raw.map((input) => ({ properties: propertiesOf(input) })));
      // Results come back with the input's objectWriteTraceId, the way to pair them with inputs.
      const results = created.map((object, index) => ({
        ...store.toApi(object, Object.keys(object.properties)),
        ...traceOf(raw[index]),
      }));
      res.status(201).json(batchEnvelope(started, results));
    }),
  );

  router.post(
    '/objects/:objectType/batch/update',
    count,
    route((req, res) => {
      const started = options.clock();
      const store = storeOf(req);
      writable(req);
      const raw = inputsOf(req);
      const inputs = raw.map((input) => ({ id: idOf(input), properties: propertiesOf(input) }));
      const { updated, missing } = store.updateMany(inputs);
      const traces = new Map(inputs.map((input, index) => [input.id, traceOf(raw[index])]));
      const results = updated.map((object) => ({
        ...store.toApi(object, Object.keys(object.properties)),
        ...traces.get(object.id),
      }));
      if (missing.length === 0) {
        res.json(batchEnvelope(started, results));
        return;
      }
      res.status(207).json(batchEnvelope(started, results, [notFoundIds(store.objectType, missing)]));
    }),
  );

  router.post(
    '/objects/:objectType/batch/archive',
    count,
    route((req, res) => {
      const store = storeOf(req);
      writable(req);
      store.archiveMany(inputsOf(req).map(idOf));
      res.status(204).end();
    }),
  );

  router.post(
    '/objects/:objectType/batch/read',
    count,
    route((req, res) => {
      const started = options.clock();
      const store = storeOf(req);
      const body = req.body as { properties?: unknown; idProperty?: unknown };
      const ids = inputsOf(req).map(idOf);
      const archived = req.query.archived === 'true';
      const properties = propertyList(body.properties);
      const idProperty =
        typeof body.idProperty === 'string' && body.idProperty !== 'hs_object_id' ? body.idProperty : null;
      const lookup = (id: string): StoredObject | undefined =>
        idProperty
          ? store
              .all({ archived })
              .find((object) => (object.properties[idProperty] ?? '').toLowerCase() === id.toLowerCase())
          : store.get(id, { archived });
      const found = ids.map((id) => ({ id, object: lookup(id) }));
      const results = found.flatMap(({ object }) => (object ? [store.toApi(object, properties)] : []));
      const missing = found.filter(({ object }) => !object).map(({ id }) => id);
      if (missing.length === 0) res.json(batchEnvelope(started, results));
      else res.status(207).json(batchEnvelope(started, results, [notFoundIds(store.objectType, missing)]));
    }),
  );

  router.post(
    '/objects/:objectType/search',
    count,
    route((req, res) => {
      const store = storeOf(req);
      const request = (req.body ?? {}) as SearchRequest;
      const definitions = new Map(store.properties.map((definition) => [definition.name, definition]));
      const result = searchObjects(store.live(), request, definitions);
      res.json({
        total: result.total,
        results: result.results.map((object) => store.toApi(object, request.properties)),
        ...(result.nextAfter ? { paging: { next: { after: result.nextAfter } } } : {}),
      });
    }),
  );

  router.get(
    '/properties/:objectType',
    count,
    route((req, res) => {
      res.json({ results: storeOf(req).properties });
    }),
  );

  return router;
}
