// Asana connector on the official `asana` SDK (see ./client.ts). A resource's `object` is a project
// gid; its records are the project's tasks, with fields as described in ./mappers.ts. Point
// `basePath` at the sandbox (`server.url + '/api/1.0'`) in tests, benchmarks and the demo.
//
// Reads: the first pull (or `full`) lists every task of the project, later pulls ask for
// `modified_since` the previous read's start minus a safety margin. Lists never show deleted tasks:
// deletions arrive by webhook, or are inferred from a full read.
// Keys (`resource.keyField`): 'external' (default for presets) stores `<prefix>:<project>:<our id>`
// in the task's app-specific external gid, which Asana only lets OAuth apps read and write; with a
// personal access token use a text custom field instead: 'custom_fields.<field name>'.
import {
  ConnectorRequestError,
  type ChangePage,
  type Connector,
  type ExternalRecord,
  type ListChangesOptions,
  type ResourceRef,
} from '../contract.ts';
import { AsanaApiClient, type AsanaCustomFieldDefinition, type AsanaTask, type AsanaWebhook } from './client.ts';
import { decodeAsanaCursor, encodeAsanaCursor, type AsanaCursor } from './cursor.ts';
import { classifyAsanaError } from './errors.ts';
import { ASANA_CURSOR_SAFETY_MARGIN_MS, ASANA_MAX_EXTERNAL_GID, ASANA_MAX_PAGE, asanaLimits } from './limits.ts';
import { ASANA_TASK_OPT_FIELDS, toExternalRecord, toFieldDescriptors } from './mappers.ts';
import { parseAsanaWebhook, verifyAsanaWebhook } from './webhooks.ts';
import { createAsanaWrites, type AsanaKey } from './writes.ts';
import { timedConnectionTest } from '../connection-test.ts';

export interface AsanaConnectorOptions {
  /** Personal access token or OAuth access token. */
  accessToken: string;
  /** API base including /api/1.0 (default https://app.asana.com/api/1.0). */
  basePath?: string;
  /** Limits reported to the engine (default 150 / 60 000 ms; 1 500 on paid domains). */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** How far before the last read's start an incremental read starts again (default 60 s). */
  cursorSafetyMarginMs?: number;
  /** First part of the external gids we write (default 'syncbridge'). */
  externalKeyPrefix?: string;
  /** Clock for cursors when the server sends no Date header. */
  now?: () => number;
}

export interface AsanaConnector extends Connector {
  /** POST /webhooks on a project (or task): resolves once Asana finished the handshake with `target`. */
  registerWebhook(input: {
    resource: string;
    target: string;
    filters?: AsanaWebhook['filters'];
  }): Promise<AsanaWebhook>;
  deleteWebhook(gid: string): Promise<void>;
}

/** At most this many keys are looked up one request each; more read the project's task list. */
const KEY_LOOKUPS_ONE_BY_ONE = 10;

export function createAsanaConnector(options: AsanaConnectorOptions): AsanaConnector {
  const client = new AsanaApiClient({
    accessToken: options.accessToken,
    basePath: options.basePath,
    timeoutMs: options.timeoutMs,
  });
  const now = options.now ?? Date.now;
  const margin = options.cursorSafetyMarginMs ?? ASANA_CURSOR_SAFETY_MARGIN_MS;
  const prefix = options.externalKeyPrefix ?? 'syncbridge';
  const definitionCache = new Map<string, Promise<AsanaCustomFieldDefinition[]>>();

  const projectOf = (resource: ResourceRef): string => {
    const project = resource.object.trim();
    if (!/^\d{1,30}$/.test(project)) {
      throw new ConnectorRequestError({ kind: 'invalid', message: `'${resource.object}' is not an Asana project gid` });
    }
    return project;
  };

  const keyOf = (resource: ResourceRef): AsanaKey => {
    const keyField = resource.keyField?.trim();
    if (!keyField) return null;
    if (keyField === 'external' || keyField === 'external.gid') return { kind: 'external', prefix };
    if (keyField.startsWith('custom_fields.') && keyField.length > 'custom_fields.'.length) {
      return { kind: 'custom', field: keyField.slice('custom_fields.'.length) };
    }
    throw new ConnectorRequestError({
      kind: 'invalid',
      message: `Asana keeps our key in 'external' or a text custom field ('custom_fields.<name>'), not '${keyField}'`,
    });
  };

  const keyValue = (resource: ResourceRef, internalId: string): string => {
    const key = keyOf(resource);
    if (key?.kind !== 'external') return internalId;
    const value = `${key.prefix}:${projectOf(resource)}:${internalId}`;
    if (value.length > ASANA_MAX_EXTERNAL_GID) {
      throw new ConnectorRequestError({ kind: 'invalid', message: 'internal id too long for an Asana external gid' });
    }
    return value;
  };

  /** The key value a task carries, if any. */
  const keyOnTask = (key: NonNullable<AsanaKey>, record: ExternalRecord): string | null => {
    if (key.kind === 'external') {
      const external = record.fields.external as { gid?: unknown } | null | undefined;
      return typeof external?.gid === 'string' ? external.gid : null;
    }
    const custom = record.fields.custom_fields as Record<string, unknown> | undefined;
    const value = custom?.[key.field];
    return typeof value === 'string' && value !== '' ? value : null;
  };

  /** The project's custom fields, read once per connector (again when `refresh`). */
  function definitions(project: string, refresh = false): Promise<AsanaCustomFieldDefinition[]> {
    let cached = refresh ? undefined : definitionCache.get(project);
    if (!cached) {
      cached = client.customFields(project);
      cached.catch(() => definitionCache.delete(project));
      definitionCache.set(project, cached);
    }
    return cached;
  }

  const writes = createAsanaWrites({ client, projectOf, keyOf, keyValue, definitions });
  const inProject = (task: AsanaTask, project: string) => (task.projects ?? []).some((p) => p.gid === project);

  /**
   * Pages of one list query. A stored offset that Asana no longer accepts (tokens expire) restarts
   * the query from its first page once; `restarted` tells the caller the read is no longer a resume.
   */
  async function* pages(
    query: { project: string; modifiedSince?: string },
    offset: string | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<{ tasks: AsanaTask[]; next: string | null; serverTime: number | null; restarted: boolean }> {
    let restarted = false;
    let current = offset;
    for (;;) {
      let page;
      try {
        page = await client.listTasks(
          { ...query, limit: ASANA_MAX_PAGE, offset: current, optFields: ASANA_TASK_OPT_FIELDS },
          signal,
        );
      } catch (error) {
        const failure = classifyAsanaError(error);
        if (current && !restarted && failure.status === 400 && /offset/i.test(failure.message)) {
          restarted = true;
          current = undefined;
          continue;
        }
        throw error;
      }
      const next = page.next_page?.offset ?? null;
      yield { tasks: page.data, next, serverTime: page.serverTime, restarted };
      if (!next) return;
      current = next;
    }
  }

  async function* fullRead(
    project: string,
    resume: Extract<AsanaCursor, { mode: 'full' }> | null,
    signal?: AbortSignal,
  ): AsyncGenerator<ChangePage> {
    let started = resume?.started ?? null;
    let resumed = resume !== null;
    for await (const page of pages({ project }, resume?.offset, signal)) {
      if (page.restarted) resumed = false;
      // The read starts when the server answered its first page (its Date header).
      started ??= page.serverTime ?? now();
      const records = page.tasks.map(toExternalRecord);
      if (page.next) {
        yield {
          records,
          deletedIds: [],
          nextCursor: encodeAsanaCursor({ v: 1, mode: 'full', offset: page.next, started }),
        };
        continue;
      }
      const done: ChangePage = {
        records,
        deletedIds: [],
        nextCursor: encodeAsanaCursor({ v: 1, mode: 'changes', since: started }),
      };
      // A resumed read did not see every task itself, so it cannot tell deletions.
      if (!resumed) done.fullReadComplete = true;
      yield done;
    }
  }

  async function* changesRead(
    project: string,
    cursor: Extract<AsanaCursor, { mode: 'changes' }>,
    signal?: AbortSignal,
  ): AsyncGenerator<ChangePage> {
    const modifiedSince = new Date(cursor.since - margin).toISOString();
    let started = cursor.offset ? (cursor.started ?? null) : null;
    for await (const page of pages({ project, modifiedSince }, cursor.offset, signal)) {
      if (page.restarted) started = null;
      started ??= page.serverTime ?? now();
      const records = page.tasks.map(toExternalRecord);
      const nextCursor: AsanaCursor = page.next
        ? { v: 1, mode: 'changes', since: cursor.since, offset: page.next, started }
        : { v: 1, mode: 'changes', since: started };
      yield { records, deletedIds: [], nextCursor: encodeAsanaCursor(nextCursor) };
    }
  }

  async function* listChanges(
    resource: ResourceRef,
    cursor: string | null,
    listOptions: ListChangesOptions = {},
  ): AsyncGenerator<ChangePage> {
    const project = projectOf(resource);
    const decoded = cursor && !listOptions.full ? decodeAsanaCursor(cursor) : null;
    if (!decoded || decoded.mode === 'full') yield* fullRead(project, decoded, listOptions.signal);
    else yield* changesRead(project, decoded, listOptions.signal);
  }

  /** GET /tasks/{gid} for each id; tasks deleted, unknown or no longer in the project are absent. */
  async function getRecords(resource: ResourceRef, externalIds: string[]): Promise<ExternalRecord[]> {
    const project = projectOf(resource);
    const records: ExternalRecord[] = [];
    for (const id of new Set(externalIds)) {
      const task = await client.getTask(id, ASANA_TASK_OPT_FIELDS);
      if (task && inProject(task, project)) records.push(toExternalRecord(task));
    }
    return records;
  }

  async function findByKeys(resource: ResourceRef, internalIds: string[]): Promise<Map<string, string>> {
    const project = projectOf(resource);
    const key = keyOf(resource);
    if (!key) {
      throw new ConnectorRequestError({ kind: 'invalid', message: 'findByKeys needs resource.keyField (external)' });
    }
    const wanted = new Map([...new Set(internalIds)].map((id) => [keyValue(resource, id), id]));
    const found = new Map<string, string>();
    if (key.kind === 'external' && wanted.size <= KEY_LOOKUPS_ONE_BY_ONE) {
      for (const [value, internalId] of wanted) {
        const task = await client.getTask(`external:${value}`, ['projects']);
        if (task && inProject(task, project)) found.set(internalId, task.gid);
      }
      return found;
    }
    for await (const page of pages({ project }, undefined)) {
      for (const task of page.tasks) {
        const value = keyOnTask(key, toExternalRecord(task));
        const internalId = value === null ? undefined : wanted.get(value);
        if (internalId !== undefined && !found.has(internalId)) found.set(internalId, task.gid);
      }
      if (found.size === wanted.size) break;
    }
    return found;
  }

  return {
    type: 'ASANA',
    limits: asanaLimits(options),

    testConnection: () =>
      timedConnectionTest(async () => {
        await client.me();
        return { ok: true, apiVersion: '1.0' };
      }, classifyAsanaError),

    listChanges,
    getRecords,
    findByKeys,
    upsertBatch: writes.upsertBatch,
    deleteBatch: writes.deleteBatch,

    async discoverFields(resource) {
      return toFieldDescriptors(await definitions(projectOf(resource), true));
    },

    verifyWebhook: verifyAsanaWebhook,
    parseWebhook: parseAsanaWebhook,
    classifyError: classifyAsanaError,

    registerWebhook: (input) => client.createWebhook(input),
    deleteWebhook: (gid) => client.deleteWebhook(gid),
  };
}

export { classifyAsanaError } from './errors.ts';
export { asanaLimits, ASANA_REQUESTS_PER_WINDOW, ASANA_PAID_REQUESTS_PER_WINDOW, ASANA_WINDOW_MS } from './limits.ts';
export { ASANA_WEBHOOK_HEADERS, parseAsanaWebhook, signAsanaWebhook, verifyAsanaWebhook } from './webhooks.ts';
export type { AsanaWebhookEvent } from './webhooks.ts';
