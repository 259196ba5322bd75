// HTTP routes of the Webflow Data API v2 subset, under /v2. Handlers stay thin: parse the request,
// call the store, answer with the API's status and shape. Every route carries the request counter
// (per pattern, "POST /v2/collections/:collectionId/items"); writes also carry the write counters.
// https://developers.webflow.com/data/reference/cms/collection-items/staged-items/list-items
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { webflowErrors } from './errors.ts';
import type { ItemInput, WebflowCollectionStore } from './store.ts';

export interface WebflowRouterOptions {
  store: WebflowCollectionStore;
  count: RequestHandler;
  /** Counts a write request and the items it carries (the S2 "writes per minute" check). */
  countWrite: (req: Request, items: number) => void;
  /** False for tokens without cms:write (403 missing_scopes). */
  canWrite: (req: Request) => boolean;
  introspection: (req: Request) => unknown;
}

type Handler = (req: Request, res: Response) => void;

/** Express 4 does not route thrown errors from every handler shape the same way: be explicit. */
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
  if (!Number.isSafeInteger(value) || (max !== undefined && value > max) || (name === 'limit' && value < 1)) {
    throw webflowErrors.validation([
      {
        param: name,
        description:
          max !== undefined ? `${name} must be an integer from 1 to ${max}` : `${name} must be a non-negative integer`,
      },
    ]);
  }
  return value;
}

const bodyOf = (req: Request): Record<string, unknown> =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};

function itemList(req: Request, what: string): ItemInput[] {
  const items = bodyOf(req).items;
  if (!Array.isArray(items) || items.length === 0) {
    throw webflowErrors.validation([{ param: 'items', description: `items must be a non-empty array of ${what}` }]);
  }
  return items.map((item) => (item && typeof item === 'object' ? (item as ItemInput) : {}));
}

export function createWebflowRouter(options: WebflowRouterOptions): Router {
  const { store, count } = options;
  const router = Router();
  const writable = (req: Request) => {
    if (!options.canWrite(req)) throw webflowErrors.missingScopes('cms:write');
  };
  const collectionId = (req: Request) => {
    const id = String(req.params.collectionId);
    if (!store.hasCollection(id)) throw webflowErrors.collectionNotFound();
    return id;
  };

  router.get('/token/introspect', count, (req, res) => {
    res.json(options.introspection(req));
  });

  router.get(
    '/collections/:collectionId',
    count,
    route((req, res) => {
      res.json(store.collectionJson(collectionId(req)));
    }),
  );

  const list = (live: boolean) =>
    route((req, res) => {
      const id = collectionId(req);
      const offset = integerQuery(req, 'offset', 0);
      const limit = integerQuery(req, 'limit', 100, 100);
      res.json(store.list(id, { offset, limit, live }));
    });
  router.get('/collections/:collectionId/items', count, list(false));
  router.get('/collections/:collectionId/items/live', count, list(true));

  // Create Item(s): a single item (`fieldData` at the top) or `{ items: [...] }` (≤ 100).
  router.post(
    '/collections/:collectionId/items',
    count,
    route((req, res) => {
      const id = collectionId(req);
      writable(req);
      const body = bodyOf(req);
      if (Array.isArray(body.items)) {
        const inputs = itemList(req, 'items');
        options.countWrite(req, inputs.length);
        res.status(202).json({ items: store.createItems(id, inputs, true) });
        return;
      }
      options.countWrite(req, 1);
      res.status(202).json(store.createItems(id, [body as ItemInput], false)[0]);
    }),
  );

  router.patch(
    '/collections/:collectionId/items',
    count,
    route((req, res) => {
      const id = collectionId(req);
      writable(req);
      const inputs = itemList(req, '{ id, fieldData }');
      options.countWrite(req, inputs.length);
      res.json({ items: store.updateItems(id, inputs) });
    }),
  );

  router.delete(
    '/collections/:collectionId/items',
    count,
    route((req, res) => {
      const id = collectionId(req);
      writable(req);
      const inputs = itemList(req, '{ id }');
      options.countWrite(req, inputs.length);
      store.deleteItems(
        id,
        inputs.map((item) => item.id),
      );
      res.status(204).end();
    }),
  );

  // Publish Item(s): `{ itemIds: [...] }` or `{ items: [{ id, cmsLocaleIds }] }`.
  router.post(
    '/collections/:collectionId/items/publish',
    count,
    route((req, res) => {
      const id = collectionId(req);
      writable(req);
      const body = bodyOf(req);
      const ids = Array.isArray(body.itemIds)
        ? body.itemIds
        : Array.isArray(body.items)
          ? body.items.map((item) => (item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined))
          : [];
      if (ids.length === 0 || ids.some((itemId) => typeof itemId !== 'string')) {
        throw webflowErrors.validation([
          { param: 'itemIds', description: 'itemIds must be a non-empty array of item ids' },
        ]);
      }
      options.countWrite(req, ids.length);
      res.status(202).json(store.publishItems(id, ids as string[]));
    }),
  );

  const single = (live: boolean) =>
    route((req, res) => {
      const id = collectionId(req);
      const itemId = String(req.params.itemId);
      const item = live ? store.liveItem(id, itemId) : store.item(id, itemId);
      if (!item) throw webflowErrors.itemNotFound();
      res.json(item);
    });
  router.get('/collections/:collectionId/items/:itemId', count, single(false));
  router.get('/collections/:collectionId/items/:itemId/live', count, single(true));

  return router;
}
