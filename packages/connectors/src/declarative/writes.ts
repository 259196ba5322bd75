// Writing with a declarative definition: creates, updates and deletes through the batch endpoints
// when the definition has them, else one request per record. One bad record fails alone (a 4xx on
// its own request, or its entry in a batch answer). A failure of the whole request before anything
// succeeded is thrown (the engine retries the batch as a unit); once something succeeded, the items
// not yet sent fail with that error instead, so successes are never lost.
import {
  ConnectorRequestError,
  type ConnectorError,
  type DeleteItem,
  type ItemResult,
  type ResourceRef,
  type UpsertItem,
} from '../contract.ts';
import { classifyNetworkError } from '../http.ts';
import type { DeclarativeDefinition } from './definition.ts';
import { baseContext, type ReadContext } from './list.ts';
import { idText, parseRecord, prepareWrite, type PreparedWrite } from './records.ts';
import { interpolate, lookup, renderBody, renderParams, type TemplateContext } from './template.ts';
import { chunk } from '../bulk.ts';

type BatchWrite = NonNullable<NonNullable<DeclarativeDefinition['batch']>['upsert']>;
type BatchDelete = NonNullable<NonNullable<DeclarativeDefinition['batch']>['delete']>;
type ItemResultSpec = BatchWrite['result'];

export function classifyDeclarativeError(error: unknown): ConnectorError {
  return error instanceof ConnectorRequestError ? error.toJSON() : classifyNetworkError(error);
}

/** Runs units of work in order with the "throw only before the first success" rule. */
class Outcomes {
  readonly results: (ItemResult | undefined)[];
  private succeeded = 0;
  private stopped: ConnectorError | null = null;

  constructor(size: number) {
    this.results = new Array<ItemResult | undefined>(size);
  }

  set(index: number, result: ItemResult): void {
    this.results[index] = result;
    if (result.ok) this.succeeded++;
  }

  /** Runs `work` for these indexes unless an earlier request already stopped the call. */
  async run(indexes: number[], internalIds: string[], work: () => Promise<void>): Promise<void> {
    if (this.stopped) {
      indexes.forEach((index, i) =>
        this.set(index, { internalId: internalIds[i] as string, ok: false, error: this.stopped! }),
      );
      return;
    }
    try {
      await work();
    } catch (error) {
      const failure = classifyDeclarativeError(error);
      if (failure.kind === 'invalid' && indexes.length === 1) {
        this.set(indexes[0] as number, { internalId: internalIds[0] as string, ok: false, error: failure });
        return;
      }
      if (this.succeeded === 0) throw error;
      this.stopped = failure;
      indexes.forEach((index, i) =>
        this.set(index, { internalId: internalIds[i] as string, ok: false, error: failure }),
      );
    }
  }

  done(): ItemResult[] {
    return this.results as ItemResult[];
  }
}

interface ItemOutcome {
  ok: boolean;
  id: string | null;
  updatedAt: string | null;
  error?: ConnectorError;
  existingId?: string;
}

function readItemResult(definition: DeclarativeDefinition, spec: ItemResultSpec, entry: unknown): ItemOutcome {
  const at = (path: string | undefined) => (path ? lookup({ entry }, `entry.${path}`) : undefined);
  const message = at(spec.errorMessagePath);
  const code = at(spec.errorCodePath);
  const ok = spec.okPath ? Boolean(at(spec.okPath)) : message === undefined && code === undefined;
  const id = idText(at(spec.idPath));
  const updated = at(spec.updatedAtPath);
  if (ok) return { ok: true, id, updatedAt: typeof updated === 'string' ? updated : null };
  const codeText = typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  const existing =
    spec.duplicateKey && codeText === spec.duplicateKey.code ? idText(at(spec.duplicateKey.existingIdPath)) : null;
  return {
    ok: false,
    id,
    updatedAt: null,
    existingId: existing ?? undefined,
    error: {
      kind: codeText && definition.errors.rateLimitCodes.includes(codeText) ? 'rate_limited' : 'invalid',
      code: codeText,
      status: 422,
      message: String(message ?? codeText ?? 'rejected'),
    },
  };
}

export function createWriter(read: ReadContext) {
  const { definition, client } = read;

  const writeContext = (resource: ResourceRef, extra: TemplateContext): TemplateContext => ({
    ...baseContext(read, resource),
    ...extra,
  });

  async function sendBatch(
    resource: ResourceRef,
    spec: BatchWrite,
    op: string,
    part: PreparedWrite[],
  ): Promise<ItemOutcome[]> {
    const items = part.map((write) =>
      renderBody(
        spec.item,
        writeContext(resource, { fields: write.fields, id: write.item.externalId ?? undefined, key: write.key }),
      ),
    );
    const context = writeContext(resource, { items });
    const response = await client.send({
      op,
      method: spec.method,
      url: interpolate(spec.path, context, encodeURIComponent),
      query: renderParams(spec.query, context),
      body: renderBody(spec.body, context),
    });
    return positional(op, spec, response.body, part.length);
  }

  function positional(
    op: string,
    spec: { resultsPath: string; result: ItemResultSpec },
    body: unknown,
    expected: number,
  ) {
    const results = spec.resultsPath ? lookup({ body }, `body.${spec.resultsPath}`) : body;
    if (!Array.isArray(results) || results.length !== expected) {
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `${op}: batch answered ${Array.isArray(results) ? results.length : 'no'} results for ${expected} items`,
      });
    }
    return results.map((entry) => readItemResult(definition, spec.result, entry));
  }

  async function sendOne(resource: ResourceRef, write: PreparedWrite): Promise<ItemOutcome> {
    const creating = write.item.externalId === null;
    const spec = creating ? definition.create : definition.update;
    if (!spec)
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `the definition cannot ${creating ? 'create' : 'update'}`,
      });
    const context = writeContext(resource, {
      fields: write.fields,
      id: write.item.externalId ?? undefined,
      key: write.key,
    });
    const response = await client.send({
      op: creating ? 'create' : 'update',
      method: spec.method,
      url: interpolate(spec.path, context, encodeURIComponent),
      query: renderParams(spec.query, context),
      body: renderBody(spec.body, context),
    });
    const record =
      spec.recordPath === undefined
        ? null
        : parseRecord(
            definition,
            spec.recordPath ? lookup({ body: response.body }, `body.${spec.recordPath}`) : response.body,
          );
    const id = spec.idPath
      ? idText(lookup({ body: response.body }, `body.${spec.idPath}`))
      : (record?.id ?? write.item.externalId);
    if (!id)
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `${creating ? 'create' : 'update'}: the answer carries no id`,
      });
    return { ok: true, id, updatedAt: record?.record.updatedAt ?? null };
  }

  async function upsert(resource: ResourceRef, items: UpsertItem[]): Promise<ItemResult[]> {
    const outcomes = new Outcomes(items.length);
    const prepared = items.map((item) => prepareWrite(definition, resource, item));
    const batch = definition.batch;
    const apply = (index: number, outcome: ItemOutcome) => {
      const item = items[index] as UpsertItem;
      outcomes.set(
        index,
        outcome.ok
          ? {
              internalId: item.internalId,
              ok: true,
              externalId: outcome.id ?? (item.externalId as string),
              updatedAt: outcome.updatedAt,
            }
          : { internalId: item.internalId, ok: false, error: outcome.error as ConnectorError },
      );
    };
    const groups: { indexes: number[]; spec: BatchWrite | undefined; op: string }[] = [];
    const all = items.map((_, index) => index);
    const creates = all.filter((index) => items[index]?.externalId === null);
    const updates = all.filter((index) => items[index]?.externalId !== null);
    if (batch?.upsert) groups.push({ indexes: all, spec: batch.upsert, op: 'batch upsert' });
    else {
      groups.push({ indexes: creates, spec: batch?.create, op: 'batch create' });
      groups.push({ indexes: updates, spec: batch?.update, op: 'batch update' });
    }
    const adopt: { index: number; existingId: string }[] = [];
    for (const group of groups) {
      if (group.indexes.length === 0) continue;
      if (group.spec) {
        const spec = group.spec;
        for (const part of chunk(group.indexes, spec.maxSize)) {
          await outcomes.run(
            part,
            part.map((index) => (items[index] as UpsertItem).internalId),
            async () => {
              const answers = await sendBatch(
                resource,
                spec,
                group.op,
                part.map((index) => prepared[index] as PreparedWrite),
              );
              answers.forEach((answer, i) => {
                const index = part[i] as number;
                if (!answer.ok && answer.existingId) adopt.push({ index, existingId: answer.existingId });
                else apply(index, answer);
              });
            },
          );
        }
      } else {
        for (const index of group.indexes) {
          await outcomes.run([index], [(items[index] as UpsertItem).internalId], async () =>
            apply(index, await sendOne(resource, prepared[index] as PreparedWrite)),
          );
        }
      }
    }
    // A duplicate key: our own earlier create (a lost response). Update that record instead.
    if (adopt.length > 0) {
      const retried = await upsert(
        resource,
        adopt.map(({ index, existingId }) => ({ ...(items[index] as UpsertItem), externalId: existingId })),
      ).catch((error: unknown) => {
        const failure = classifyDeclarativeError(error);
        return adopt.map(({ index }): ItemResult => ({
          internalId: (items[index] as UpsertItem).internalId,
          ok: false,
          error: failure,
        }));
      });
      adopt.forEach(({ index }, i) => outcomes.set(index, retried[i] as ItemResult));
    }
    return outcomes.done();
  }

  async function remove(resource: ResourceRef, items: DeleteItem[]): Promise<ItemResult[]> {
    const outcomes = new Outcomes(items.length);
    const spec: BatchDelete | undefined = definition.batch?.delete;
    const all = items.map((_, index) => index);
    const ok = (index: number): ItemResult => {
      const item = items[index] as DeleteItem;
      return { internalId: item.internalId, ok: true, externalId: item.externalId };
    };
    if (spec) {
      for (const part of chunk(all, spec.maxSize)) {
        await outcomes.run(
          part,
          part.map((index) => (items[index] as DeleteItem).internalId),
          async () => {
            const ids = part.map((index) => (items[index] as DeleteItem).externalId);
            const context = writeContext(resource, { ids });
            const response = await client.send({
              op: 'batch delete',
              method: spec.method,
              url: interpolate(spec.path, context, encodeURIComponent),
              query: renderParams(spec.query, context),
              body: spec.body === undefined ? undefined : renderBody(spec.body, context),
            });
            positional('batch delete', spec, response.body, part.length).forEach((answer, i) => {
              const index = part[i] as number;
              const gone =
                !answer.ok &&
                answer.error?.code !== undefined &&
                spec.notFoundCodes.includes(String(answer.error.code));
              outcomes.set(
                index,
                answer.ok || gone
                  ? ok(index)
                  : {
                      internalId: (items[index] as DeleteItem).internalId,
                      ok: false,
                      error: answer.error as ConnectorError,
                    },
              );
            });
          },
        );
      }
      return outcomes.done();
    }
    const single = definition.delete;
    if (!single) throw new ConnectorRequestError({ kind: 'invalid', message: 'the definition cannot delete' });
    for (const index of all) {
      const item = items[index] as DeleteItem;
      await outcomes.run([index], [item.internalId], async () => {
        const context = writeContext(resource, { id: item.externalId });
        try {
          await client.send({
            op: 'delete',
            method: single.method,
            url: interpolate(single.path, context, encodeURIComponent),
            query: renderParams(single.query, context),
            body: single.body === undefined ? undefined : renderBody(single.body, context),
          });
        } catch (error) {
          // Deleting what is already gone succeeds: deletes are retried after lost responses.
          if (!(error instanceof ConnectorRequestError && (error.status === 404 || error.status === 410))) throw error;
        }
        outcomes.set(index, ok(index));
      });
    }
    return outcomes.done();
  }

  return { upsert, remove };
}
