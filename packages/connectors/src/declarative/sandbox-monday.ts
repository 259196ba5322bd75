// monday.com's GraphQL endpoint, as far as the declarative definition uses it: the operation is
// recognised by its root field (items_page, next_items_page, create_item,
// change_multiple_column_values, delete_item, me) and served from the store with the variables
// given. Errors come back as a 200 with errors[] (monday.com's GraphQL behaviour).
import { Router, type Request } from 'express';
import type { SandboxContext } from './sandbox.ts';
import { renderItem } from './sandbox-profile.ts';
import { SandboxError, type SandboxItem } from './sandbox-store.ts';

const MAX_LIMIT = 500;

function columnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of ['label', 'text', 'date', 'email', 'url'])
      if (typeof record[name] === 'string') return record[name] as string;
  }
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

function parseColumns(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SandboxError(200, 'InvalidArgumentException', 'column_values is not valid JSON');
    }
  }
  if (!parsed || typeof parsed !== 'object')
    throw new SandboxError(200, 'InvalidArgumentException', 'column_values must be an object');
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([id, value]) => [id, columnText(value)]),
  );
}

export function mondayRoutes(context: SandboxContext): Router {
  const { profile, store, count } = context;
  const router = Router();
  const render = (req: Request, item: SandboxItem) => renderItem(profile, item, context.baseUrlOf(req));

  router.post(profile.basePath || '/', count, (req, res) => {
    const body = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    const vars = body.variables ?? {};
    const query = typeof body.query === 'string' ? body.query : '';
    const ok = (data: unknown) => res.json({ data, account_id: 1 });
    try {
      if (!query) throw new SandboxError(200, 'ParseError', 'No query string was present');
      if (/\bnext_items_page\b/.test(query) || /\bitems_page\b/.test(query)) {
        const next = /\bnext_items_page\b/.test(query);
        const limit = Number(vars.limit ?? 25);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
          throw new SandboxError(200, 'InvalidArgumentException', `limit must be between 1 and ${MAX_LIMIT}`);
        let board: string;
        let after = 0;
        if (next) {
          const cursor = typeof vars.cursor === 'string' ? vars.cursor : '';
          try {
            const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
              board: string;
              after: number;
            };
            board = decoded.board;
            after = decoded.after;
          } catch {
            throw new SandboxError(200, 'CursorException', 'CursorException: cursor is not valid');
          }
        } else {
          const ids = Array.isArray(vars.board) ? vars.board : [vars.board];
          board = String(ids[0] ?? '');
        }
        const remaining = store.all(board).filter((item) => item.seq > after);
        const page = remaining.slice(0, limit);
        const last = page.at(-1);
        const cursor =
          remaining.length > limit && last
            ? Buffer.from(JSON.stringify({ board, after: last.seq })).toString('base64url')
            : null;
        const items_page = { cursor, items: page.map((item) => render(req, item)) };
        return void ok(next ? { next_items_page: items_page } : { boards: [{ items_page }] });
      }
      if (/\bcreate_item\b/.test(query)) {
        const board = String(vars.board ?? '');
        if (typeof vars.name !== 'string' || !vars.name)
          throw new SandboxError(200, 'InvalidArgumentException', 'item_name is required');
        const item = store.create(board, { name: vars.name, column_values: parseColumns(vars.values) });
        return void ok({ create_item: render(req, item) });
      }
      if (/\bchange_multiple_column_values\b/.test(query)) {
        const board = String(vars.board ?? '');
        const current = store.get(board, String(vars.item ?? ''));
        if (!current) throw new SandboxError(200, 'ResourceNotFoundException', 'Item not found in board');
        const { name, ...columns } = parseColumns(vars.values);
        const fields: Record<string, unknown> = {
          column_values: { ...(current.fields.column_values as Record<string, string>), ...columns },
        };
        if (name !== undefined) fields.name = name;
        return void ok({ change_multiple_column_values: render(req, store.update(board, current.id, fields)) });
      }
      if (/\bdelete_item\b/.test(query)) {
        const current = store.find(String(vars.item ?? ''));
        if (!current) throw new SandboxError(200, 'ResourceNotFoundException', 'Item not found');
        store.delete(current.object, current.id);
        return void ok({ delete_item: { id: current.id } });
      }
      if (/\bme\b/.test(query)) return void ok({ me: { id: '1' } });
      throw new SandboxError(200, 'ParseError', 'This sandbox does not serve that query');
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      const code = error.code === 'validation_failed' ? 'ColumnValueException' : error.code;
      res.json({ errors: [{ message: error.message, extensions: { code } }], account_id: 1 });
    }
  });
  return router;
}
