// The declarative REST connector: the connector contract implemented from a definition (see
// definition.ts) for systems without a hand-written connector. Shipped definitions live in
// ./definitions; an integration may also carry its own (settings.definition), validated the same way.
import {
  ConnectorRequestError,
  type Connector,
  type ConnectorLimits,
  type ExternalRecord,
  type FieldDescriptor,
  type ResourceRef,
} from '../contract.ts';
import { parseDefinition, type DeclarativeDefinition } from './definition.ts';
import { DeclarativeClient } from './http.ts';
import { baseContext, iteratePages, listChanges, type ReadContext } from './list.ts';
import type { OAuthTokens } from './oauth2.ts';
import { parseRecord } from './records.ts';
import { getPath } from '../mapping/paths.ts';
import { interpolate, lookup, renderBody } from './template.ts';
import { classifyDeclarativeError, createWriter } from './writes.ts';
import { parseDeclarativeWebhook, verifyDeclarativeWebhook } from './webhooks.ts';

export interface DeclarativeConnectorOptions {
  /** Secrets (token, apiKey, clientId, clientSecret, refreshToken, …) as the auth section names them. */
  credentials?: Record<string, unknown>;
  /** Non-secret settings the templates read (workspace ids, account ids, webhookCallbackUrl, …). */
  settings?: Record<string, unknown>;
  /** Overrides the definition's base URL (a sandbox, a region, a self-hosted instance). */
  baseUrl?: string | null;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Called after each token exchange (OAuth2): store the refresh token, encrypted. */
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
  requestsPerWindow?: number;
  windowMs?: number;
}

export interface DeclarativeConnector extends Connector {
  readonly definition: DeclarativeDefinition;
  /** OAuth2 token exchanges made so far (0 for other auth). */
  readonly tokenExchanges: number;
}

export function declarativeLimits(
  definition: DeclarativeDefinition,
  overrides: { requestsPerWindow?: number; windowMs?: number } = {},
): ConnectorLimits {
  const batch = definition.batch;
  // Without a batch endpoint every record is its own request: one record per call keeps the
  // engine's rate limiter (one slot per call) honest.
  const creates = batch?.upsert?.maxSize ?? batch?.create?.maxSize ?? 1;
  const updates = batch?.upsert?.maxSize ?? batch?.update?.maxSize ?? 1;
  return {
    requestsPerWindow: overrides.requestsPerWindow ?? definition.rateLimit.requests,
    windowMs: overrides.windowMs ?? definition.rateLimit.windowMs,
    maxBatchSize: Math.min(creates, updates),
    maxDeleteBatchSize: batch?.delete?.maxSize ?? 1,
  };
}

function inferType(values: unknown[]): FieldDescriptor['type'] {
  const present = values.filter((value) => value !== null && value !== undefined);
  if (present.length === 0) return 'unknown';
  const kinds = new Set(
    present.map((value) => {
      if (typeof value === 'boolean') return 'boolean';
      if (typeof value === 'number') return 'number';
      if (Array.isArray(value)) return 'array';
      if (typeof value === 'object') return 'json';
      const text = String(value);
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'date';
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return 'datetime';
      return 'string';
    }),
  );
  return kinds.size === 1 ? ([...kinds][0] as FieldDescriptor['type']) : 'unknown';
}

export function createDeclarativeConnector(
  input: DeclarativeDefinition | unknown,
  options: DeclarativeConnectorOptions = {},
): DeclarativeConnector {
  const definition = parseDefinition(input);
  const credentials = options.credentials ?? {};
  const settings = options.settings ?? {};
  for (const [name, spec] of Object.entries(definition.settings)) {
    if (spec.required && (settings[name] === undefined || settings[name] === null || settings[name] === ''))
      throw new ConnectorRequestError({
        kind: 'invalid',
        message: `${definition.name}: setting "${name}" is required (${spec.description})`,
      });
  }
  const missing = definition.credentials.filter(
    (name) => typeof credentials[name] !== 'string' || credentials[name] === '',
  );
  if (missing.length > 0)
    throw new ConnectorRequestError({
      kind: 'auth',
      message: `${definition.name}: missing credential ${missing.join(', ')}`,
    });
  const client = new DeclarativeClient({
    definition,
    baseUrl: options.baseUrl || definition.baseUrl,
    credentials,
    settings,
    timeoutMs: options.timeoutMs ?? 30_000,
    onTokens: options.onTokens,
  });
  const read: ReadContext = { definition, client, settings };
  const writer = createWriter(read);

  async function lookupRecords(resource: ResourceRef, values: string[], by: 'ids' | 'keys'): Promise<unknown[]> {
    const spec = definition.lookup?.[by];
    if (!spec) return [];
    const found: unknown[] = [];
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += definition.lookup!.maxPerRequest) {
      const part = unique.slice(i, i + definition.lookup!.maxPerRequest);
      const escaped = part.map((value) =>
        spec.quote
          ? `${spec.quote}${value.replaceAll('\\', '\\\\').replaceAll(spec.quote, `\\${spec.quote}`)}${spec.quote}`
          : value,
      );
      const joined = escaped.join(spec.separator);
      for await (const page of iteratePages(read, resource, {
        override: { path: spec.path, query: spec.query, vars: { ids: joined, keys: joined } },
      }))
        found.push(...page.items);
    }
    return found;
  }

  async function getOne(resource: ResourceRef, id: string): Promise<unknown | null> {
    const spec = definition.get as NonNullable<DeclarativeDefinition['get']>;
    const context = { ...baseContext(read, resource), id };
    try {
      const response = await client.send({
        op: 'get',
        method: 'GET',
        url: interpolate(spec.path, context, encodeURIComponent),
      });
      return spec.recordPath ? lookup({ body: response.body }, `body.${spec.recordPath}`) : response.body;
    } catch (error) {
      if (error instanceof ConnectorRequestError && (error.status === 404 || error.status === 410)) return null;
      throw error;
    }
  }

  const connector: DeclarativeConnector = {
    type: definition.integrationType ?? 'GENERIC_REST',
    definition,
    limits: declarativeLimits(definition, options),
    get tokenExchanges() {
      return client.oauth?.exchanges ?? 0;
    },

    async testConnection() {
      const started = performance.now();
      const spec = definition.testConnection;
      try {
        const context = { settings };
        const response = await client.send({
          op: 'test connection',
          method: spec.method,
          url: interpolate(spec.path, context, encodeURIComponent),
          body: spec.body === undefined ? undefined : renderBody(spec.body, context),
        });
        const version = spec.versionPath ? lookup({ body: response.body }, `body.${spec.versionPath}`) : undefined;
        return {
          ok: true,
          latencyMs: Math.round(performance.now() - started),
          apiVersion: typeof version === 'string' ? version : undefined,
        };
      } catch (error) {
        const failure = classifyDeclarativeError(error);
        return {
          ok: false,
          latencyMs: Math.round(performance.now() - started),
          message: `${failure.kind}: ${client.redact(failure.message)}`,
          error: { ...failure, message: client.redact(failure.message) },
        };
      }
    },

    listChanges: (resource, cursor, listOptions) => listChanges(read, resource, cursor, listOptions),

    async discoverFields(resource) {
      const sample: ExternalRecord[] = [];
      for await (const page of iteratePages(read, resource, {})) {
        for (const item of page.items) {
          const parsed = parseRecord(definition, item, resource.keyField);
          if (parsed && !parsed.deleted) sample.push(parsed.record);
        }
        break; // the first page is the sample
      }
      const names = [...new Set(sample.flatMap((record) => Object.keys(record.fields)))].sort();
      return names.map((name) => ({ name, type: inferType(sample.map((record) => record.fields[name])) }));
    },

    upsertBatch: (resource, items) => writer.upsert(resource, items),
    deleteBatch: (resource, items) => writer.remove(resource, items),

    verifyWebhook: (request, secret) =>
      verifyDeclarativeWebhook(
        definition,
        request,
        secret,
        typeof settings.webhookCallbackUrl === 'string' ? settings.webhookCallbackUrl : undefined,
      ),
    parseWebhook: (request) => parseDeclarativeWebhook(definition, request, null),
    classifyError: (error) => {
      const failure = classifyDeclarativeError(error);
      return { ...failure, message: client.redact(failure.message) };
    },
  };

  if (definition.lookup?.ids || definition.get) {
    connector.getRecords = async (resource, externalIds) => {
      const records: ExternalRecord[] = [];
      let raws: unknown[] = [];
      if (definition.lookup?.ids) raws = await lookupRecords(resource, externalIds, 'ids');
      else for (const id of new Set(externalIds)) raws.push(await getOne(resource, id));
      for (const raw of raws) {
        const parsed = raw === null ? null : parseRecord(definition, raw, resource.keyField);
        if (parsed && !parsed.deleted && externalIds.includes(parsed.id)) records.push(parsed.record);
      }
      return records;
    };
  }
  if (definition.lookup?.keys) {
    connector.findByKeys = async (resource, internalIds) => {
      const map = new Map<string, string>();
      const keyField = resource.keyField;
      if (!keyField || internalIds.length === 0) return map;
      const wanted = new Set(internalIds);
      for (const raw of await lookupRecords(resource, internalIds, 'keys')) {
        const parsed = parseRecord(definition, raw, keyField);
        const key = parsed ? getPath(parsed.record.fields, keyField) : undefined;
        if (parsed && !parsed.deleted && typeof key === 'string' && wanted.has(key)) map.set(key, parsed.id);
      }
      return map;
    };
  }
  return connector;
}
