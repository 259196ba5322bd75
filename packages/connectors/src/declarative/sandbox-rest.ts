// REST routes of the declarative sandbox: list (page numbers with the vendor's end signal, offsets,
// opaque cursors, "before" paging), get, create, update, delete, and the generic API's batches.
import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from './sandbox.ts';
import { renderItem, visibleTime, type SandboxList } from './sandbox-profile.ts';
import { SandboxError, type SandboxItem } from './sandbox-store.ts';

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseSince(value: string, format: NonNullable<SandboxList['since']>['format']): number {
  const ms =
    format === 'epoch-ms' ? Number(value) : format === 'epoch-seconds' ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw new SandboxError(400, 'invalid_request', 'the updated-since value is not a time');
  return ms;
}

export function restRoutes(context: SandboxContext): Router {
  const { profile, store, count, aliases } = context;
  const router = Router();
  const base = profile.basePath;
  const list = profile.list;
  const writes = profile.writes ?? {};
  const render = (req: Request, item: SandboxItem) => renderItem(profile, item, context.baseUrlOf(req));
  const objectOf = (req: Request): string | undefined => {
    const named = req.params.object as string | undefined;
    return named === undefined ? undefined : (aliases.get(named) ?? named);
  };
  /** Record URLs that do not name the object (Trello /cards/:id): find the record anywhere. */
  const locate = (req: Request): SandboxItem => {
    const id = req.params.id as string;
    const object = objectOf(req);
    const item = object === undefined ? store.find(id) : store.get(object, id);
    if (!item) throw new SandboxError(404, 'not_found', `record ${id} not found`);
    return item;
  };
  const readBody = (req: Request): { fields: Record<string, unknown>; key: string | null } => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const shape = profile.record;
    if (shape.envelope) {
      const fields = body[shape.envelope];
      return {
        fields: fields && typeof fields === 'object' ? (fields as Record<string, unknown>) : {},
        key: shape.key && typeof body[shape.key] === 'string' ? (body[shape.key] as string) : null,
      };
    }
    const fields = { ...body };
    for (const name of [shape.id, shape.updated?.field, shape.created?.field, ...(writes.ignoreKeys ?? [])])
      if (name) delete fields[name];
    return { fields, key: null };
  };

  if (list) {
    router.get(`${base}${list.path}`, count, (req, res) => {
      const object = objectOf(req);
      const query = req.query;
      const sinceText = list.since ? single(query[list.since.param]) : undefined;
      const since = sinceText !== undefined && list.since ? parseSince(sinceText, list.since.format) : null;
      const tombstones = since !== null && Boolean(list.since?.tombstones);
      let items = object === undefined ? allObjects(context, tombstones) : store.all(object, tombstones);
      if (since !== null) {
        const format = profile.record.updated?.format;
        items = items.filter((item) =>
          list.since!.inclusive
            ? visibleTime(item.updatedAt, format) >= since
            : visibleTime(item.updatedAt, format) > since,
        );
      }
      const ids = list.filters?.ids ? single(query[list.filters.ids])?.split(',') : undefined;
      if (ids) items = items.filter((item) => ids.includes(item.id));
      const keys = list.filters?.keys ? single(query[list.filters.keys])?.split(',') : undefined;
      if (keys) items = items.filter((item) => item.key !== null && keys.includes(item.key));
      const requested = list.pageSize.param
        ? Number(single(query[list.pageSize.param]) ?? list.pageSize.default)
        : list.pageSize.default;
      if (!Number.isInteger(requested) || requested < 1 || requested > list.pageSize.max)
        throw new SandboxError(400, 'invalid_request', `page size must be between 1 and ${list.pageSize.max}`);
      sendPage(
        context,
        req,
        res,
        list,
        object ?? '',
        items.map((item) => ({ item, wire: render(req, item) })),
        requested,
      );
    });
  }

  if (writes.get) {
    router.get(`${base}${writes.get}`, count, (req, res) => void res.json(render(req, locate(req))));
  }

  if (writes.create) {
    const spec = writes.create;
    router.post(`${base}${spec.path}`, count, (req, res) => {
      const { fields, key } = readBody(req);
      let object = objectOf(req);
      // Trello: cards are created in a list (idList), which belongs to a board.
      if (object === undefined && typeof fields.idList === 'string')
        object = aliases.get(fields.idList) ?? fields.idList;
      if (object === undefined) throw new SandboxError(400, 'invalid_request', 'no container named for the new record');
      res.status(spec.status).json(render(req, store.create(object, fields, key)));
    });
  }

  if (writes.update) {
    const spec = writes.update;
    router[spec.method](`${base}${spec.path}`, count, (req, res) => {
      const current = locate(req);
      const saved = store.update(current.object, current.id, readBody(req).fields);
      if (spec.answer === 'none') res.status(204).end();
      else res.json(render(req, saved));
    });
  }

  if (writes.delete) {
    const spec = writes.delete;
    router.delete(`${base}${spec.path}`, count, (req, res) => {
      const current = locate(req);
      const deleted = store.delete(current.object, current.id);
      if (spec.answer === 'none') res.status(204).end();
      else if (spec.answer === 'ok-empty') res.status(200).end();
      else if (spec.answer === 'empty-object') res.json({});
      else if (spec.answer === 'deleted-flag') res.json({ id: deleted.id, deleted: true });
      else res.json(render(req, deleted));
    });
  }

  if (writes.genericBatch && list) {
    type Result =
      | { ok: true; id: string; updated_at: string }
      | { ok: false; id?: string; error: { code: string; message: string; existing_id?: string } };
    const failure = (error: unknown, id?: string): Result => {
      if (!(error instanceof SandboxError)) throw error;
      return {
        ok: false,
        ...(id ? { id } : {}),
        error: {
          code: error.code,
          message: error.message,
          ...(error.existingId ? { existing_id: error.existingId } : {}),
        },
      };
    };
    const items = (req: Request, field: string): unknown[] => {
      const value = (req.body as Record<string, unknown> | undefined)?.[field];
      if (!Array.isArray(value)) throw new SandboxError(400, 'invalid_request', `body must be { "${field}": [...] }`);
      if (value.length > 100) throw new SandboxError(400, 'batch_too_large', 'a batch may carry at most 100 items');
      return value;
    };
    const stamp = (req: Request, item: SandboxItem) =>
      String(render(req, item)[profile.record.updated?.field ?? 'updated_at']);
    router.post(`${base}${list.path}/batch`, count, (req, res) => {
      const object = objectOf(req) as string;
      const results = items(req, 'records').map((entry): Result => {
        const input = (entry && typeof entry === 'object' ? entry : {}) as {
          id?: unknown;
          key?: unknown;
          fields?: unknown;
        };
        const fields = (input.fields && typeof input.fields === 'object' ? input.fields : {}) as Record<
          string,
          unknown
        >;
        try {
          const saved =
            typeof input.id === 'string'
              ? store.update(object, input.id, fields)
              : store.create(object, fields, typeof input.key === 'string' ? input.key : null);
          return { ok: true, id: saved.id, updated_at: stamp(req, saved) };
        } catch (error) {
          return failure(error, typeof input.id === 'string' ? input.id : undefined);
        }
      });
      res.json({ results });
    });
    router.post(`${base}${list.path}/batch_delete`, count, (req, res) => {
      const object = objectOf(req) as string;
      const results = items(req, 'ids').map((id): Result => {
        try {
          if (typeof id !== 'string') throw new SandboxError(400, 'validation_failed', 'ids must be strings');
          const deleted = store.delete(object, id);
          return { ok: true, id: deleted.id, updated_at: stamp(req, deleted) };
        } catch (error) {
          return failure(error, typeof id === 'string' ? id : undefined);
        }
      });
      res.json({ results });
    });
  }
  return router;
}

function allObjects(context: SandboxContext, includeDeleted: boolean): SandboxItem[] {
  // Lists that are not per object (Toggl's /me/time_entries): every record, in change order.
  const seen: SandboxItem[] = [];
  for (const object of context.store.objectNames()) seen.push(...context.store.all(object, includeDeleted));
  return seen.sort((a, b) => a.seq - b.seq);
}

interface Row {
  item: SandboxItem;
  wire: Record<string, unknown>;
}

function pageUrl(req: Request, base: string, param: string, value: number): string {
  const url = new URL(req.originalUrl, base);
  url.searchParams.set(param, String(value));
  return url.toString();
}

function sendPage(
  context: SandboxContext,
  req: Request,
  res: Response,
  list: SandboxList,
  object: string,
  rows: Row[],
  size: number,
): void {
  const envelope = list.envelope === ':object' ? object : list.envelope;
  const wrap = (records: unknown[], extra: Record<string, unknown> = {}) =>
    envelope === null ? records : { [envelope]: records, ...extra };
  const pagination = list.pagination;
  switch (pagination.style) {
    case 'page': {
      const requested = single(req.query[pagination.param]);
      const page = requested === undefined ? pagination.first : Number(requested);
      if (!Number.isInteger(page) || page < pagination.first)
        throw new SandboxError(400, 'invalid_request', 'bad page number');
      const start = (page - pagination.first) * size;
      const records = rows.slice(start, start + size).map((row) => row.wire);
      const totalPages = Math.max(1, Math.ceil(rows.length / size));
      const ordinal = page - pagination.first + 1;
      const more = ordinal < totalPages;
      const base = context.baseUrlOf(req);
      if (pagination.meta === 'clickup') return void res.json({ [envelope ?? 'tasks']: records, last_page: !more });
      if (pagination.meta === 'harvest') {
        return void res.json({
          [envelope ?? object]: records,
          per_page: size,
          total_pages: totalPages,
          total_entries: rows.length,
          next_page: more ? page + 1 : null,
          previous_page: ordinal > 1 ? page - 1 : null,
          page,
          links: {
            first: pageUrl(req, base, pagination.param, pagination.first),
            next: more ? pageUrl(req, base, pagination.param, page + 1) : null,
            previous: ordinal > 1 ? pageUrl(req, base, pagination.param, page - 1) : null,
            last: pageUrl(req, base, pagination.param, totalPages - 1 + pagination.first),
          },
        });
      }
      if (pagination.meta === 'link-header' && more)
        res.set('Link', `<${pageUrl(req, base, pagination.param, page + 1)}>; rel="next"`);
      return void res.json(wrap(records));
    }
    case 'offset': {
      const offset = Number(single(req.query[pagination.param]) ?? 0);
      if (!Number.isInteger(offset) || offset < 0) throw new SandboxError(400, 'invalid_request', 'bad offset');
      return void res.json(wrap(rows.slice(offset, offset + size).map((row) => row.wire)));
    }
    case 'cursor': {
      // Keyset on change order: a record changed during the read moves behind the cursor and is
      // listed again later, never skipped.
      const cursor = single(req.query[pagination.param]);
      const after = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!Number.isInteger(after)) throw new SandboxError(400, 'invalid_request', 'bad cursor');
      const remaining = rows.filter((row) => row.item.seq > after);
      const page = remaining.slice(0, size);
      const last = page.at(-1);
      const next = remaining.length > size && last ? Buffer.from(String(last.item.seq)).toString('base64url') : null;
      return void res.json({ ...(wrap(page.map((row) => row.wire)) as object), [pagination.field]: next });
    }
    case 'before': {
      const value = (row: Row) => String(pagination.field === 'id' ? row.item.id : (row.wire[pagination.field] ?? ''));
      const before = single(req.query[pagination.param]);
      const sorted = [...rows].sort((a, b) => (value(a) < value(b) ? 1 : value(a) > value(b) ? -1 : 0));
      const remaining = before === undefined ? sorted : sorted.filter((row) => value(row) < before);
      return void res.json(wrap(remaining.slice(0, size).map((row) => row.wire)));
    }
  }
}
