// Flow S5 end to end: `tasks` ↔ the tasks of an Asana project through the real Asana connector (the
// official SDK) against the in-process Asana sandbox over HTTP, on a real Postgres. Pushes come from
// the change-capture outbox (drainOutbox); Asana changes arrive by webhook (handshake, signed
// deliveries stored once and processed like the worker does) and by scheduled pulls (a full read
// first, then incremental by modified_since); each conflict strategy is exercised on the same field
// edited on both sides.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAsana,
  startSandbox,
  type AsanaHarness,
  type AsanaStoredProject,
  type SandboxServer,
} from '@syncbridge/connectors/sandboxes';
import type { ConflictStrategy } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { EngineContext } from '../src/context.ts';
import { S5_ASANA_CUSTOM_FIELDS, S5_ASANA_INTEGRATION, s5AsanaTasksResource } from '../src/presets/s5-asana-tasks.ts';
import { pullResource } from '../src/pull.ts';
import { drainOutbox } from '../src/push.ts';
import { applyConflictResolution } from '../src/resolve.ts';
import { saveResource } from '../src/resources.ts';
import { processWebhookEvent } from '../src/webhooks.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
let h: AsanaHarness;
let project: AsanaStoredProject;
let ctx: EngineContext;
let integrationId: string;
let resourceId: string;

/**
 * The webhook target, doing what the web ingress does for Asana: answers the handshake (keeping the
 * secret), verifies X-Hook-Signature with the connector, stores each delivery once under its
 * delivery id (unique per integration) and hands the new ones to the test, which processes them as
 * the worker's sync.webhook job would.
 */
let target: SandboxServer;
let hookSecret: string | null = null;
const received: { status: number; outcome: string }[] = [];
const stored: string[] = [];
/** The last delivery the ingress accepted, exactly as sent (to replay it). */
let lastAccepted: { signature: string; rawBody: Buffer } | null = null;

async function ingress(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const handshake = req.headers['x-hook-secret'];
  if (typeof handshake === 'string') {
    hookSecret = handshake;
    res.writeHead(200, { 'X-Hook-Secret': handshake }).end();
    return;
  }
  const verification = h.connector.verifyWebhook(
    { method: 'POST', url: req.url ?? '', headers: req.headers, rawBody },
    hookSecret ?? '',
  );
  if (!verification.ok) {
    received.push({ status: 401, outcome: verification.reason });
    res.writeHead(401).end();
    return;
  }
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into webhook_events (integration_id, dedupe_key, headers, raw_body) values ($1, $2, '{}'::jsonb, $3)
     on conflict (integration_id, dedupe_key) do nothing returning id`,
    [integrationId, verification.deliveryId, rawBody.toString('utf8')],
  );
  const id = rows[0]?.id;
  if (id) {
    stored.push(id);
    lastAccepted = { signature: String(req.headers['x-hook-signature']), rawBody };
  }
  received.push({ status: 200, outcome: id ? 'accepted' : 'duplicate' });
  res.writeHead(200).end();
}

beforeAll(async () => {
  h = await startAsana({ webhooks: { retryDelayMs: 0 } });
  // The project has exactly the custom fields the preset asks for.
  const { store } = h.sandbox;
  project = store.addProject({
    name: 'BritePool tasks',
    customFields: S5_ASANA_CUSTOM_FIELDS.map((field) => store.addCustomField(field)),
  });
  ctx = engineContext(db, { connectorFor: (integration) => (integration.type === 'ASANA' ? h.connector : undefined!) });
  const integration = await db.prisma.integration.create({
    data: { ...S5_ASANA_INTEGRATION, name: 'Tasks ↔ Asana', baseUrl: h.basePath },
  });
  integrationId = integration.id;
  resourceId = (await saveResource(ctx, s5AsanaTasksResource(integrationId, project.gid))).id;
  target = await startSandbox((req, res) => {
    ingress(req, res).catch(() => res.writeHead(500).end());
  });
});
afterAll(async () => {
  await target?.close();
  await h?.close();
});

const asanaStore = () => h.sandbox.store;
const asanaTask = (gid: string) => {
  const found = asanaStore().task(gid);
  if (!found) throw new Error(`no Asana task ${gid}`);
  return found;
};
/** The option name a task holds in a custom field of the project. */
const option = (gid: string, field: string) => {
  const definition = asanaStore()
    .fieldsOf([project.gid])
    .find((f) => f.name === field)!;
  return definition.enum_options.find((o) => o.gid === asanaTask(gid).custom[definition.gid])?.name ?? null;
};
const optionGid = (field: string, name: string) => {
  const definition = asanaStore()
    .fieldsOf([project.gid])
    .find((f) => f.name === field)!;
  return { [definition.gid]: definition.enum_options.find((o) => o.name === name)!.gid };
};
/** Write requests (POST, PUT, DELETE /tasks) the sandbox received. */
const writes = () =>
  Object.entries(h.sandbox.counters.byEndpoint())
    .filter(([endpoint]) => /^(POST|PUT|DELETE) \/api\/1\.0\/tasks/.test(endpoint))
    .reduce((sum, [, n]) => sum + n, 0);
const task = (id: string) => db.prisma.tasks.findUniqueOrThrow({ where: { id } });
const mappingOf = (internalId: string) =>
  db.prisma.integrationMapping.findFirstOrThrow({ where: { resourceId, internalId } });

let serial = 0;
/** A task created locally and pushed; returns its id and its Asana gid. */
async function newTask(extra: Partial<{ description: string | null; priority: string | null }> = {}) {
  serial++;
  const created = await db.prisma.tasks.create({
    data: { title: `Task ${serial}`, description: `About ${serial}`, ...extra },
  });
  await drainOutbox(ctx, resourceId);
  const { externalId } = await mappingOf(created.id);
  if (!externalId) throw new Error('task was not pushed');
  return { id: created.id, gid: externalId };
}

async function setStrategy(strategy: ConflictStrategy) {
  await db.prisma.integration.update({ where: { id: integrationId }, data: { conflictStrategy: strategy } });
}

async function syncBothWays() {
  await pullResource(ctx, resourceId);
  await drainOutbox(ctx, resourceId);
}

/** Waits for the sandbox's deliveries, then processes what the ingress stored, oldest first. */
async function processDeliveries() {
  await h.sandbox.webhooks.idle();
  const results = [];
  while (stored.length > 0) results.push(await processWebhookEvent(ctx, stored.shift()!));
  return results;
}

describe('S5: tasks ↔ Asana', () => {
  it('pushes new tasks carrying their id in the external gid, with status and priority as options, and pulls no echo', async () => {
    await db.prisma.tasks.createMany({
      data: [
        {
          title: 'Build the greenhouse',
          description: 'South side',
          status: 'in_progress',
          priority: 'high',
          due_date: new Date('2026-04-01T00:00:00Z'),
        },
        { title: 'Order seeds', status: 'done', completed: true, priority: 'low' },
        { title: 'Private chore', external_sync_enabled: false },
      ],
    });
    const pushed = await drainOutbox(ctx, resourceId);
    expect(pushed).toMatchObject({ created: 2, failed: 0 });
    const greenhouse = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'Build the greenhouse' } });
    const { externalId, status } = await mappingOf(greenhouse.id);
    expect(status).toBe('SYNCED');
    expect(asanaTask(externalId!)).toMatchObject({
      name: 'Build the greenhouse',
      notes: 'South side',
      completed: false,
      due_on: '2026-04-01',
      projects: [project.gid],
      external: { gid: `syncbridge:${project.gid}:${greenhouse.id}`, data: null },
    });
    expect(option(externalId!, 'Status')).toBe('In progress');
    expect(option(externalId!, 'Priority')).toBe('High');
    const seeds = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'Order seeds' } });
    const seedsGid = (await mappingOf(seeds.id)).externalId!;
    expect(asanaTask(seedsGid)).toMatchObject({ completed: true, notes: '', due_on: null });
    expect(option(seedsGid, 'Status')).toBe('Done');
    // Rows not enabled for sync never leave the app.
    expect(
      asanaStore()
        .live()
        .some((t) => t.name === 'Private chore'),
    ).toBe(false);

    // The first pull (a full read, which sets the incremental cursor) finds nothing new.
    const before = writes();
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled).toMatchObject({ processed: 2, added: 0, changed: 0, unchanged: 2, failed: 0 });
    expect((await db.prisma.syncResource.findUniqueOrThrow({ where: { id: resourceId } })).cursor).toContain(
      '"changes"',
    );
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  it('applies an edit made in Asana on the next scheduled (incremental) pull, without echoing it back', async () => {
    const { id, gid } = await newTask();
    asanaStore().update(gid, { name: 'Renamed in Asana', custom_fields: optionGid('Status', 'Done'), completed: true });
    const before = writes();
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled.changed).toBe(1);
    expect(await task(id)).toMatchObject({ title: 'Renamed in Asana', status: 'done', completed: true });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
    expect((await pullResource(ctx, resourceId)).changed).toBe(0);
  });

  it('takes Asana changes in real time from webhooks: handshake, signed deliveries stored once, edits, creates and deletes applied', async () => {
    const webhook = await h.connector.registerWebhook({
      resource: project.gid,
      target: `${target.url}/api/webhooks/integrations/${integrationId}/receive`,
    });
    expect(hookSecret).toMatch(/^[0-9a-f]{64}$/);
    try {
      const { id, gid } = await newTask({ priority: 'medium' });
      await processDeliveries(); // our own create comes back as an event: nothing changes
      expect(await task(id)).toMatchObject({ title: `Task ${serial}`, priority: 'medium' });

      asanaStore().update(gid, { name: 'Edited live', custom_fields: optionGid('Priority', 'High') });
      const made = asanaStore().create({ name: 'Made in Asana', projects: [project.gid], due_on: '2026-05-01' });
      const results = await processDeliveries();
      expect(results).toEqual([{ status: 'PROCESSED', applied: 2, resources: 1 }]);
      expect(await task(id)).toMatchObject({ title: 'Edited live', priority: 'high' });
      const adopted = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'Made in Asana' } });
      expect(adopted).toMatchObject({ status: 'todo', completed: false, due_date: new Date('2026-05-01T00:00:00Z') });
      expect((await mappingOf(adopted.id)).externalId).toBe(made.gid);

      // Asana re-sends a delivery it did not see answered: the same body is stored only once.
      const url = h.sandbox.webhooks.deliveries.at(-1)!.url;
      const replay = await fetch(url, {
        method: 'POST',
        headers: { 'x-hook-signature': lastAccepted!.signature },
        body: new Uint8Array(lastAccepted!.rawBody),
      });
      expect(replay.status).toBe(200);
      expect(received.at(-1)).toEqual({ status: 200, outcome: 'duplicate' });
      expect(stored).toHaveLength(0);
      // A forged delivery is refused.
      const forged = await fetch(url, {
        method: 'POST',
        headers: { 'x-hook-signature': 'ab'.repeat(32) },
        body: '{"events":[]}',
      });
      expect(forged.status).toBe(401);
      expect(received.at(-1)).toEqual({ status: 401, outcome: 'bad_signature' });

      asanaStore().delete(made.gid);
      await processDeliveries();
      expect(await db.prisma.tasks.count({ where: { id: adopted.id } })).toBe(0);
      const before = writes();
      await drainOutbox(ctx, resourceId);
      expect(writes()).toBe(before); // neither the edits nor the delete went back to Asana
    } finally {
      await h.connector.deleteWebhook(webhook.gid);
    }
  });

  it('converges when each side edits a different field', async () => {
    const { id, gid } = await newTask();
    await db.prisma.tasks.update({ where: { id }, data: { description: 'Local notes', updated_at: new Date() } });
    asanaStore().update(gid, { custom_fields: optionGid('Priority', 'Low') });
    await syncBothWays();
    expect(await task(id)).toMatchObject({ description: 'Local notes', priority: 'low' });
    expect(asanaTask(gid).notes).toBe('Local notes');
    expect(option(gid, 'Priority')).toBe('Low');
    const before = writes();
    expect(await pullResource(ctx, resourceId)).toMatchObject({ changed: 0, conflicts: 0 });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  /** The title edited on both sides; the local edit time set as the test needs it. */
  async function conflictOnTitle(localUpdatedAt: Date) {
    const t = await newTask();
    await db.prisma.tasks.update({ where: { id: t.id }, data: { title: 'Local title', updated_at: localUpdatedAt } });
    asanaStore().update(t.gid, { name: 'Asana title' });
    await syncBothWays();
    return { ...t, local: await task(t.id), external: asanaTask(t.gid) };
  }

  it('LATEST_WINS takes the side edited last (tasks.updated_at against modified_at)', async () => {
    await setStrategy('LATEST_WINS');
    const newer = await conflictOnTitle(new Date(Date.now() + 3_600_000));
    expect(newer.local.title).toBe('Local title');
    expect(newer.external.name).toBe('Local title');
    const older = await conflictOnTitle(new Date(Date.now() - 3_600_000));
    expect(older.local.title).toBe('Asana title');
    expect(older.external.name).toBe('Asana title');
    expect(await db.prisma.conflictResolution.count({ where: { resourceId, status: 'PENDING' } })).toBe(0);
  });

  it('EXTERNAL_WINS (set on the resource, over the integration’s LATEST_WINS) takes Asana’s value even when the local edit is newer', async () => {
    await setStrategy('LATEST_WINS');
    await db.prisma.syncResource.update({ where: { id: resourceId }, data: { conflictStrategy: 'EXTERNAL_WINS' } });
    try {
      const r = await conflictOnTitle(new Date(Date.now() + 3_600_000));
      expect(r.local.title).toBe('Asana title');
      expect(r.external.name).toBe('Asana title');
      expect((await mappingOf(r.id)).status).toBe('SYNCED');
    } finally {
      await db.prisma.syncResource.update({ where: { id: resourceId }, data: { conflictStrategy: null } });
    }
  });

  it('MANUAL_REVIEW holds the task for an admin, then applies a per-field choice to both sides', async () => {
    await setStrategy('MANUAL_REVIEW');
    const { id, gid } = await newTask({ priority: 'low' });
    await db.prisma.tasks.update({
      where: { id },
      data: { title: 'Local title', priority: 'medium', updated_at: new Date() },
    });
    asanaStore().update(gid, { name: 'Asana title', custom_fields: optionGid('Priority', 'High') });
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled.conflicts).toBe(1);

    const conflict = await db.prisma.conflictResolution.findFirstOrThrow({
      where: { internalId: id, status: 'PENDING' },
    });
    expect(conflict.conflictedFields).toEqual(['name', 'custom_fields.Priority']);
    expect(conflict.externalId).toBe(gid);
    expect((await mappingOf(id)).status).toBe('CONFLICT');

    // While it is open, neither side overwrites the other.
    await syncBothWays();
    expect(await task(id)).toMatchObject({ title: 'Local title', priority: 'medium' });
    expect(asanaTask(gid).name).toBe('Asana title');
    expect(option(gid, 'Priority')).toBe('High');

    const result = await applyConflictResolution(ctx, conflict.id, {
      choice: 'fields',
      fields: { name: 'local', 'custom_fields.Priority': 'external' },
    });
    expect(result).toMatchObject({ pushed: true, values: { name: 'Local title', 'custom_fields.Priority': 'High' } });
    await drainOutbox(ctx, resourceId);
    expect(await task(id)).toMatchObject({ title: 'Local title', priority: 'high' });
    expect(asanaTask(gid).name).toBe('Local title');
    expect(option(gid, 'Priority')).toBe('High');
    expect((await db.prisma.conflictResolution.findUniqueOrThrow({ where: { id: conflict.id } })).status).toBe(
      'RESOLVED',
    );
    expect((await mappingOf(id)).status).toBe('SYNCED');

    const again = await pullResource(ctx, resourceId);
    expect(again).toMatchObject({ changed: 0, conflicts: 0 });
    expect(await db.prisma.conflictResolution.count({ where: { internalId: id, status: 'PENDING' } })).toBe(0);
  });

  it('deletes both ways: a local delete removes the Asana task, a task gone from Asana is found by a full read', async () => {
    await setStrategy('LATEST_WINS');
    const local = await newTask();
    await db.prisma.tasks.delete({ where: { id: local.id } });
    await drainOutbox(ctx, resourceId);
    expect(asanaStore().task(local.gid)).toBeUndefined();

    const remote = await newTask();
    asanaStore().delete(remote.gid); // no webhook registered now: only a full read can tell
    expect((await pullResource(ctx, resourceId)).removed).toBe(0);
    expect((await pullResource(ctx, resourceId, { full: true })).removed).toBe(1);
    expect(await db.prisma.tasks.count({ where: { id: remote.id } })).toBe(0);
  });
});
