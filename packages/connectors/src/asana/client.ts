// Thin typed wrapper around the official `asana` SDK (v3, generated; its bundled typings are all
// `any`): one method per call the connector makes; failures become ConnectorRequestError.
//
// SDK facts this relies on (asana 3.2.0, src/ApiClient.js):
// - `ApiClient.instance` is a process-wide default, but every API class takes a client of its own.
//   Each connector builds its own `new ApiClient()` with its own basePath, token and timeout, so
//   two integrations (different tokens, a sandbox and the real API) never share state.
// - `RETURN_COLLECTION` (default true) wraps list answers in a Collection that pages by mutating
//   the query object; we turn it off and page with the offset tokens ourselves, so a read can be
//   resumed from a stored cursor.
// - The transport is superagent: `timeout` (ms) bounds each request; errors carry `status` and
//   `response` ({ body, headers }) for HTTP failures, `code` (ECONNREFUSED, ECONNABORTED on
//   timeout, …) for network ones. The SDK never retries: the engine owns retries.
// - Path parameters are percent-encoded, so `external:<our key>` task references are safe.
// - The SDK is imported on first use, so loading the connectors entry stays cheap.
import { ConnectorRequestError } from '../contract.ts';
import { classifyAsanaError } from './errors.ts';

export const ASANA_DEFAULT_BASE_PATH = 'https://app.asana.com/api/1.0';

export interface AsanaClientOptions {
  accessToken: string;
  /** API base including /api/1.0 (default https://app.asana.com/api/1.0). */
  basePath?: string;
  timeoutMs?: number;
}

export interface AsanaUserRef {
  gid: string;
  name?: string;
  email?: string;
}

export interface AsanaEnumOption {
  gid: string;
  name: string;
  enabled?: boolean;
}

export interface AsanaCustomFieldValue {
  gid: string;
  name?: string;
  type?: string;
  resource_subtype?: string;
  enum_value?: AsanaEnumOption | null;
  multi_enum_values?: AsanaEnumOption[];
  text_value?: string | null;
  number_value?: number | null;
  display_value?: string | null;
}

export interface AsanaTask {
  gid: string;
  name?: string;
  notes?: string;
  completed?: boolean;
  completed_at?: string | null;
  due_on?: string | null;
  due_at?: string | null;
  start_on?: string | null;
  assignee?: AsanaUserRef | null;
  projects?: { gid: string; name?: string }[];
  custom_fields?: AsanaCustomFieldValue[];
  external?: { gid?: string | null; data?: string | null } | null;
  created_at?: string;
  modified_at?: string;
  permalink_url?: string;
}

export interface AsanaCustomFieldDefinition {
  gid: string;
  name: string;
  type?: string;
  resource_subtype?: string;
  enum_options?: AsanaEnumOption[];
}

export interface AsanaPage<T> {
  data: T[];
  next_page?: { offset: string; path?: string; uri?: string } | null;
  /** The server's clock when it answered (Date header), in ms. */
  serverTime: number | null;
}

export interface AsanaWebhook {
  gid: string;
  active?: boolean;
  resource?: { gid: string; resource_type?: string; name?: string };
  target?: string;
  filters?: { resource_type?: string; resource_subtype?: string; action?: string; fields?: string[] }[];
}

/** What the generated API methods resolve with when RETURN_COLLECTION is off. */
interface SdkAnswer {
  data: unknown;
  response: { status?: number; headers?: Record<string, string | undefined> };
}
type SdkMethod = (...args: unknown[]) => Promise<SdkAnswer>;

interface SdkApis {
  tasks: {
    getTasksWithHttpInfo: SdkMethod;
    getTaskWithHttpInfo: SdkMethod;
    createTaskWithHttpInfo: SdkMethod;
    updateTaskWithHttpInfo: SdkMethod;
    deleteTaskWithHttpInfo: SdkMethod;
  };
  users: { getUserWithHttpInfo: SdkMethod };
  customFieldSettings: { getCustomFieldSettingsForProjectWithHttpInfo: SdkMethod };
  webhooks: {
    createWebhookWithHttpInfo: SdkMethod;
    deleteWebhookWithHttpInfo: SdkMethod;
    getWebhooksWithHttpInfo: SdkMethod;
  };
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function envelope<T>(answer: SdkAnswer): T {
  return (answer.data as { data: T }).data;
}

function serverTimeOf(answer: SdkAnswer): number | null {
  const date = answer.response.headers?.date;
  const ms = date ? Date.parse(date) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

const csv = (fields: readonly string[] | undefined) => (fields && fields.length > 0 ? fields.join(',') : undefined);

export class AsanaApiClient {
  private sdk: Promise<SdkApis> | null = null;
  private readonly options: AsanaClientOptions;

  constructor(options: AsanaClientOptions) {
    this.options = options;
  }

  private apis(): Promise<SdkApis> {
    this.sdk ??= import('asana').then((asana) => {
      const client = new asana.ApiClient();
      client.basePath = (this.options.basePath ?? ASANA_DEFAULT_BASE_PATH).replace(/\/+$/, '');
      client.RETURN_COLLECTION = false;
      client.timeout = this.options.timeoutMs ?? 30_000;
      (client.authentications as Record<string, { accessToken?: string }>).token!.accessToken =
        this.options.accessToken;
      return {
        tasks: new asana.TasksApi(client) as unknown as SdkApis['tasks'],
        users: new asana.UsersApi(client) as unknown as SdkApis['users'],
        customFieldSettings: new asana.CustomFieldSettingsApi(client) as unknown as SdkApis['customFieldSettings'],
        webhooks: new asana.WebhooksApi(client) as unknown as SdkApis['webhooks'],
      };
    });
    return this.sdk;
  }

  /** Runs one SDK call; failures become ConnectorRequestError (the SDK's error stays as `cause`). */
  private async call(pick: (apis: SdkApis) => Promise<SdkAnswer>, signal?: AbortSignal): Promise<SdkAnswer> {
    signal?.throwIfAborted();
    const apis = await this.apis();
    try {
      return await abortable(pick(apis), signal);
    } catch (error) {
      throw new ConnectorRequestError(classifyAsanaError(error), { cause: error });
    }
  }

  /** GET /users/me */
  async me(): Promise<AsanaUserRef> {
    return envelope(await this.call((apis) => apis.users.getUserWithHttpInfo('me', { opt_fields: 'name,email' })));
  }

  /** GET /tasks?project=&modified_since=&limit=&offset=&opt_fields= */
  async listTasks(
    query: { project: string; modifiedSince?: string; limit: number; offset?: string; optFields?: readonly string[] },
    signal?: AbortSignal,
  ): Promise<AsanaPage<AsanaTask>> {
    const answer = await this.call(
      (apis) =>
        apis.tasks.getTasksWithHttpInfo({
          project: query.project,
          limit: query.limit,
          ...(query.modifiedSince ? { modified_since: query.modifiedSince } : {}),
          ...(query.offset ? { offset: query.offset } : {}),
          ...(csv(query.optFields) ? { opt_fields: csv(query.optFields) } : {}),
        }),
      signal,
    );
    const body = answer.data as { data: AsanaTask[]; next_page?: AsanaPage<AsanaTask>['next_page'] };
    return { data: body.data, next_page: body.next_page ?? null, serverTime: serverTimeOf(answer) };
  }

  /** GET /tasks/{gid} (or `external:<gid>`); null when Asana does not know it (404). */
  async getTask(ref: string, optFields?: readonly string[], signal?: AbortSignal): Promise<AsanaTask | null> {
    try {
      const answer = await this.call(
        (apis) => apis.tasks.getTaskWithHttpInfo(ref, csv(optFields) ? { opt_fields: csv(optFields) } : {}),
        signal,
      );
      return envelope<AsanaTask>(answer);
    } catch (error) {
      if (error instanceof ConnectorRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /** POST /tasks */
  async createTask(data: Record<string, unknown>, optFields?: readonly string[]): Promise<AsanaTask> {
    return envelope(
      await this.call((apis) =>
        apis.tasks.createTaskWithHttpInfo({ data }, csv(optFields) ? { opt_fields: csv(optFields) } : {}),
      ),
    );
  }

  /** PUT /tasks/{gid} */
  async updateTask(ref: string, data: Record<string, unknown>, optFields?: readonly string[]): Promise<AsanaTask> {
    return envelope(
      await this.call((apis) =>
        apis.tasks.updateTaskWithHttpInfo({ data }, ref, csv(optFields) ? { opt_fields: csv(optFields) } : {}),
      ),
    );
  }

  /** DELETE /tasks/{gid} */
  async deleteTask(ref: string): Promise<void> {
    await this.call((apis) => apis.tasks.deleteTaskWithHttpInfo(ref));
  }

  /** GET /projects/{gid}/custom_field_settings, every page. */
  async customFields(project: string): Promise<AsanaCustomFieldDefinition[]> {
    const fields: AsanaCustomFieldDefinition[] = [];
    let offset: string | undefined;
    do {
      const answer = await this.call((apis) =>
        apis.customFieldSettings.getCustomFieldSettingsForProjectWithHttpInfo(project, {
          limit: 100,
          ...(offset ? { offset } : {}),
          opt_fields:
            'custom_field.name,custom_field.type,custom_field.resource_subtype,custom_field.enum_options.name,custom_field.enum_options.enabled',
        }),
      );
      const body = answer.data as {
        data: { custom_field?: AsanaCustomFieldDefinition | null }[];
        next_page?: { offset: string } | null;
      };
      for (const setting of body.data) if (setting.custom_field) fields.push(setting.custom_field);
      offset = body.next_page?.offset;
    } while (offset);
    return fields;
  }

  /** POST /webhooks: resolves once Asana completed the handshake with `target`. */
  async createWebhook(input: {
    resource: string;
    target: string;
    filters?: AsanaWebhook['filters'];
  }): Promise<AsanaWebhook> {
    return envelope(
      await this.call((apis) =>
        apis.webhooks.createWebhookWithHttpInfo({
          data: {
            resource: input.resource,
            target: input.target,
            ...(input.filters ? { filters: input.filters } : {}),
          },
        }),
      ),
    );
  }

  /** DELETE /webhooks/{gid} */
  async deleteWebhook(gid: string): Promise<void> {
    await this.call((apis) => apis.webhooks.deleteWebhookWithHttpInfo(gid));
  }
}
