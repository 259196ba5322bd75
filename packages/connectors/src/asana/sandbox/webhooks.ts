// Asana webhooks in the sandbox: POST /webhooks runs the handshake against the target before it
// answers (X-Hook-Secret sent, expected back), then task changes in the webhook's resource are
// delivered as `{ events: [...] }` signed with X-Hook-Signature, retried by the kit's sender.
// Events raised in one tick travel in one delivery, as Asana batches them.
// https://developers.asana.com/docs/webhooks-guide
import { randomBytes } from 'node:crypto';
import { createWebhookSender, type DeliveryResult, type WebhookSender } from '../../sandbox-kit/webhook-sender.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { ASANA_WEBHOOK_HEADERS, signAsanaWebhook, type AsanaWebhookEvent } from '../webhooks.ts';
import { asanaErrors } from './errors.ts';
import type { AsanaStore, TaskChange } from './store.ts';

export interface AsanaWebhookFilter {
  resource_type?: string;
  resource_subtype?: string;
  action?: string;
  fields?: string[];
}

export interface StoredWebhook {
  gid: string;
  resource: { gid: string; resource_type: 'project' | 'task' | 'workspace'; name: string };
  target: string;
  secret: string;
  filters: AsanaWebhookFilter[];
  active: boolean;
  created_at: number;
  last_success_at: number | null;
  last_failure_at: number | null;
  last_failure_content: string;
}

export interface AsanaWebhookSettings {
  /** Delivery attempts per batch, first included (default 3; Asana retries for 24 hours). */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Per-attempt timeout of deliveries and of the handshake (Asana waits 10 s). */
  timeoutMs?: number;
}

export interface AsanaWebhookDispatcher {
  readonly webhooks: readonly StoredWebhook[];
  /** Every event sent so far, in sending order. */
  readonly events: readonly AsanaWebhookEvent[];
  readonly deliveries: readonly DeliveryResult[];
  configure(settings: AsanaWebhookSettings): void;
  /** The handshake, then the webhook: what POST /webhooks does. */
  create(input: { resource: unknown; target: unknown; filters?: unknown }): Promise<StoredWebhook>;
  get(gid: string): StoredWebhook | undefined;
  remove(gid: string): boolean;
  /** Sends `{ events: [] }` to every active webhook, as Asana's periodic heartbeat does. */
  heartbeat(): void;
  /** Resolves when every queued delivery has settled. */
  idle(): Promise<void>;
  handle(change: TaskChange): void;
}

function matches(filter: AsanaWebhookFilter, event: AsanaWebhookEvent): boolean {
  if (filter.resource_type && filter.resource_type !== event.resource.resource_type) return false;
  if (filter.resource_subtype && filter.resource_subtype !== event.resource.resource_subtype) return false;
  if (filter.action && filter.action !== event.action) return false;
  if (filter.fields && filter.fields.length > 0) {
    return event.action === 'changed' && filter.fields.includes(event.change?.field ?? '');
  }
  return true;
}

function parseFilters(raw: unknown): AsanaWebhookFilter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw asanaErrors.invalid('filters: Not an array');
  return raw.map((item) => {
    if (!item || typeof item !== 'object') throw asanaErrors.invalid('filters: Not an object');
    const { resource_type, resource_subtype, action, fields } = item as Record<string, unknown>;
    return {
      ...(typeof resource_type === 'string' ? { resource_type } : {}),
      ...(typeof resource_subtype === 'string' ? { resource_subtype } : {}),
      ...(typeof action === 'string' ? { action } : {}),
      ...(Array.isArray(fields) ? { fields: fields.map(String) } : {}),
    };
  });
}

export function createAsanaWebhookDispatcher(options: {
  store: AsanaStore;
  rng: Rng;
  clock: () => number;
  settings?: AsanaWebhookSettings;
}): AsanaWebhookDispatcher {
  const { store, clock } = options;
  let settings: AsanaWebhookSettings = options.settings ?? {};
  const hooks = new Map<string, StoredWebhook>();
  const senders = new Map<string, WebhookSender>();
  const retired: WebhookSender[] = [];
  const events: AsanaWebhookEvent[] = [];
  const pending = new Map<string, AsanaWebhookEvent[]>();
  let flushing: NodeJS.Immediate | null = null;
  let nextDelivery = 1;

  const senderFor = (hook: StoredWebhook): WebhookSender => {
    let sender = senders.get(hook.gid);
    if (!sender) {
      sender = createWebhookSender({
        rng: options.rng,
        maxAttempts: settings.maxAttempts,
        retryDelayMs: settings.retryDelayMs,
        timeoutMs: settings.timeoutMs,
        sign: ({ rawBody }) => ({ [ASANA_WEBHOOK_HEADERS.signature]: signAsanaWebhook(hook.secret, rawBody) }),
      });
      senders.set(hook.gid, sender);
    }
    return sender;
  };

  const send = (hook: StoredWebhook, batch: AsanaWebhookEvent[]) => {
    const sender = senderFor(hook);
    const id = `asana-${nextDelivery++}`;
    sender.enqueue({ id, url: hook.target, payload: { events: batch } });
    // Record the outcome on the webhook, as GET /webhooks/{gid} shows it.
    void sender.idle().then(() => {
      const result = sender.results.find((r) => r.id === id);
      if (!result) return;
      if (result.ok) hook.last_success_at = clock();
      else {
        hook.last_failure_at = clock();
        hook.last_failure_content = result.status ? `HTTP ${result.status}` : (result.attempts.at(-1)?.error ?? '');
      }
    });
  };

  const flush = () => {
    flushing = null;
    for (const [gid, batch] of pending) {
      const hook = hooks.get(gid);
      if (hook?.active && batch.length > 0) send(hook, batch);
    }
    pending.clear();
  };

  const eventsOf = (change: TaskChange): AsanaWebhookEvent[] => {
    const base = {
      user: { gid: change.actor, resource_type: 'user' },
      created_at: new Date(change.at).toISOString(),
      resource: { gid: change.task.gid, resource_type: 'task', resource_subtype: 'default_task' },
    };
    switch (change.type) {
      case 'created':
        return change.task.projects.map((project) => ({
          ...base,
          action: 'added',
          parent: { gid: project, resource_type: 'project' },
        }));
      case 'changed':
        return change.fields.map((field) => ({
          ...base,
          action: 'changed',
          parent: null,
          change: { field, action: 'changed' },
        }));
      case 'deleted':
        return [{ ...base, action: 'deleted', parent: null }];
    }
  };

  const concerns = (hook: StoredWebhook, change: TaskChange): boolean => {
    switch (hook.resource.resource_type) {
      case 'project':
        return change.task.projects.includes(hook.resource.gid);
      case 'task':
        return change.task.gid === hook.resource.gid;
      case 'workspace':
        return true;
    }
  };

  return {
    get webhooks() {
      return [...hooks.values()];
    },
    events,
    get deliveries() {
      return [...retired, ...senders.values()].flatMap((sender) => sender.results);
    },
    configure(next) {
      settings = { ...settings, ...next };
      for (const [gid, sender] of senders) {
        retired.push(sender);
        senders.delete(gid);
      }
    },

    async create(input) {
      const resourceGid = typeof input.resource === 'string' ? input.resource : '';
      const target = typeof input.target === 'string' ? input.target : '';
      if (!resourceGid) throw asanaErrors.invalid('resource: Missing input');
      if (!target) throw asanaErrors.invalid('target: Missing input');
      if (!/^https?:\/\//.test(target)) throw asanaErrors.invalid('target: Invalid URL');
      const filters = parseFilters(input.filters);
      const project = store.project(resourceGid);
      const task = project ? undefined : store.task(resourceGid);
      const resource: StoredWebhook['resource'] | null = project
        ? { gid: project.gid, resource_type: 'project', name: project.name }
        : task
          ? { gid: task.gid, resource_type: 'task', name: task.name }
          : resourceGid === store.workspace.gid
            ? { gid: store.workspace.gid, resource_type: 'workspace', name: store.workspace.name }
            : null;
      if (!resource) throw asanaErrors.unknownObject(resourceGid);
      if (resource.resource_type === 'workspace' && filters.length === 0) {
        throw asanaErrors.invalid('filters: Webhooks on a workspace must specify filters');
      }
      for (const hook of hooks.values()) {
        if (hook.resource.gid === resource.gid && hook.target === target) {
          throw asanaErrors.invalid('Duplicate webhook: a webhook for this resource and target already exists');
        }
      }
      // The handshake: the create call stays open until the target echoes the secret.
      const secret = randomBytes(32).toString('hex');
      let echoed: string | null = null;
      let status = 0;
      try {
        const response = await fetch(target, {
          method: 'POST',
          headers: { [ASANA_WEBHOOK_HEADERS.secret]: secret, 'content-type': 'application/json' },
          body: '',
          signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
        });
        status = response.status;
        echoed = response.headers.get(ASANA_WEBHOOK_HEADERS.secret);
        await response.arrayBuffer().catch(() => undefined);
      } catch {
        throw asanaErrors.invalid('The remote server did not respond to the handshake request.');
      }
      if ((status !== 200 && status !== 204) || echoed !== secret) {
        throw asanaErrors.invalid(
          `The remote server did not respond with the handshake secret (HTTP ${status}${echoed ? ', wrong secret' : ''}).`,
        );
      }
      const hook: StoredWebhook = {
        gid: store.gid(),
        resource,
        target,
        secret,
        filters,
        active: true,
        created_at: clock(),
        last_success_at: null,
        last_failure_at: null,
        last_failure_content: '',
      };
      hooks.set(hook.gid, hook);
      return hook;
    },

    get: (gid) => hooks.get(gid),
    remove(gid) {
      const sender = senders.get(gid);
      if (sender) retired.push(sender);
      senders.delete(gid);
      pending.delete(gid);
      return hooks.delete(gid);
    },

    heartbeat() {
      for (const hook of hooks.values()) if (hook.active) send(hook, []);
    },

    async idle() {
      // A flush may still be scheduled; let it run, then wait for every sender.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const sender of [...retired, ...senders.values()]) await sender.idle();
    },

    handle(change) {
      const all = eventsOf(change);
      if (all.length === 0) return;
      for (const hook of hooks.values()) {
        if (!hook.active || !concerns(hook, change)) continue;
        const wanted = hook.filters.length === 0 ? all : all.filter((e) => hook.filters.some((f) => matches(f, e)));
        if (wanted.length === 0) continue;
        events.push(...wanted);
        const batch = pending.get(hook.gid) ?? [];
        batch.push(...wanted);
        pending.set(hook.gid, batch);
      }
      flushing ??= setImmediate(flush);
    },
  };
}
