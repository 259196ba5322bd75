// Salesforce's REST API, as far as the declarative definition uses it: SOQL through /query (a small
// parser for SELECT … FROM … [WHERE SystemModstamp > t | field IN (…)] [ORDER BY …]) with
// nextRecordsUrl batches sized by Sforce-Query-Options, sObject rows, and sObject Collections
// (composite/sobjects) with per-record results under allOrNone=false.
import { Router, type Request } from 'express';
import type { SandboxContext } from './sandbox.ts';
import { renderItem } from './sandbox-profile.ts';
import { SandboxError, type SandboxItem } from './sandbox-store.ts';

const MAX_COLLECTION = 200;

interface QueryCursor {
  object: string;
  fields: string[];
  ids: string[];
  size: number;
}

function parseList(text: string): string[] {
  const values: string[] = [];
  const pattern = /'((?:[^'\\]|\\.)*)'/g;
  for (const match of text.matchAll(pattern)) values.push((match[1] ?? '').replace(/\\(.)/g, '$1'));
  return values;
}

export function salesforceRoutes(context: SandboxContext): Router {
  const { profile, store, count } = context;
  const router = Router();
  const base = profile.basePath;
  const cursors = new Map<string, QueryCursor>();
  let nextLocator = 1;

  const row = (req: Request, item: SandboxItem, fields: string[] | null) => {
    const wire = renderItem(profile, item, context.baseUrlOf(req));
    if (!fields) return wire;
    const out: Record<string, unknown> = { attributes: wire.attributes };
    for (const field of fields) out[field] = wire[field] ?? null;
    return out;
  };

  const answer = (req: Request, cursor: QueryCursor, offset: number) => {
    const part = cursor.ids.slice(offset, offset + cursor.size);
    const records = part.flatMap((id) => {
      const item = store.get(cursor.object, id);
      return item ? [row(req, item, cursor.fields)] : [];
    });
    const done = offset + cursor.size >= cursor.ids.length;
    const out: Record<string, unknown> = { totalSize: cursor.ids.length, done, records };
    if (!done) {
      const locator = `01gSB${String(nextLocator++).padStart(10, '0')}-${offset + cursor.size}`;
      cursors.set(locator, cursor);
      out.nextRecordsUrl = `${base}/query/${locator}`;
    }
    return out;
  };

  router.get(`${base}/query`, count, (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const match = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?\s*$/i.exec(q);
    if (!match) throw new SandboxError(400, 'MALFORMED_QUERY', 'unexpected token in the query');
    const fields = (match[1] as string).split(',').map((field) => field.trim());
    const seen = new Set<string>();
    for (const field of fields) {
      if (seen.has(field.toLowerCase()))
        throw new SandboxError(400, 'MALFORMED_QUERY', `duplicate field selected: ${field}`);
      seen.add(field.toLowerCase());
    }
    const object = match[2] as string;
    let items = store.all(object);
    const where = match[3]?.trim();
    if (where) {
      const since = /^SystemModstamp\s*(>=|>)\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/i.exec(where);
      const inList = /^(\w+)\s+IN\s*\((.*)\)$/i.exec(where);
      if (since) {
        const at = Date.parse(since[2] as string);
        items = items.filter((item) => (since[1] === '>' ? item.updatedAt > at : item.updatedAt >= at));
      } else if (inList) {
        const field = inList[1] as string;
        const values = new Set(parseList(inList[2] as string));
        items = items.filter((item) => {
          const value = field.toLowerCase() === 'id' ? item.id : item.fields[field];
          return typeof value === 'string' && values.has(value);
        });
      } else
        throw new SandboxError(
          400,
          'MALFORMED_QUERY',
          'this sandbox understands SystemModstamp > t and field IN (…) only',
        );
    }
    items.sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : 1));
    const option = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
    const size = option ? Math.min(2000, Math.max(200, Number(option[1]))) : 2000;
    res.json(answer(req, { object, fields, ids: items.map((item) => item.id), size }, 0));
  });

  router.get(`${base}/query/:locator`, count, (req, res) => {
    const locator = req.params.locator as string;
    const cursor = cursors.get(locator);
    if (!cursor) throw new SandboxError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursors.delete(locator);
    res.json(answer(req, cursor, Number(locator.split('-')[1])));
  });

  const fieldsOf = (body: unknown): Record<string, unknown> => {
    const fields = { ...((body && typeof body === 'object' ? body : {}) as Record<string, unknown>) };
    delete fields.attributes;
    delete fields.id;
    delete fields.Id;
    return fields;
  };

  router.get(`${base}/sobjects/:object/:id`, count, (req, res) => {
    const item = store.get(req.params.object as string, req.params.id as string);
    if (!item) throw new SandboxError(404, 'NOT_FOUND', 'The requested resource does not exist');
    res.json(row(req, item, null));
  });
  router.post(`${base}/sobjects/:object`, count, (req, res) => {
    const item = store.create(req.params.object as string, fieldsOf(req.body));
    res.status(201).json({ id: item.id, success: true, errors: [] });
  });
  router.patch(`${base}/sobjects/:object/:id`, count, (req, res) => {
    store.update(req.params.object as string, req.params.id as string, fieldsOf(req.body));
    res.status(204).end();
  });
  router.delete(`${base}/sobjects/:object/:id`, count, (req, res) => {
    const object = req.params.object as string;
    const id = req.params.id as string;
    if (!store.get(object, id)) throw new SandboxError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    store.delete(object, id);
    res.status(204).end();
  });

  type Result = {
    id: string | null;
    success: boolean;
    errors: { statusCode: string; message: string; fields: string[] }[];
  };
  const attempt = (id: string | null, work: () => SandboxItem): Result => {
    try {
      return { id: work().id, success: true, errors: [] };
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      const statusCode =
        error.code === 'validation_failed'
          ? 'FIELD_CUSTOM_VALIDATION_EXCEPTION'
          : error.code === 'not_found'
            ? 'ENTITY_IS_DELETED'
            : error.code;
      return { id, success: false, errors: [{ statusCode, message: error.message, fields: [] }] };
    }
  };
  const records = (req: Request): Record<string, unknown>[] => {
    const list = (req.body as { records?: unknown } | undefined)?.records;
    if (!Array.isArray(list)) throw new SandboxError(400, 'INVALID_FIELD', 'records is required');
    if (list.length > MAX_COLLECTION)
      throw new SandboxError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
      );
    return list as Record<string, unknown>[];
  };
  const typeOf = (record: Record<string, unknown>) => {
    const type = (record.attributes as { type?: unknown } | undefined)?.type;
    if (typeof type !== 'string') throw new SandboxError(400, 'INVALID_TYPE', 'attributes.type is required');
    return type;
  };

  router.post(`${base}/composite/sobjects`, count, (req, res) => {
    res.json(records(req).map((record) => attempt(null, () => store.create(typeOf(record), fieldsOf(record)))));
  });
  router.patch(`${base}/composite/sobjects`, count, (req, res) => {
    res.json(
      records(req).map((record) => {
        const id = typeof record.id === 'string' ? record.id : null;
        return attempt(id, () => store.update(typeOf(record), id ?? '', fieldsOf(record)));
      }),
    );
  });
  router.delete(`${base}/composite/sobjects`, count, (req, res) => {
    const ids = (typeof req.query.ids === 'string' ? req.query.ids : '').split(',').filter(Boolean);
    if (ids.length > MAX_COLLECTION) throw new SandboxError(400, 'EXCEEDED_ID_LIMIT', 'too many ids');
    res.json(
      ids.map((id) =>
        attempt(id, () => {
          const found = store.find(id);
          if (!found) throw new SandboxError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
          return store.delete(found.object, id);
        }),
      ),
    );
  });
  return router;
}
