// Reading with a declarative definition: one page iterator for every pagination style (page
// numbers, offsets, cursors from the body or the last record, Link headers, next URLs in the body),
// used by listChanges (with the updated-since high-water mark in an opaque cursor) and by lookups.
//
// Cursor: JSON { v, since, sinceRaw, page, high, highRaw }.
//   since/sinceRaw: high-water updated-at of everything already delivered (null: full read)
//   page:           the pagination position inside the current read (null: start a new read)
//   high/highRaw:   largest updated-at seen so far in the current read (becomes since at its end)
// The engine stores the cursor after committing each page, so a resumed read repeats the same query
// from the same position; repeats are skipped by hash, nothing is lost.
import { ConnectorRequestError, type ChangePage, type ExternalRecord, type ResourceRef } from '../contract.ts';
import { getPath } from '../mapping/paths.ts';
import type { DeclarativeDefinition } from './definition.ts';
import type { ApiResponse, DeclarativeClient } from './http.ts';
import { parseRecord, type ParsedRecord } from './records.ts';
import { interpolate, lookup, renderBody, renderParams, type TemplateContext } from './template.ts';
import { formatTime } from './time.ts';

export type PageToken = string | number | null;

interface CursorState {
  since: number | null;
  sinceRaw: string | null;
  page: PageToken;
  high: number | null;
  highRaw: string | null;
}

const START: CursorState = { since: null, sinceRaw: null, page: null, high: null, highRaw: null };

export function encodeCursor(state: CursorState): string {
  return JSON.stringify({ v: 1, ...state });
}

export function decodeCursor(cursor: string): CursorState {
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    value = null;
  }
  const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  if (!record || record.v !== 1)
    throw new ConnectorRequestError({ kind: 'invalid', message: 'unrecognised cursor for a declarative connector' });
  const number = (name: string) => (typeof record[name] === 'number' ? (record[name] as number) : null);
  const text = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : null);
  const page = record.page;
  return {
    since: number('since'),
    sinceRaw: text('sinceRaw'),
    page: typeof page === 'string' || typeof page === 'number' ? page : null,
    high: number('high'),
    highRaw: text('highRaw'),
  };
}

export interface ReadContext {
  definition: DeclarativeDefinition;
  client: DeclarativeClient;
  settings: Record<string, unknown>;
}

export interface PageRequestOverride {
  path?: string;
  /** Replaces the list's query parameters (lookups). */
  query?: Record<string, string>;
  vars?: TemplateContext;
}

interface RawPage {
  items: unknown[];
  next: PageToken;
}

export function baseContext(read: ReadContext, resource: ResourceRef): TemplateContext {
  return {
    object: resource.object,
    keyField: resource.keyField ?? undefined,
    settings: read.settings,
    options: resource.options ?? {},
  };
}

/** Pages of raw records for one query, from `start` (a stored page token) to the end. */
export async function* iteratePages(
  read: ReadContext,
  resource: ResourceRef,
  options: {
    since?: { ms: number | null; raw: string | null };
    start?: PageToken;
    override?: PageRequestOverride;
    signal?: AbortSignal;
  },
): AsyncGenerator<RawPage> {
  const { definition, client } = read;
  const list = definition.list;
  const pagination = list.pagination;
  const limit = list.pageSize.value;
  let token: PageToken = options.start ?? null;
  for (;;) {
    const context: TemplateContext = { ...baseContext(read, resource), limit, ...options.override?.vars };
    const since = options.since;
    const updated = list.updatedSince;
    if (since && since.ms !== null && updated && updated.mode === 'query') {
      context.since =
        updated.format === 'raw' && since.raw !== null
          ? since.raw
          : formatTime(since.ms - updated.overlapMs, updated.format === 'raw' ? 'iso' : updated.format);
      if (updated.clause) context.sinceClause = interpolate(updated.clause, context);
    }
    const isUrl = (pagination.style === 'link-header' || pagination.style === 'next-url') && typeof token === 'string';
    const isNext = token !== null;
    if (pagination.style === 'page') context.page = token ?? pagination.firstPage;
    if (pagination.style === 'offset') context.offset = token ?? 0;
    if (pagination.style === 'cursor') context.cursor = token ?? undefined;
    let response: ApiResponse;
    if (isUrl) {
      response = await client.send({
        op: 'list',
        method: 'GET',
        url: String(token),
        headers: renderParams(list.headers, context),
        signal: options.signal,
      });
    } else {
      const query = options.override?.query
        ? renderParams(options.override.query, context)
        : renderParams(list.query, context);
      if (!options.override?.query) {
        if (list.pageSize.param) query[list.pageSize.param] = String(limit);
        if (since && since.ms !== null && updated?.mode === 'query' && updated.param)
          query[updated.param] = String(context.since);
      }
      if ((pagination.style === 'page' || pagination.style === 'offset') && pagination.param)
        query[pagination.param] = String(pagination.style === 'page' ? context.page : context.offset);
      if (pagination.style === 'cursor' && pagination.param && token !== null) query[pagination.param] = String(token);
      const bodyTemplate =
        pagination.style === 'cursor' && isNext && pagination.next?.body !== undefined
          ? pagination.next.body
          : list.body;
      response = await client.send({
        op: 'list',
        method: list.method,
        url: interpolate(options.override?.path ?? list.path, context, encodeURIComponent),
        query,
        headers: renderParams(list.headers, context),
        body: bodyTemplate === undefined ? undefined : renderBody(bodyTemplate, context),
        signal: options.signal,
      });
    }
    const recordsPath = interpolate(
      pagination.style === 'cursor' && isNext && pagination.next?.recordsPath
        ? pagination.next.recordsPath
        : list.recordsPath,
      context,
    );
    const found = recordsPath ? lookup({ body: response.body }, `body.${recordsPath}`) : response.body;
    if (!Array.isArray(found)) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        status: response.status,
        message: `list: expected an array of records at "${recordsPath || '(body)'}"`,
      });
    }
    const next = nextToken(definition, response, found, token, isNext, limit);
    if (next !== null && next === token)
      throw new ConnectorRequestError({ kind: 'invalid', message: 'list: pagination did not advance' });
    yield { items: found, next };
    if (next === null) return;
    token = next;
  }
}

function nextToken(
  definition: DeclarativeDefinition,
  response: ApiResponse,
  items: unknown[],
  token: PageToken,
  isNext: boolean,
  limit: number,
): PageToken {
  const pagination = definition.list.pagination;
  const at = (path: string | undefined) => (path ? lookup({ body: response.body }, `body.${path}`) : undefined);
  const endByFlags = (p: { lastPagePath?: string; hasMorePath?: string; totalPagesPath?: string }, current: number) => {
    if (p.lastPagePath) return Boolean(at(p.lastPagePath));
    if (p.hasMorePath) return !at(p.hasMorePath);
    if (p.totalPagesPath) return current >= Number(at(p.totalPagesPath));
    return items.length < limit;
  };
  switch (pagination.style) {
    case 'none':
      return null;
    case 'page': {
      const current = typeof token === 'number' ? token : pagination.firstPage;
      // totalPages counts from 1 whatever the first page number is.
      const ordinal = current - pagination.firstPage + 1;
      return items.length === 0 || endByFlags(pagination, ordinal) ? null : current + 1;
    }
    case 'offset': {
      const current = typeof token === 'number' ? token : 0;
      if (items.length === 0) return null;
      return endByFlags(pagination, 0) ? null : current + items.length;
    }
    case 'cursor': {
      if (items.length === 0) return null;
      if (pagination.hasMorePath && !at(pagination.hasMorePath)) return null;
      let value: unknown;
      if (pagination.cursorFromRecord) {
        if (items.length < limit) return null;
        value = getPath(items.at(-1), pagination.cursorFromRecord);
      } else {
        value = at(isNext && pagination.next?.cursorPath ? pagination.next.cursorPath : pagination.cursorPath);
      }
      return typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : null;
    }
    case 'link-header':
      return linkTarget(response.headers.get('link'), pagination.rel);
    case 'next-url': {
      if (pagination.donePath && at(pagination.donePath)) return null;
      const url = at(pagination.path);
      return typeof url === 'string' && url.length > 0 ? url : null;
    }
  }
}

/** RFC 8288: `<https://…?page=2>; rel="next", <…>; rel="last"`. */
export function linkTarget(header: string | null, rel: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>((?:\s*;\s*[^;]+)*)/.exec(part.trim());
    if (!match) continue;
    const rels = /;\s*rel="?([^";]+)"?/i.exec(match[2] ?? '')?.[1]?.split(/\s+/) ?? [];
    if (rels.includes(rel)) return match[1] ?? null;
  }
  return null;
}

/** listChanges for the contract: incremental by the definition's updatedSince, resumable per page. */
export async function* listChanges(
  read: ReadContext,
  resource: ResourceRef,
  cursor: string | null,
  options: { full?: boolean; signal?: AbortSignal } = {},
): AsyncGenerator<ChangePage> {
  const { definition } = read;
  const updated = definition.list.updatedSince;
  let state = cursor && !options.full ? decodeCursor(cursor) : START;
  const fromScratch = state.since === null && state.page === null;
  const sinceMs = state.since;
  const pages = iteratePages(read, resource, {
    since: { ms: state.since, raw: state.sinceRaw },
    start: state.page,
    signal: options.signal,
  });
  for await (const page of pages) {
    const records: ExternalRecord[] = [];
    const deletedIds: string[] = [];
    let { high, highRaw } = state;
    for (const item of page.items) {
      const parsed = parseRecord(definition, item, resource.keyField);
      if (!parsed) continue;
      if (parsed.updatedMs !== null && (high === null || parsed.updatedMs >= high)) {
        if (high === null || parsed.updatedMs > high || (parsed.updatedRaw ?? '') > (highRaw ?? ''))
          highRaw = parsed.updatedRaw;
        high = parsed.updatedMs;
      }
      if (!isWanted(parsed, sinceMs, updated?.mode === 'client' ? updated.overlapMs : null)) continue;
      if (parsed.deleted) deletedIds.push(parsed.id);
      else records.push(parsed.record);
    }
    const done = page.next === null;
    state = done
      ? {
          since: high ?? state.since,
          sinceRaw: high !== null ? highRaw : state.sinceRaw,
          page: null,
          high: null,
          highRaw: null,
        }
      : { ...state, page: page.next, high, highRaw };
    const result: ChangePage = { records, deletedIds, nextCursor: encodeCursor(state) };
    if (done && fromScratch) result.fullReadComplete = true;
    yield result;
  }
}

/** Client-side filtering (APIs without an updated-since filter): only what changed after since. */
function isWanted(parsed: ParsedRecord, sinceMs: number | null, clientOverlapMs: number | null): boolean {
  if (clientOverlapMs === null || sinceMs === null || parsed.updatedMs === null) return true;
  return parsed.updatedMs > sinceMs - clientOverlapMs;
}
