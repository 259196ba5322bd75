// Sheet webhooks as Smartsheet runs them: created disabled (NEW_NOT_VERIFIED); enabling sends a
// verification request that must echo the challenge; then one signed skinny callback per change,
// one at a time per webhook, re-verified every 100 callbacks; a callback that keeps failing or a
// failed verification disables the webhook.
// https://developers.smartsheet.com/api/smartsheet/guides/webhooks/webhook-verification
import { createWebhookSender, type DeliveryResult, type WebhookSender } from '../../sandbox-kit/webhook-sender.ts';
import type { Rng } from '../../sandbox-kit/rng.ts';
import { SMARTSHEET_WEBHOOK_HEADERS, signSmartsheetCallback } from '../webhooks.ts';
import { formatTimestamp } from './cells.ts';
import { apiErrors, SmartsheetApiError } from './errors.ts';
import type { SheetChange } from './store.ts';

export interface StoredWebhook {
  id: number;
  name: string;
  scope: 'sheet';
  scopeObjectId: number;
  events: string[];
  callbackUrl: string;
  sharedSecret: string;
  enabled: boolean;
  status: string;
  version: number;
  createdAt: string;
  modifiedAt: string;
}

export interface SmartsheetWebhookSettings {
  /** Attempts per callback before the webhook is disabled (Smartsheet: 14; default 3). */
  maxAttempts?: number;
  /** Base of the exponential retry delay (default 100 ms). */
  retryDelayMs?: number;
  timeoutMs?: number;
  /** Callbacks between re-verifications (Smartsheet: 100). */
  verifyEvery?: number;
}

export interface SentCallback {
  webhookId: number;
  payload: Record<string, unknown>;
}

export interface SmartsheetWebhookRegistry {
  readonly settings: Readonly<Required<SmartsheetWebhookSettings>>;
  configure(settings: SmartsheetWebhookSettings): void;
  create(body: unknown, sheetExists: (id: number) => boolean): StoredWebhook;
  get(id: number): StoredWebhook;
  list(): StoredWebhook[];
  update(id: number, body: unknown): Promise<StoredWebhook>;
  remove(id: number): void;
  resetSharedSecret(id: number): string;
  /** Called by the sandbox for each sheet change. */
  handle(change: SheetChange): void;
  /** Every callback payload sent (first attempts), in order. */
  readonly callbacks: readonly SentCallback[];
  readonly deliveries: readonly DeliveryResult[];
  readonly verifications: readonly { webhookId: number; challenge: string; ok: boolean }[];
  /** Resolves once every queued callback has settled. */
  idle(): Promise<void>;
}

const SANDBOX_USER_ID = 4_583_173_393_803_140;

export function createSmartsheetWebhookRegistry(options: {
  rng: Rng;
  clock: () => number;
  nextId: () => number;
  settings?: SmartsheetWebhookSettings;
}): SmartsheetWebhookRegistry {
  let settings: Required<SmartsheetWebhookSettings> = {
    maxAttempts: 3,
    retryDelayMs: 100,
    timeoutMs: 5000,
    verifyEvery: 100,
    ...options.settings,
  };
  const hooks = new Map<number, StoredWebhook>();
  const chains = new Map<number, Promise<void>>();
  const sentCount = new Map<number, number>();
  const callbacks: SentCallback[] = [];
  const deliveries: DeliveryResult[] = [];
  const verifications: { webhookId: number; challenge: string; ok: boolean }[] = [];
  const token = (length: number) => {
    let value = '';
    for (let i = 0; i < length; i++) value += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(options.rng() * 36)];
    return value;
  };
  const stamp = () => formatTimestamp(options.clock());

  function find(id: number): StoredWebhook {
    const hook = hooks.get(id);
    if (!hook) throw apiErrors.notFound();
    return hook;
  }

  function setState(hook: StoredWebhook, enabled: boolean, status: string) {
    hook.enabled = enabled;
    hook.status = status;
    hook.modifiedAt = stamp();
  }

  /** POSTs a challenge; ok when answered 200 with the echo in the header or the JSON body. */
  async function verify(hook: StoredWebhook): Promise<boolean> {
    const challenge = `${token(8)}-${token(4)}-${token(4)}-${token(12)}`;
    let ok = false;
    try {
      const response = await fetch(hook.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Smartsheet-Hook-Challenge': challenge },
        body: JSON.stringify({ challenge, webhookId: hook.id }),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      const text = await response.text();
      let echoed = response.headers.get(SMARTSHEET_WEBHOOK_HEADERS.challengeResponse);
      if (echoed !== challenge) {
        try {
          echoed = (JSON.parse(text) as { smartsheetHookResponse?: string }).smartsheetHookResponse ?? null;
        } catch {
          echoed = null;
        }
      }
      ok = response.status === 200 && echoed === challenge;
    } catch {
      ok = false;
    }
    verifications.push({ webhookId: hook.id, challenge, ok });
    return ok;
  }

  function senderFor(hook: StoredWebhook): WebhookSender {
    return createWebhookSender({
      rng: options.rng,
      maxAttempts: settings.maxAttempts,
      retryDelayMs: settings.retryDelayMs,
      timeoutMs: settings.timeoutMs,
      // Read the secret per attempt: resetsharedsecret takes effect at once.
      sign: ({ rawBody }) => ({ 'Smartsheet-Hmac-SHA256': signSmartsheetCallback(hook.sharedSecret, rawBody) }),
    });
  }

  function enqueue(hook: StoredWebhook, payload: Record<string, unknown>) {
    const previous = chains.get(hook.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (!hook.enabled) return;
      const count = sentCount.get(hook.id) ?? 0;
      if (count > 0 && count % settings.verifyEvery === 0 && !(await verify(hook))) {
        setState(hook, false, 'DISABLED_VERIFICATION_FAILED');
        return;
      }
      callbacks.push({ webhookId: hook.id, payload });
      const result = await senderFor(hook).deliver({ id: String(payload.nonce), url: hook.callbackUrl, payload });
      deliveries.push(result);
      sentCount.set(hook.id, count + 1);
      if (!result.ok) setState(hook, false, 'DISABLED_CALLBACK_FAILED');
    });
    chains.set(
      hook.id,
      next.catch(() => undefined),
    );
  }

  function eventsOf(change: SheetChange) {
    const timestamp = formatTimestamp(change.at);
    const base = {
      userId: SANDBOX_USER_ID,
      timestamp,
      ...(change.changeAgent ? { changeAgent: change.changeAgent } : {}),
    };
    const events: Record<string, unknown>[] = [
      { objectType: 'sheet', eventType: 'updated', id: change.sheetId, ...base },
    ];
    for (const row of change.changes) {
      events.push({ objectType: 'row', eventType: row.type, id: row.rowId, ...base });
      const cellEvent = row.type === 'created' ? 'created' : 'updated';
      for (const columnId of row.columnIds) {
        events.push({ objectType: 'cell', eventType: cellEvent, rowId: row.rowId, columnId, ...base });
      }
    }
    return events;
  }

  return {
    get settings() {
      return settings;
    },
    configure(next) {
      settings = { ...settings, ...next };
    },
    create(body, sheetExists) {
      const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
      for (const name of ['name', 'callbackUrl', 'scope', 'scopeObjectId', 'events', 'version']) {
        if (input[name] === undefined) throw apiErrors.missingAttribute(`webhook.${name}`);
      }
      if (input.scope !== 'sheet') throw apiErrors.invalidParameter(String(input.scope), 'scope');
      if (typeof input.scopeObjectId !== 'number' || !sheetExists(input.scopeObjectId)) {
        throw apiErrors.scopeNotFound('sheet', input.scopeObjectId);
      }
      if (typeof input.callbackUrl !== 'string' || !/^https?:\/\//.test(input.callbackUrl)) {
        throw new SmartsheetApiError(
          400,
          1152,
          "Only URLs with a protocol of 'https' are supported for attribute 'callbackUrl'.",
        );
      }
      const now = stamp();
      const hook: StoredWebhook = {
        id: options.nextId(),
        name: String(input.name),
        scope: 'sheet',
        scopeObjectId: input.scopeObjectId,
        events: Array.isArray(input.events) ? input.events.map(String) : ['*.*'],
        callbackUrl: input.callbackUrl,
        sharedSecret: token(26),
        enabled: false,
        status: 'NEW_NOT_VERIFIED',
        version: 1,
        createdAt: now,
        modifiedAt: now,
      };
      hooks.set(hook.id, hook);
      return { ...hook };
    },
    get: (id) => ({ ...find(id) }),
    list: () => [...hooks.values()].map((hook) => ({ ...hook })),
    async update(id, body) {
      const hook = find(id);
      const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
      if (typeof input.name === 'string') hook.name = input.name;
      if (typeof input.callbackUrl === 'string') hook.callbackUrl = input.callbackUrl;
      if (Array.isArray(input.events)) hook.events = input.events.map(String);
      if (input.enabled === false) setState(hook, false, 'DISABLED_BY_OWNER');
      else if (input.enabled === true && !hook.enabled) {
        const ok = await verify(hook);
        setState(hook, ok, ok ? 'ENABLED' : 'DISABLED_VERIFICATION_FAILED');
        if (ok) sentCount.set(hook.id, 0);
      } else hook.modifiedAt = stamp();
      return { ...hook };
    },
    remove(id) {
      find(id);
      hooks.delete(id);
    },
    resetSharedSecret(id) {
      const hook = find(id);
      hook.sharedSecret = token(26);
      hook.modifiedAt = stamp();
      return hook.sharedSecret;
    },
    handle(change) {
      for (const hook of hooks.values()) {
        if (!hook.enabled || hook.scopeObjectId !== change.sheetId) continue;
        enqueue(hook, {
          nonce: `${token(8)}-${token(4)}-${token(4)}-${token(4)}-${token(12)}`,
          timestamp: formatTimestamp(change.at),
          webhookId: hook.id,
          scope: 'sheet',
          scopeObjectId: hook.scopeObjectId,
          events: eventsOf(change),
        });
      }
    },
    callbacks,
    deliveries,
    verifications,
    async idle() {
      let pending: Promise<void>[];
      do {
        pending = [...chains.values()];
        await Promise.all(pending);
      } while (pending.some((promise, i) => promise !== [...chains.values()][i]) || pending.length !== chains.size);
    },
  };
}
