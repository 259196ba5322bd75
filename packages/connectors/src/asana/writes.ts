// upsertBatch / deleteBatch for Asana: one task per request (POST, PUT, DELETE /tasks), in order.
//
// Asana has no bulk write (its batch API bills every action as a request; see limits.ts), so the
// engine hands us one item per call. A value Asana would refuse fails its item alone, before or
// after sending; a failure of the request itself (network, 5xx, 429, auth) is thrown while nothing
// in the call succeeded, so the engine retries it honouring Retry-After, and reported per item once
// something did, so no success is lost.
//
// Identity: every task we create carries our key (resource.keyField: `external`, Asana's
// app-specific external gid, or a text custom field). A create refused because the external gid is
// taken is our own earlier create whose response was lost: that task is adopted and updated, so
// the result is the same as a successful create.
import {
  ConnectorRequestError,
  type ConnectorError,
  type DeleteItem,
  type ItemResult,
  type ResourceRef,
  type UpsertItem,
} from '../contract.ts';
import type { AsanaApiClient, AsanaCustomFieldDefinition, AsanaTask } from './client.ts';
import { classifyAsanaError } from './errors.ts';
import { AsanaFieldError, toAsanaTaskData, writesCustomFields } from './mappers.ts';

/** Where our internal id lives on a task. */
export type AsanaKey = { kind: 'external'; prefix: string } | { kind: 'custom'; field: string } | null;

export interface AsanaWriteDeps {
  client: AsanaApiClient;
  projectOf: (resource: ResourceRef) => string;
  keyOf: (resource: ResourceRef) => AsanaKey;
  /** The value stored in the key for an internal id. */
  keyValue: (resource: ResourceRef, internalId: string) => string;
  definitions: (project: string, refresh?: boolean) => Promise<AsanaCustomFieldDefinition[]>;
}

const RESULT_FIELDS = ['modified_at', 'projects'];

const failed = (internalId: string, error: ConnectorError): ItemResult => ({ internalId, ok: false, error });
const succeeded = (internalId: string, task: AsanaTask): ItemResult => ({
  internalId,
  ok: true,
  externalId: task.gid,
  updatedAt: task.modified_at ?? null,
});

export function createAsanaWrites(deps: AsanaWriteDeps) {
  const { client } = deps;

  /** The task data for these fields; custom field names and options resolved (once more after a miss). */
  async function dataFor(project: string, fields: UpsertItem['fields'], extraCustom?: [string, string]) {
    const needsDefinitions = writesCustomFields(fields) || extraCustom !== undefined;
    const build = async (refresh: boolean) => {
      const definitions = needsDefinitions ? await deps.definitions(project, refresh) : null;
      const data = toAsanaTaskData(fields, definitions);
      if (extraCustom && definitions) {
        const [name, value] = extraCustom;
        const field = definitions.find((candidate) => candidate.name === name || candidate.gid === name);
        if (!field) throw new AsanaFieldError(`key custom field "${name}" is not on this project`);
        data.custom_fields = { ...(data.custom_fields as object | undefined), [field.gid]: value };
      }
      return data;
    };
    try {
      return await build(false);
    } catch (error) {
      // A field or option added in Asana since the definitions were read: read them again, once.
      if (error instanceof AsanaFieldError && needsDefinitions) return build(true);
      throw error;
    }
  }

  async function create(resource: ResourceRef, item: UpsertItem): Promise<ItemResult> {
    const project = deps.projectOf(resource);
    const key = deps.keyOf(resource);
    const keyValue = deps.keyValue(resource, item.internalId);
    const data = await dataFor(project, item.fields, key?.kind === 'custom' ? [key.field, keyValue] : undefined);
    try {
      const task = await client.createTask(
        { ...data, projects: [project], ...(key?.kind === 'external' ? { external: { gid: keyValue } } : {}) },
        RESULT_FIELDS,
      );
      return succeeded(item.internalId, task);
    } catch (error) {
      const failure = classifyAsanaError(error);
      if (key?.kind !== 'external' || failure.kind !== 'invalid' || !/external\.gid/.test(failure.message)) throw error;
      const existing = await client.getTask(`external:${keyValue}`, RESULT_FIELDS);
      if (!existing || !(existing.projects ?? []).some((p) => p.gid === project)) throw error;
      return succeeded(item.internalId, await client.updateTask(existing.gid, data, RESULT_FIELDS));
    }
  }

  async function update(resource: ResourceRef, item: UpsertItem & { externalId: string }): Promise<ItemResult> {
    const data = await dataFor(deps.projectOf(resource), item.fields);
    return succeeded(item.internalId, await client.updateTask(item.externalId, data, RESULT_FIELDS));
  }

  /** Runs items in order; see the header for which failures are thrown and which are per item. */
  async function inOrder<T extends { internalId: string }>(
    items: T[],
    run: (item: T) => Promise<ItemResult>,
  ): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    for (const [index, item] of items.entries()) {
      try {
        results.push(await run(item));
      } catch (error) {
        if (error instanceof AsanaFieldError) {
          results.push(failed(item.internalId, { kind: 'invalid', message: error.message }));
          continue;
        }
        const failure = classifyAsanaError(error);
        if (failure.kind === 'invalid') {
          results.push(failed(item.internalId, failure));
          continue;
        }
        if (!results.some((result) => result.ok)) {
          throw error instanceof ConnectorRequestError ? error : new ConnectorRequestError(failure, { cause: error });
        }
        results.push(...items.slice(index).map((rest) => failed(rest.internalId, failure)));
        break;
      }
    }
    return results;
  }

  async function upsertBatch(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    return inOrder(items, (item) =>
      item.externalId === null ? create(resource, item) : update(resource, { ...item, externalId: item.externalId }),
    );
  }

  async function deleteBatch(resource: ResourceRef, items: DeleteItem[]): Promise<ItemResult[]> {
    return inOrder(items, async (item) => {
      try {
        await client.deleteTask(item.externalId);
      } catch (error) {
        // Already gone (deleted in Asana, or a retried delete): as deleted as it gets.
        if (classifyAsanaError(error).status !== 404) throw error;
      }
      return { internalId: item.internalId, ok: true, externalId: item.externalId };
    });
  }

  return { upsertBatch, deleteBatch };
}
