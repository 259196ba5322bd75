// HTTP routes of the Smartsheet API subset, under /2.0. Handlers stay thin: parse the request, call
// the store or the webhook registry, wrap the reply in the API's envelope. Every route carries the
// request counter, so counts are per route pattern ("POST /2.0/sheets/:sheetId/rows").
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { apiErrors, SmartsheetApiError } from './errors.ts';
import type { SheetStore } from './store.ts';
import type { SmartsheetWebhookRegistry } from './webhooks.ts';
import type { SheetWriteLocks } from './write-lock.ts';

export interface SmartsheetRouterOptions {
  store: SheetStore;
  locks: SheetWriteLocks;
  webhooks: SmartsheetWebhookRegistry;
  count: RequestHandler;
  /** False for tokens that may read but not write (403, errorCode 1004). */
  canWrite: (req: Request) => boolean;
  currentUser: Record<string, unknown>;
}

type AsyncHandler = (req: Request, res: Response) => Promise<void> | void;

/** Express 4 does not catch rejected promises: hand them to the error middleware. */
const route =
  (handler: AsyncHandler): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(next);
  };

function idParam(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) throw apiErrors.notFound();
  return Number(value);
}

function queryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw apiErrors.invalidParameter(String(value), name);
  return value;
}

function idList(req: Request, name: string): number[] | undefined {
  const value = queryValue(req, name);
  if (value === undefined) return undefined;
  const ids = value.split(',').filter((part) => part.length > 0);
  if (ids.some((id) => !/^\d{1,16}$/.test(id))) throw apiErrors.invalidParameter(value, name);
  return ids.map(Number);
}

const flag = (req: Request, name: string) => queryValue(req, name) === 'true';

function indexResult<T>(items: T[], req: Request) {
  if (flag(req, 'includeAll')) {
    return { pageNumber: 1, pageSize: items.length, totalPages: 1, totalCount: items.length, data: items };
  }
  const pageSize = Math.max(1, Number(queryValue(req, 'pageSize') ?? 100) || 100);
  const totalPages = Math.max(1, Math.ceil(items.length / pageSize));
  const pageNumber = Math.min(Math.max(1, Number(queryValue(req, 'page') ?? 1) || 1), totalPages);
  const data = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { pageNumber, pageSize, totalPages, totalCount: items.length, data };
}

const success = (result: unknown, extra: Record<string, unknown> = {}) => ({
  message: 'SUCCESS',
  resultCode: 0,
  ...extra,
  result,
});

export function createSmartsheetRouter(options: SmartsheetRouterOptions): Router {
  const { store, locks, webhooks, count } = options;
  const router = Router();
  const changeAgent = (req: Request) => req.get('smartsheet-change-agent') ?? null;
  const writable = (req: Request) => {
    if (!options.canWrite(req)) throw apiErrors.notAuthorized();
  };

  router.get('/users/me', count, (_req, res) => {
    res.json(options.currentUser);
  });

  router.get(
    '/sheets',
    count,
    route((req, res) => {
      res.json(indexResult(store.listSheets(), req));
    }),
  );

  router.get(
    '/sheets/:sheetId',
    count,
    route((req, res) => {
      res.json(
        store.sheetJson(idParam(req.params.sheetId), {
          rowsModifiedSince: queryValue(req, 'rowsModifiedSince'),
          rowIds: idList(req, 'rowIds'),
          columnIds: idList(req, 'columnIds'),
        }),
      );
    }),
  );

  router.get(
    '/sheets/:sheetId/columns',
    count,
    route((req, res) => {
      res.json(indexResult(store.columns(idParam(req.params.sheetId)), req));
    }),
  );

  router.post(
    '/sheets/:sheetId/rows',
    count,
    route(async (req, res) => {
      const sheetId = idParam(req.params.sheetId);
      store.sheet(sheetId);
      writable(req);
      const write = { allowPartialSuccess: flag(req, 'allowPartialSuccess'), changeAgent: changeAgent(req) };
      res.json(await locks.run(sheetId, () => store.addRows(sheetId, req.body, write)));
    }),
  );

  router.put(
    '/sheets/:sheetId/rows',
    count,
    route(async (req, res) => {
      const sheetId = idParam(req.params.sheetId);
      store.sheet(sheetId);
      writable(req);
      const write = { allowPartialSuccess: flag(req, 'allowPartialSuccess'), changeAgent: changeAgent(req) };
      res.json(await locks.run(sheetId, () => store.updateRows(sheetId, req.body, write)));
    }),
  );

  router.delete(
    '/sheets/:sheetId/rows',
    count,
    route(async (req, res) => {
      const sheetId = idParam(req.params.sheetId);
      store.sheet(sheetId);
      writable(req);
      const ids = idList(req, 'ids');
      if (!ids || ids.length === 0)
        throw new SmartsheetApiError(400, 1009, 'A required parameter is missing from your request: ids.');
      const remove = { ignoreRowsNotFound: flag(req, 'ignoreRowsNotFound'), changeAgent: changeAgent(req) };
      res.json(await locks.run(sheetId, () => store.deleteRows(sheetId, ids, remove)));
    }),
  );

  router.get(
    '/webhooks',
    count,
    route((req, res) => {
      res.json(indexResult(webhooks.list(), req));
    }),
  );

  router.post(
    '/webhooks',
    count,
    route((req, res) => {
      writable(req);
      res.json(success(webhooks.create(req.body, (id) => store.hasSheet(id))));
    }),
  );

  router.get(
    '/webhooks/:webhookId',
    count,
    route((req, res) => {
      res.json(webhooks.get(idParam(req.params.webhookId)));
    }),
  );

  router.put(
    '/webhooks/:webhookId',
    count,
    route(async (req, res) => {
      writable(req);
      res.json(success(await webhooks.update(idParam(req.params.webhookId), req.body)));
    }),
  );

  router.delete(
    '/webhooks/:webhookId',
    count,
    route((req, res) => {
      writable(req);
      webhooks.remove(idParam(req.params.webhookId));
      res.json({ message: 'SUCCESS', resultCode: 0 });
    }),
  );

  router.post(
    '/webhooks/:webhookId/resetsharedsecret',
    count,
    route((req, res) => {
      writable(req);
      res.json(success({ sharedSecret: webhooks.resetSharedSecret(idParam(req.params.webhookId)) }));
    }),
  );

  return router;
}
