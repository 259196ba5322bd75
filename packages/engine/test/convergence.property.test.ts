// Model-based property test of two-way sync against a real Postgres and the REST sandbox over HTTP.
// fast-check generates scenarios: rounds of local and external edits (inserts, updates, deletes,
// the external ones through the sandbox's HTTP API), then random interleavings of pushes, pulls,
// webhook deliveries (any event of the run, so duplicated and out of order), injected faults
// (5xx, 429, timeouts, dropped connections), more one-sided edits, and worker crashes (the engine
// call stops for good right after a write landed or after some pull pages were applied, as a
// killed process would). After each round the faults heal and push + pull run until quiet; then
// the local table and the external records must hold the same records, no duplicates on either
// side, no outbox rows left, and the values a simple per-field model predicts for the conflict
// strategy under test (MANUAL_REVIEW: a PENDING conflict and both sides untouched, until an admin
// picks a side).
//
// The model is exact because of two scenario rules: a record edited on both sides in a round is
// edited before any sync of that round, and externally at most once (so no intermediate external
// version can be observed); edits during the syncs touch records edited on one side only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRestConnector, type ChangePage, type Connector } from '@syncbridge/connectors';
import { createRestSandbox, type RestSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import type { ConflictStrategy } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import type { EngineContext } from '../src/context.ts';
import { restTaskMappings } from '../src/presets/rest-tasks.ts';
import { pullResource } from '../src/pull.ts';
import { drainOutbox } from '../src/push.ts';
import { applyConflictResolution } from '../src/resolve.ts';
import { saveResource } from '../src/resources.ts';
import { retryFailedItems } from '../src/retry.ts';
import { processWebhookEvent } from '../src/webhooks.ts';
import { externalRecords } from './rest-harness.ts';
import { engineContext } from './support.ts';

const TOKEN = 'convergence-token';
/**
 * Random scenarios per strategy (on top of the replayed counterexamples); ~0.5 s each.
 * CONVERGENCE_RUNS=500 hunts for more counterexamples; CONVERGENCE_SEED replays a reported run.
 */
const RUNS = Number(process.env.CONVERGENCE_RUNS ?? 10);
const SEED = process.env.CONVERGENCE_SEED === undefined ? undefined : Number(process.env.CONVERGENCE_SEED);
/** A scenario still running after this long is stuck: it fails with its seed, like any counterexample. */
const SCENARIO_TIMEOUT_MS = 20_000;
const MERGE_RULES = {
  fields: { title: 'concatenate', notes: 'prefer_local', due: 'max' },
  default: 'prefer_external',
  separator: ' + ',
} as const;

const db = useTestDatabase();

// ── The world: one sandbox, one integration, one two-way resource for the whole file ──────────

/** Sandbox time runs ahead of the wall clock by a step per edit, so every edit has its own instant. */
let clockOffset = 0;
const clock = () => Date.now() + clockOffset;
const tick = () => {
  clockOffset += 5;
  return clock();
};

const phase = { syncing: false };
/** What the runs exercised, printed at the end (a property that never meets a conflict proves little). */
const stats = { scenarios: 0, rounds: 0, crashes: 0, faults: 0, deliveries: 0, bothSides: 0, overlapping: 0, gone: 0 };
let sandbox: RestSandbox;
let server: SandboxServer;
let ctx: EngineContext;
let integrationId: string;
let resourceId: string;

/** Makes the next engine call stop for good at a chosen point, like a killed worker. */
const crash = {
  armed: null as null | { on: 'write' | 'page'; after: number; hit: () => void },
  arm(on: 'write' | 'page', after: number): Promise<void> {
    return new Promise((resolve) => (this.armed = { on, after, hit: resolve }));
  },
  /** True when the armed crash happens now (the caller then never returns). */
  due(on: 'write' | 'page'): boolean {
    const armed = this.armed;
    if (!armed || armed.on !== on) return false;
    if (armed.after-- > 0) return false;
    this.armed = null;
    armed.hit();
    return true;
  },
};
const never = () => new Promise<never>(() => undefined);

function crashable(inner: Connector): Connector {
  return {
    ...inner,
    // The write reached the external system; the process dies before it records the result.
    upsertBatch: async (ref, items) => {
      const results = await inner.upsertBatch(ref, items);
      return crash.due('write') ? never() : results;
    },
    deleteBatch: async (ref, items) => {
      const results = await inner.deleteBatch(ref, items);
      return crash.due('write') ? never() : results;
    },
    // Pages before the crash were applied (and their cursor committed); the process dies asking for the next.
    listChanges: async function* (ref, cursor, options): AsyncGenerator<ChangePage> {
      for await (const page of inner.listChanges(ref, cursor, options)) {
        if (crash.due('page')) await never();
        yield page;
      }
    },
  };
}

beforeAll(async () => {
  sandbox = createRestSandbox({ token: TOKEN, clock, requestsPerWindow: 1_000_000 });
  server = await sandbox.start();
  // Deliveries are captured, not sent: the test plays the ingress and chooses what arrives when.
  sandbox.webhooks.configure({ url: 'http://127.0.0.1:9/unused', secret: 'whsec_convergence' });
  sandbox.webhooks.pause();
  const options = { baseUrl: server.url, token: TOKEN, timeoutMs: 300, requestsPerWindow: 1_000_000 };
  // During the syncs, small batches and pages: several requests per run, so faults and crashes
  // land mid-run. Healing uses the defaults (fewer round trips).
  const small = crashable(createRestConnector({ ...options, maxBatchSize: 3, pageSize: 3 }));
  const large = createRestConnector(options);
  ctx = engineContext(db, { connectorFor: () => (phase.syncing ? small : large) });
  const integration = await db.prisma.integration.create({
    data: { name: 'Convergence', type: 'GENERIC_REST', baseUrl: server.url, direction: 'BIDIRECTIONAL' },
  });
  integrationId = integration.id;
  const resource = await saveResource(ctx, {
    integrationId,
    name: 'tasks',
    resourceType: 'TASK',
    localTable: 'tasks',
    localKeyColumn: 'id',
    externalObject: 'tasks',
    externalKeyField: 'internal_id',
    direction: 'BIDIRECTIONAL',
    deletePolicy: 'DELETE',
    fieldMappings: restTaskMappings,
    customMergeRules: MERGE_RULES,
    options: { updatedAtColumn: 'updated_at' },
  });
  resourceId = resource.id;
});

afterAll(async () => {
  console.log(`convergence: ${JSON.stringify(stats)}`);
  sandbox?.faults.releaseHanging();
  await server?.close();
});

async function reset(strategy: ConflictStrategy): Promise<void> {
  sandbox.faults.clear();
  sandbox.faults.releaseHanging();
  crash.armed = null;
  sandbox.store.clear();
  // Deletes, not TRUNCATE: a few rows go much faster this way (the capture trigger's outbox rows
  // for the deleted tasks go with the outbox).
  for (const table of [
    'tasks',
    'integration_mappings',
    'change_outbox',
    'conflict_resolutions',
    'webhook_events',
    'sync_logs',
    'job_executions',
    'alerts',
    'rate_limit_events',
  ])
    await db.pool.query(`delete from ${table}`);
  await db.pool.query(`update sync_resources set cursor = null where id = $1`, [resourceId]);
  await db.pool.query(`update integrations set status = 'ACTIVE', conflict_strategy = $2 where id = $1`, [
    integrationId,
    strategy,
  ]);
}

// ── The external actor: a person editing through the sandbox's HTTP API ───────────────────────

const FIELDS = ['title', 'notes', 'status', 'due', 'done'] as const;
type Field = (typeof FIELDS)[number];
/** The model keeps every value as text; `done` is 'true' or 'false'. */
type Values = Record<Field, string>;
const COLUMN: Record<Field, string> = {
  title: 'title',
  notes: 'description',
  status: 'status',
  due: 'due_date',
  done: 'completed',
};
/** Values as the records API takes them. */
const apiFields = (values: Partial<Values>) =>
  Object.fromEntries(Object.entries(values).map(([f, v]) => [f, f === 'done' ? v === 'true' : v]));

/**
 * Faults armed for the engine hit whoever asks next; the person simply tries again. Retries are
 * safe: a create carries a key of its own (a repeat is refused as duplicate_key), an update sets
 * the same values again and a repeated delete finds the record gone.
 */
async function external(method: string, path: string, body?: unknown): Promise<{ id: string; updated_at: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${server.url}/v1/collections/tasks/records${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(300),
      });
    } catch {
      continue; // dropped or left hanging: nothing was applied
    }
    if (response.status === 429 || response.status >= 500) {
      await response.arrayBuffer();
      continue;
    }
    if (attempt > 0 && method === 'POST' && response.status === 409) {
      const { existing_id } = (await response.json()) as { existing_id: string };
      return external('GET', `/${existing_id}`);
    }
    if (attempt > 0 && method === 'DELETE' && response.status === 404) {
      await response.arrayBuffer();
      return { id: path.slice(1), updated_at: '' };
    }
    if (!response.ok) throw new Error(`external ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; updated_at: string };
  }
  throw new Error(`external ${method} ${path}: no answer`);
}

// ── The model ──────────────────────────────────────────────────────────────────────────────────

interface ModelRecord {
  n: number;
  localId: string | null;
  externalId: string | null;
  /** What both sides agreed on at the start of the round (null: created this round). */
  base: Values | null;
  /** Each side's current values; null once deleted on that side (or not there yet). */
  local: Values | null;
  external: Values | null;
  /** This round: edits per side (updates, deletes, creation), external updates, last edit times. */
  localEdits: number;
  externalEdits: number;
  externalUpdates: number;
  localAt: number;
  externalAt: number;
}

let valueCounter = 0;
function freshValues(fields: readonly Field[]): Partial<Values> {
  const n = ++valueCounter;
  const all: Values = {
    title: `T${n}`,
    notes: `N${n}`,
    status: `S${n}`,
    due: new Date(Date.UTC(2030, 0, 1) + n * 3_600_000).toISOString(),
    done: String(n % 3 === 0),
  };
  return Object.fromEntries(fields.map((f) => [f, all[f]]));
}

function resolveField(strategy: ConflictStrategy, r: ModelRecord, f: Field): string {
  const l = r.local![f];
  const e = r.external![f];
  switch (strategy) {
    case 'LOCAL_WINS':
      return l;
    case 'EXTERNAL_WINS':
      return e;
    case 'LATEST_WINS':
      return r.localAt >= r.externalAt ? l : e;
    case 'CUSTOM_MERGE': {
      const rule = (MERGE_RULES.fields as Record<string, string>)[f] ?? MERGE_RULES.default;
      if (rule === 'concatenate') return `${l}${MERGE_RULES.separator}${e}`;
      if (rule === 'prefer_local') return l;
      if (rule === 'max') return Date.parse(l) >= Date.parse(e) ? l : e;
      return e;
    }
    case 'MANUAL_REVIEW':
      throw new Error('manual conflicts are not resolved by the model');
  }
}

type Expectation =
  | { kind: 'gone' }
  | { kind: 'synced'; values: Values }
  | { kind: 'conflict'; fields: Field[]; local: Values; external: Values };

/** What the round must end with for one record. */
function expectFor(strategy: ConflictStrategy, r: ModelRecord): Expectation {
  if (r.base === null) {
    const values = r.local ?? r.external;
    return values ? { kind: 'synced', values } : { kind: 'gone' };
  }
  if (r.localEdits > 0 && r.externalEdits > 0) stats.bothSides++;
  if (!r.local || !r.external) {
    stats.gone++;
    return { kind: 'gone' }; // a delete on either side wins
  }
  const overlapping = FIELDS.filter(
    (f) => r.local![f] !== r.base![f] && r.external![f] !== r.base![f] && r.local![f] !== r.external![f],
  );
  if (overlapping.length > 0) stats.overlapping++;
  if (strategy === 'MANUAL_REVIEW' && overlapping.length > 0)
    return { kind: 'conflict', fields: overlapping, local: r.local, external: r.external };
  const values = Object.fromEntries(
    FIELDS.map((f) => [
      f,
      overlapping.includes(f)
        ? resolveField(strategy, r, f)
        : r.external![f] !== r.base![f]
          ? r.external![f]
          : r.local![f],
    ]),
  ) as Values;
  return { kind: 'synced', values };
}

// ── Scenarios ──────────────────────────────────────────────────────────────────────────────────

type Side = 'local' | 'external';
type Edit =
  | { op: 'update'; side: Side; pick: number; fields: Field[] }
  | { op: 'insert'; side: Side }
  | { op: 'delete'; side: Side; pick: number };
type BothEdit = { op: 'both'; pick: number; localFields: Field[]; externalFields: Field[]; localFirst: boolean };
type SyncOp =
  | { op: 'push' }
  | { op: 'pull' }
  | { op: 'retry' }
  | { op: 'webhook'; pick: number; twice: boolean }
  | { op: 'fault'; fault: 'error' | 'rate_limit' | 'timeout' | 'drop'; count: number }
  | { op: 'crash'; during: 'push' | 'pull'; after: number }
  | Edit;
interface Round {
  edits: (Edit | BothEdit)[];
  syncs: SyncOp[];
}
interface Scenario {
  seedLocal: number;
  seedExternal: number;
  rounds: Round[];
}

const side = fc.constantFrom<Side>('local', 'external');
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('update' as const),
      side,
      pick: fc.nat(20),
      fields: fc.subarray([...FIELDS], { minLength: 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), side }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), side, pick: fc.nat(20) }) },
);
const fieldsArb = fc.subarray([...FIELDS], { minLength: 1 });
/** Before the syncs, edits also hit one record on both sides (the conflicts the strategies are about). */
const roundEditArb: fc.Arbitrary<Edit | BothEdit> = fc.oneof(
  { weight: 3, arbitrary: editArb },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('both' as const),
      pick: fc.nat(20),
      localFields: fieldsArb,
      externalFields: fieldsArb,
      localFirst: fc.boolean(),
    }),
  },
);
const syncArb: fc.Arbitrary<SyncOp> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ op: 'push' as const }) },
  { weight: 4, arbitrary: fc.constant({ op: 'pull' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'retry' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('webhook' as const), pick: fc.nat(50), twice: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('fault' as const),
      fault: fc.constantFrom('error' as const, 'rate_limit' as const, 'timeout' as const, 'drop' as const),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('crash' as const),
      during: fc.constantFrom('push' as const, 'pull' as const),
      after: fc.nat(2),
    }),
  },
  { weight: 2, arbitrary: editArb },
);
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  seedLocal: fc.integer({ min: 1, max: 3 }),
  seedExternal: fc.integer({ min: 0, max: 3 }),
  rounds: fc.array(
    fc.record({
      edits: fc.array(roundEditArb, { minLength: 1, maxLength: 6 }),
      syncs: fc.array(syncArb, { maxLength: 8 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

// ── Running a scenario ─────────────────────────────────────────────────────────────────────────

class Run {
  records: ModelRecord[] = [];
  trace: string[] = [];
  snapshot = '';
  private firstEvent = sandbox.webhooks.events.length;
  private deliveries = 0;

  constructor(private readonly strategy: ConflictStrategy) {}

  private newRecord(): ModelRecord {
    const r: ModelRecord = {
      n: this.records.length,
      localId: null,
      externalId: null,
      base: null,
      local: null,
      external: null,
      localEdits: 0,
      externalEdits: 0,
      externalUpdates: 0,
      localAt: 0,
      externalAt: 0,
    };
    this.records.push(r);
    return r;
  }

  /** Applies an edit if the scenario rules allow it; `duringSyncs`: one-sided records only. */
  async edit(e: Edit, duringSyncs: boolean): Promise<void> {
    const label = `${e.side} ${e.op}`;
    if (e.op === 'insert') {
      const r = this.newRecord();
      const values = freshValues(FIELDS) as Values;
      if (e.side === 'local') {
        const at = tick();
        const { rows } = await db.pool.query<{ id: string }>(
          `insert into tasks (title, description, status, due_date, completed, updated_at) values ($1, $2, $3, $4, $5, $6) returning id::text`,
          [values.title, values.notes, values.status, values.due, values.done === 'true', new Date(at)],
        );
        Object.assign(r, { localId: rows[0]!.id, local: values, localEdits: 1, localAt: at });
      } else {
        tick();
        const created = await external('POST', '', { key: `person-${randomUUID()}`, fields: apiFields(values) });
        Object.assign(r, { externalId: created.id, external: values, externalEdits: 1 });
        r.externalAt = Date.parse(created.updated_at);
      }
      this.trace.push(`${label} #${r.n} ${JSON.stringify(values)}`);
      return;
    }
    const candidates = this.records.filter((r) => {
      const mine = e.side === 'local' ? r.local && r.localId : r.external && r.externalId;
      if (!mine) return false;
      const otherEdits = e.side === 'local' ? r.externalEdits : r.localEdits;
      if (duringSyncs) return otherEdits === 0;
      // Both sides in one round: the external side changes once at most (no intermediate versions).
      if (e.side === 'local') return r.externalUpdates < 2;
      return e.op === 'delete' || r.externalUpdates === 0 || r.localEdits === 0;
    });
    const r = candidates[e.pick % Math.max(1, candidates.length)];
    if (!r) return;
    if (e.op === 'delete') {
      if (e.side === 'local') {
        tick();
        await db.pool.query('delete from tasks where id = $1', [r.localId]);
        r.local = null;
        r.localEdits++;
      } else {
        tick();
        await external('DELETE', `/${r.externalId}`);
        r.external = null;
        r.externalEdits++;
      }
      this.trace.push(`${e.side} delete #${r.n}`);
      return;
    }
    await this.update(r, e.side, e.fields);
  }

  private async update(r: ModelRecord, side: Side, fields: Field[]): Promise<void> {
    const patch = freshValues(fields);
    if (side === 'local') {
      const at = tick();
      const sets = fields.map((f, i) => `${COLUMN[f]} = $${i + 2}`);
      await db.pool.query(`update tasks set ${sets.join(', ')}, updated_at = $${fields.length + 2} where id = $1`, [
        r.localId,
        ...fields.map((f) => (f === 'done' ? patch[f] === 'true' : patch[f])),
        new Date(at),
      ]);
      r.local = { ...r.local!, ...patch };
      r.localEdits++;
      r.localAt = at;
    } else {
      tick();
      const updated = await external('PATCH', `/${r.externalId}`, { fields: apiFields(patch) });
      r.external = { ...r.external!, ...patch };
      r.externalEdits++;
      r.externalUpdates++;
      r.externalAt = Date.parse(updated.updated_at);
    }
    this.trace.push(`${side} update #${r.n} ${JSON.stringify(patch)}`);
  }

  /** The same record edited on both sides before the syncs: a candidate conflict. */
  async editBoth(e: BothEdit): Promise<void> {
    const candidates = this.records.filter(
      (r) => r.local && r.localId && r.external && r.externalId && r.externalUpdates === 0,
    );
    const r = candidates[e.pick % Math.max(1, candidates.length)];
    if (!r) return;
    for (const side of e.localFirst ? (['local', 'external'] as const) : (['external', 'local'] as const))
      await this.update(r, side, side === 'local' ? e.localFields : e.externalFields);
  }

  async sync(s: SyncOp): Promise<void> {
    switch (s.op) {
      case 'update':
      case 'insert':
      case 'delete':
        return this.edit(s, true);
      case 'push':
        this.trace.push('push');
        await drainOutbox(ctx, resourceId).catch(() => undefined);
        return;
      case 'pull':
        this.trace.push('pull');
        await pullResource(ctx, resourceId).catch(() => undefined);
        return;
      case 'retry':
        this.trace.push('retry due items');
        await retryFailedItems(ctx, resourceId);
        return;
      case 'fault':
        stats.faults++;
        this.trace.push(`fault: next ${s.count} request(s) ${s.fault}`);
        sandbox.faults.failNext(s.count, s.fault, s.fault === 'error' ? { status: 503 } : undefined);
        return;
      case 'crash': {
        stats.crashes++;
        this.trace.push(`crash during ${s.during} after ${s.after} ${s.during === 'push' ? 'write(s)' : 'page(s)'}`);
        const crashed = crash.arm(s.during === 'push' ? 'write' : 'page', s.after);
        const call = s.during === 'push' ? drainOutbox(ctx, resourceId) : pullResource(ctx, resourceId);
        await Promise.race([call.catch(() => undefined), crashed]);
        crash.armed = null;
        return;
      }
      case 'webhook': {
        const events = sandbox.webhooks.events.slice(this.firstEvent);
        const event = events[s.pick % Math.max(1, events.length)];
        if (!event) return;
        stats.deliveries++;
        this.trace.push(`webhook ${event.id} ${event.type} ${event.record.id}${s.twice ? ' (job ran twice)' : ''}`);
        // Each delivery is its own stored event (a re-delivery under a new id); a job may run twice.
        const row = await db.prisma.webhookEvent.create({
          data: {
            integrationId,
            dedupeKey: `${event.id}#${++this.deliveries}`,
            rawBody: JSON.stringify(event),
            headers: {},
          },
        });
        // A failed job (the system could not be asked) is retried by the queue: see heal().
        await processWebhookEvent(ctx, row.id).catch(() => undefined);
        if (s.twice) await processWebhookEvent(ctx, row.id).catch(() => undefined);
        return;
      }
    }
  }

  /** Faults off, then push and pull until nothing moves; returns the rounds it took. */
  async heal(): Promise<number> {
    sandbox.faults.clear();
    sandbox.faults.releaseHanging();
    crash.armed = null;
    for (let i = 1; i <= 8; i++) {
      // The queue retries failed webhook jobs; an admin retries failed records.
      const failed = await db.prisma.webhookEvent.findMany({ where: { integrationId, status: 'FAILED' } });
      for (const event of failed) await processWebhookEvent(ctx, event.id);
      await retryFailedItems(ctx, resourceId);
      const first = await drainOutbox(ctx, resourceId);
      const pulled = await pullResource(ctx, resourceId);
      const second = await drainOutbox(ctx, resourceId);
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from integration_mappings where resource_id = $1 and status not in ('SYNCED', 'CONFLICT')`,
        [resourceId],
      );
      // What the first drain wrote came back to the pull as echoes: quiet when the pull changed
      // nothing locally and nothing was left to push or to retry.
      const moved = second.processed + pulled.added + pulled.changed + pulled.removed + pulled.failed;
      const retriable = failed.length + first.failed + second.failed;
      if (moved === 0 && retriable === 0 && rows[0]!.n === 0) return i;
    }
    throw new Error('push + pull did not settle after 8 rounds');
  }

  /** Local rows, external records and mappings agree with each other and with the model. */
  async check(label: string): Promise<Map<ModelRecord, Expectation>> {
    const { rows: locals } = await db.pool.query<{
      id: string;
      title: string;
      description: string | null;
      status: string;
      completed: boolean;
      due_date: Date | null;
    }>('select id::text, title, description, status, completed, due_date from tasks');
    const externals = externalRecords(sandbox);
    const { rows: mappings } = await db.pool.query<{ internal_id: string; external_id: string | null; status: string }>(
      'select internal_id, external_id, status::text from integration_mappings where resource_id = $1',
      [resourceId],
    );
    // On failure the trace ends with what both sides and the mapping table held.
    this.snapshot = JSON.stringify({
      local: locals.map((l) => ({ ...l, due_date: l.due_date?.toISOString() })),
      external: externals.map((x) => ({ id: x.id, key: x.key, fields: x.fields })),
      mappings,
    });
    const outbox = await db.prisma.changeOutbox.count({ where: { resourceId } });
    expect(outbox, `${label}: outbox rows left`).toBe(0);

    // One mapping per local row and per external record: no duplicates, nothing unpaired.
    const localById = new Map(locals.map((l) => [l.id, l]));
    const externalById = new Map(externals.map((x) => [x.id, x]));
    expect(new Set(mappings.map((m) => m.external_id)).size, `${label}: two mappings share an external record`).toBe(
      mappings.length,
    );
    for (const m of mappings) {
      expect(m.external_id, `${label}: mapping of ${m.internal_id} has no external record`).not.toBeNull();
      expect(localById.has(m.internal_id), `${label}: mapping of a missing local row ${m.internal_id}`).toBe(true);
      expect(externalById.has(m.external_id!), `${label}: mapping to a missing external record ${m.external_id}`).toBe(
        true,
      );
    }
    expect(mappings.length, `${label}: local rows without a mapping`).toBe(locals.length);
    expect(mappings.length, `${label}: external records without a mapping`).toBe(externals.length);
    const keys = externals.map((x) => x.key).filter((k) => k !== null);
    expect(new Set(keys).size, `${label}: duplicate external keys`).toBe(keys.length);

    const byLocal = new Map(mappings.map((m) => [m.internal_id, m]));
    const byExternal = new Map(mappings.map((m) => [m.external_id!, m]));
    const localValues = (id: string): Values => {
      const l = localById.get(id)!;
      return {
        title: l.title,
        notes: l.description ?? '',
        status: l.status,
        due: l.due_date?.toISOString() ?? '',
        done: String(l.completed),
      };
    };
    const externalValues = (id: string): Values => {
      const f = externalById.get(id)!.fields as Record<string, unknown>;
      return {
        title: String(f.title),
        notes: String(f.notes ?? ''),
        status: String(f.status),
        due: String(f.due ?? ''),
        done: String(f.done),
      };
    };

    const expectations = new Map<ModelRecord, Expectation>();
    let alive = 0;
    const conflicts = await db.prisma.conflictResolution.findMany({ where: { resourceId, status: 'PENDING' } });
    const pendingFor = new Set<string>();
    for (const r of this.records) {
      const want = expectFor(this.strategy, r);
      expectations.set(r, want);
      const m = r.localId ? byLocal.get(r.localId) : r.externalId ? byExternal.get(r.externalId) : undefined;
      const name = `${label}: record #${r.n}`;
      if (want.kind === 'gone') {
        expect(m, `${name} should be gone on both sides`).toBeUndefined();
        if (r.localId) expect(localById.has(r.localId), `${name} came back locally`).toBe(false);
        if (r.externalId) expect(externalById.has(r.externalId), `${name} came back externally`).toBe(false);
        continue;
      }
      alive++;
      expect(m, `${name} is not mapped`).toBeDefined();
      if (r.localId) expect(m!.internal_id, `${name} maps another local row`).toBe(r.localId);
      if (r.externalId) expect(m!.external_id, `${name} maps another external record`).toBe(r.externalId);
      r.localId = m!.internal_id;
      r.externalId = m!.external_id;
      const local = localValues(m!.internal_id);
      const ext = externalValues(m!.external_id!);
      if (want.kind === 'conflict') {
        expect(m!.status, `${name} mapping status`).toBe('CONFLICT');
        expect(local, `${name} local side must stay untouched`).toEqual(want.local);
        expect(ext, `${name} external side must stay untouched`).toEqual(want.external);
        const conflict = conflicts.find((c) => c.internalId === m!.internal_id);
        expect(conflict, `${name} has no PENDING conflict`).toBeDefined();
        expect([...conflict!.conflictedFields].sort(), `${name} conflicted fields`).toEqual([...want.fields].sort());
        pendingFor.add(m!.internal_id);
      } else {
        expect(m!.status, `${name} mapping status`).toBe('SYNCED');
        expect(local, `${name} local values`).toEqual(want.values);
        expect(ext, `${name} external values`).toEqual(want.values);
      }
    }
    expect(locals.length, `${label}: local rows nobody made (or duplicates)`).toBe(alive);
    expect(externals.length, `${label}: external records nobody made (or duplicates)`).toBe(alive);
    const stray = conflicts.filter((c) => localById.has(c.internalId) && !pendingFor.has(c.internalId));
    expect(
      stray.map((c) => c.internalId),
      `${label}: unexpected PENDING conflicts`,
    ).toEqual([]);
    return expectations;
  }

  /** The agreed state becomes the next round's base. */
  settle(values: Map<ModelRecord, Values | null>): void {
    for (const r of this.records) {
      const v = values.get(r) ?? null;
      Object.assign(r, {
        base: v,
        local: v,
        external: v,
        localEdits: 0,
        externalEdits: 0,
        externalUpdates: 0,
        localAt: 0,
        externalAt: 0,
      });
      if (!v) r.localId = r.externalId = null;
    }
    this.records = this.records.filter((r) => r.base !== null);
  }

  async round(index: number, round: Round): Promise<void> {
    stats.rounds++;
    this.trace.push(`── round ${index}: edits`);
    for (const e of round.edits) await (e.op === 'both' ? this.editBoth(e) : this.edit(e, false));
    this.trace.push(`── round ${index}: syncs`);
    phase.syncing = true;
    for (const s of round.syncs) await this.sync(s);
    phase.syncing = false;
    const heals = await this.heal();
    this.trace.push(`── round ${index}: healed in ${heals}`);
    const expectations = await this.check(`round ${index}`);
    const agreed = new Map<ModelRecord, Values | null>();
    const conflicts = [...expectations].filter(([, want]) => want.kind === 'conflict');
    for (const [r, want] of expectations) agreed.set(r, want.kind === 'synced' ? want.values : null);
    if (conflicts.length === 0) return this.settle(agreed);

    // An admin settles each conflict, alternating sides; both systems then hold that side's values.
    for (const [i, [r, want]] of conflicts.entries()) {
      if (want.kind !== 'conflict') continue;
      const choice = i % 2 === 0 ? 'local' : 'external';
      const conflict = await db.prisma.conflictResolution.findFirstOrThrow({
        where: { resourceId, internalId: r.localId!, status: 'PENDING' },
      });
      this.trace.push(`admin keeps the ${choice} side of #${r.n}`);
      await applyConflictResolution(ctx, conflict.id, { choice });
      agreed.set(r, choice === 'local' ? want.local : want.external);
      // What the check expects now: synced with the chosen values.
      r.base = r.local = r.external = choice === 'local' ? want.local : want.external;
    }
    await this.heal();
    await this.check(`round ${index}, after the admin resolved`);
    this.settle(agreed);
  }

  async seed(scenario: Scenario): Promise<void> {
    for (let i = 0; i < scenario.seedLocal; i++) await this.edit({ op: 'insert', side: 'local' }, false);
    for (let i = 0; i < scenario.seedExternal; i++) await this.edit({ op: 'insert', side: 'external' }, false);
    await this.heal();
    const expectations = await this.check('seed');
    const agreed = new Map<ModelRecord, Values | null>();
    for (const [r, want] of expectations) agreed.set(r, want.kind === 'synced' ? want.values : null);
    this.settle(agreed);
  }
}

/**
 * Counterexamples this property found (each fixed in the engine), replayed on every run:
 * - a delayed delivery of a version older than our own last write rolled the local row back
 *   (a push did not record the version it created);
 * - a late delivery of a record's creation, after its delete had synced, brought it back locally;
 * - MANUAL_REVIEW: a late delivery of a record's creation, after an admin kept the external side of
 *   its conflict, rolled the local row back (the conflict did not record the external version).
 */
const REGRESSIONS: Scenario[] = [
  {
    seedLocal: 1,
    seedExternal: 1,
    rounds: [
      { edits: [{ op: 'update', side: 'local', pick: 3, fields: ['due'] }], syncs: [] },
      {
        edits: [{ op: 'update', side: 'local', pick: 0, fields: ['status'] }],
        syncs: [{ op: 'webhook', pick: 0, twice: false }],
      },
    ],
  },
  {
    seedLocal: 0,
    seedExternal: 1,
    rounds: [
      {
        edits: [{ op: 'delete', side: 'local', pick: 0 }],
        syncs: [{ op: 'push' }, { op: 'crash', during: 'pull', after: 1 }, { op: 'webhook', pick: 0, twice: false }],
      },
    ],
  },
  {
    seedLocal: 0,
    seedExternal: 0,
    rounds: [
      {
        edits: [{ op: 'insert', side: 'local' }],
        syncs: [{ op: 'crash', during: 'push', after: 0 }, { op: 'pull' }],
      },
    ],
  },
  {
    seedLocal: 0,
    seedExternal: 0,
    rounds: [
      {
        edits: [{ op: 'insert', side: 'local' }],
        syncs: [
          { op: 'crash', during: 'push', after: 0 },
          { op: 'webhook', pick: 0, twice: false },
        ],
      },
    ],
  },
  {
    seedLocal: 0,
    seedExternal: 0,
    rounds: [
      {
        edits: [{ op: 'insert', side: 'local' }],
        syncs: [{ op: 'crash', during: 'push', after: 0 }, { op: 'delete', side: 'local', pick: 0 }, { op: 'push' }],
      },
    ],
  },
  {
    seedLocal: 3,
    seedExternal: 3,
    rounds: [
      {
        edits: [
          { op: 'update', side: 'local', pick: 0, fields: ['due', 'done'] },
          { op: 'insert', side: 'local' },
          { op: 'update', side: 'local', pick: 5, fields: ['status'] },
          { op: 'both', pick: 7, localFields: ['due', 'done'], externalFields: ['due', 'done'], localFirst: false },
          { op: 'update', side: 'external', pick: 14, fields: ['status', 'done'] },
        ],
        syncs: [],
      },
      {
        edits: [{ op: 'update', side: 'local', pick: 0, fields: ['due'] }],
        syncs: [{ op: 'webhook', pick: 13, twice: false }],
      },
    ],
  },
];

const STRATEGIES: ConflictStrategy[] = ['LATEST_WINS', 'LOCAL_WINS', 'EXTERNAL_WINS', 'MANUAL_REVIEW', 'CUSTOM_MERGE'];

describe('two-way sync converges to the model under faults, crashes and unruly webhooks', () => {
  for (const strategy of STRATEGIES) {
    it(
      strategy,
      async () => {
        await fc.assert(
          fc.asyncProperty(scenarioArb, async (scenario) => {
            await reset(strategy);
            stats.scenarios++;
            const run = new Run(strategy);
            try {
              await run.seed(scenario);
              for (const [i, round] of scenario.rounds.entries()) await run.round(i + 1, round);
            } catch (error) {
              if (error instanceof Error)
                error.message += `\n  trace:\n    ${run.trace.join('\n    ')}\n  state: ${run.snapshot}`;
              throw error;
            }
          }),
          // Replayed counterexamples count as runs: RUNS random scenarios come on top.
          {
            numRuns: RUNS + REGRESSIONS.length,
            examples: REGRESSIONS.map((scenario): [Scenario] => [scenario]),
            timeout: SCENARIO_TIMEOUT_MS,
            seed: SEED,
          },
        );
      },
      180_000 + RUNS * 2_000,
    );
  }
});
