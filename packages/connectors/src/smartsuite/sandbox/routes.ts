// HTTP routes of the SmartSuite REST API subset, under /api/v1 (trailing slashes, as the API's).
// Handlers stay thin: parse the request, call the store, answer with the API's status and shape.
// Every route carries the request counter (per pattern); writes also carry the write counter.
// https://developers.smartsuite.com/docs/solution-data/records/list-records
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { SMARTSUITE_DEFAULT_PAGE_SIZE, SMARTSUITE_MAX_PAGE_SIZE } from '../limits.ts';
import { smartsuiteErrors } from './errors.ts';
import type { SmartSuiteStore } from './store.ts';

export interface SmartSuiteRouterOptions {
  store: SmartSuiteStore;
  count: RequestHandler;
  /** Counts a write request (create, update, delete) and the records it carries. */
  countWrite: (req: Request, records: number) => void;
}

type Handler = (req: Request, res: Response) => void;

const route =
  (handler: Handler): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    try {
      handler(req, res);
    } catch (error) {
      next(error);
    }
  };

function integerQuery(req: Request, name: string, fallback: number, max?: number): number {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw smartsuiteErrors.badRequest({ [name]: ['A valid integer is required.'] });
  if (max !== undefined && value > max) {
    throw smartsuiteErrors.badRequest({ [name]: [`Ensure this value is less than or equal to ${max}.`] });
  }
  return value;
}

const bodyOf = (req: Request): Record<string, unknown> =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};

function itemsOf(req: Request): unknown[] {
  const items = bodyOf(req).items;
  if (!Array.isArray(items)) throw smartsuiteErrors.invalidItems('This field is required and must be a list.');
  return items;
}

export function createSmartSuiteRouter(options: SmartSuiteRouterOptions): Router {
  const { store, count, countWrite } = options;
  const router = Router();
  const tableId = (req: Request) => {
    const id = String(req.params.tableId);
    if (!store.hasTable(id)) throw smartsuiteErrors.notFound();
    return id;
  };

  router.get(
    '/applications/',
    count,
    route((_req, res) => {
      res.json(store.applications());
    }),
  );

  router.get(
    '/applications/:tableId/',
    count,
    route((req, res) => {
      res.json(store.applicationJson(tableId(req)));
    }),
  );

  // List Records: POST with sort and filter in the body; offset/limit (≤ 1000, default 100) and
  // `all` (include the trash) in the query.
  router.post(
    '/applications/:tableId/records/list/',
    count,
    route((req, res) => {
      const id = tableId(req);
      const body = bodyOf(req);
      res.json(
        store.list(id, {
          offset: integerQuery(req, 'offset', 0),
          limit: integerQuery(req, 'limit', SMARTSUITE_DEFAULT_PAGE_SIZE, SMARTSUITE_MAX_PAGE_SIZE),
          all: req.query.all === 'true' || req.query.all === '1',
          filter: body.filter,
          sort: body.sort,
        }),
      );
    }),
  );

  router.post(
    '/applications/:tableId/records/bulk/',
    count,
    route((req, res) => {
      const id = tableId(req);
      const items = itemsOf(req);
      countWrite(req, items.length);
      res.status(201).json(store.createRecords(id, items, true));
    }),
  );

  router.patch(
    '/applications/:tableId/records/bulk/',
    count,
    route((req, res) => {
      const id = tableId(req);
      const items = itemsOf(req);
      countWrite(req, items.length);
      res.json(store.updateRecords(id, items));
    }),
  );

  // Bulk delete: `{ items: [id, …] }`; with ?fields=id the answer lists `{ id }` of each deleted record.
  router.patch(
    '/applications/:tableId/records/bulk_delete/',
    count,
    route((req, res) => {
      const id = tableId(req);
      const items = itemsOf(req).map((item) =>
        item && typeof item === 'object' ? (item as { id?: unknown }).id : item,
      );
      countWrite(req, items.length);
      const deleted = store.deleteRecords(id, items);
      res.json(deleted.map((recordId) => ({ id: recordId })));
    }),
  );

  router.post(
    '/applications/:tableId/records/',
    count,
    route((req, res) => {
      const id = tableId(req);
      countWrite(req, 1);
      res.status(201).json(store.createRecords(id, [req.body], false)[0]);
    }),
  );

  router.get(
    '/applications/:tableId/records/:recordId/',
    count,
    route((req, res) => {
      const record = store.record(tableId(req), String(req.params.recordId));
      if (!record) throw smartsuiteErrors.notFound();
      res.json(record);
    }),
  );

  return router;
}
