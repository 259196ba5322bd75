// HTTP routes of the records API. Handlers stay thin: parse the request, call the store, shape
// the reply. Every route carries the request counter so counts are per route pattern.
import { Router, type RequestHandler } from 'express';
import { StoreError, type RecordStore, type StoredRecord } from './store.ts';

export interface RecordsRouterOptions {
  store: RecordStore;
  count: RequestHandler;
  /** Read on every batch request, so tests can change it. */
  maxBatch: () => number;
  apiVersion: string;
}

type BatchResult =
  | { ok: true; id: string; updated_at: string }
  | { ok: false; id?: string; error: { code: string; message: string; existing_id?: string } };

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((item) => String(item).split(',')).filter((item) => item.length > 0);
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new StoreError('invalid_request', `${name} must be given once`);
  return value;
}

function itemFailure(error: unknown, id?: string): BatchResult {
  if (!(error instanceof StoreError)) throw error;
  const detail = {
    code: error.code,
    message: error.message,
    ...(error.existingId ? { existing_id: error.existingId } : {}),
  };
  return id ? { ok: false, id, error: detail } : { ok: false, error: detail };
}

function batchItems(body: unknown, field: 'records' | 'ids', maxBatch: number): unknown[] {
  const items = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(items)) throw new StoreError('invalid_request', `body must be { "${field}": [...] }`);
  if (items.length > maxBatch) {
    throw new StoreError('batch_too_large', `a batch may carry at most ${maxBatch} items; got ${items.length}`);
  }
  return items;
}

export function createRecordsRouter(options: RecordsRouterOptions): Router {
  const { store, count } = options;
  const router = Router();
  const base = '/v1/collections/:c';

  router.get('/v1/me', count, (_req, res) => {
    res.json({ ok: true, api_version: options.apiVersion });
  });

  router.get('/v1/collections', count, (_req, res) => {
    res.json({ collections: store.collectionNames().map((name) => ({ name, record_count: store.count(name) })) });
  });

  router.get(`${base}/records`, count, (req, res) => {
    const limit = single(req.query.limit, 'limit');
    const result = store.list(req.params.c as string, {
      updatedSince: single(req.query.updated_since, 'updated_since'),
      cursor: single(req.query.cursor, 'cursor'),
      limit: limit === undefined ? undefined : Number(limit),
      keys: list(req.query.key),
      ids: list(req.query.ids),
    });
    res.json(result);
  });

  router.post(`${base}/records`, count, (req, res) => {
    const body = (req.body ?? {}) as { key?: unknown; fields?: unknown };
    const record = store.create(req.params.c as string, { key: body.key as string | undefined, fields: body.fields });
    res.status(201).json(record);
  });

  router.post(`${base}/records/batch`, count, (req, res) => {
    const collection = req.params.c as string;
    const items = batchItems(req.body, 'records', options.maxBatch());
    const results = items.map((item): BatchResult => {
      const input = (item && typeof item === 'object' ? item : {}) as { id?: unknown; key?: unknown; fields?: unknown };
      try {
        const saved: StoredRecord =
          typeof input.id === 'string'
            ? store.update(collection, input.id, { fields: input.fields, key: input.key as string | undefined })
            : store.create(collection, { key: input.key as string | undefined, fields: input.fields });
        return { ok: true, id: saved.id, updated_at: saved.updated_at };
      } catch (error) {
        return itemFailure(error, typeof input.id === 'string' ? input.id : undefined);
      }
    });
    res.json({ results });
  });

  router.post(`${base}/records/batch_delete`, count, (req, res) => {
    const collection = req.params.c as string;
    const ids = batchItems(req.body, 'ids', options.maxBatch());
    const results = ids.map((id): BatchResult => {
      try {
        if (typeof id !== 'string') throw new StoreError('validation_failed', 'ids must be strings');
        const deleted = store.delete(collection, id);
        return { ok: true, id: deleted.id, updated_at: deleted.updated_at };
      } catch (error) {
        return itemFailure(error, typeof id === 'string' ? id : undefined);
      }
    });
    res.json({ results });
  });

  router.get(`${base}/records/:id`, count, (req, res) => {
    const record = store.get(req.params.c as string, req.params.id as string);
    if (!record) throw new StoreError('not_found', `record ${req.params.id} not found`);
    res.json(record);
  });

  router.patch(`${base}/records/:id`, count, (req, res) => {
    const body = (req.body ?? {}) as { key?: unknown; fields?: unknown };
    res.json(
      store.update(req.params.c as string, req.params.id as string, {
        fields: body.fields,
        key: body.key as string | undefined,
      }),
    );
  });

  router.delete(`${base}/records/:id`, count, (req, res) => {
    const deleted = store.delete(req.params.c as string, req.params.id as string);
    res.json({ id: deleted.id, deleted: true, updated_at: deleted.updated_at });
  });

  router.get(`${base}/fields`, count, (req, res) => {
    res.json({ fields: store.inferFields(req.params.c as string) });
  });

  return router;
}
