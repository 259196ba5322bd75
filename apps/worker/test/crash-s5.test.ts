// Flow S5 (members ↔ HubSpot contacts, two-way) with the worker SIGKILLed at seeded random API
// requests, pushes and pulls alike, while members are added and edited in the app and contacts
// are added and edited in HubSpot. The app owns names, HubSpot owns phone and role, so the merged
// state is known exactly: at the end both sides hold it, each person once.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  createHubSpotSandbox,
  HUBSPOT_TOKEN,
  startSandbox,
  type SandboxServer,
} from '@syncbridge/connectors/sandboxes';
import {
  enqueueIntegrationSync,
  enqueueResourceSync,
  S5_HUBSPOT_PROPERTIES,
  s5MembersResource,
  saveResource,
} from '@syncbridge/engine';
import {
  crashableWorker,
  crashAtRandomRequests,
  encryptedCredentials,
  runningExecutions,
  seededRandom,
  testKeyRing,
  testQueue,
  requestProbe,
} from './processes.ts';
import { testEngineContext } from './support.ts';

// CRASH_SEED replays another set of crash points (the seed is in the log line and failure message).
const SEED = Number(process.env.CRASH_SEED ?? 5_150_505);
const ROUNDS = 8;
const RANDOM_KILLS = 4;
const db = useTestDatabase();
const sandbox = createHubSpotSandbox({
  accessToken: HUBSPOT_TOKEN,
  contactProperties: [...S5_HUBSPOT_PROPERTIES],
  requestsPerWindow: 1_000_000,
  faults: { latencyMs: 15 },
});
// Every API request is a kill point: pulls (reads) as much as pushes.
const probe = requestProbe(sandbox.app, (req) => req.path.startsWith('/crm/v3/objects/'));
const keys = testKeyRing();
const random = seededRandom(SEED); // kill points
const workload = seededRandom(SEED + 1); // who is edited, on which side
let server: SandboxServer;
let queue: Awaited<ReturnType<typeof testQueue>> | undefined;
let worker: ReturnType<typeof crashableWorker>;

beforeAll(async () => {
  server = await startSandbox(probe.app);
});
afterAll(async () => {
  await worker?.stopAll();
  await queue?.stop();
  await server?.close();
});

/** The state both sides must reach, by email: names as the app last wrote them, phone and role as HubSpot did. */
interface Person {
  first_name: string;
  last_name: string;
  phone: string;
  role: string;
}
const expected = new Map<string, Person>();
const contacts = sandbox.objects.contacts;
let serial = 0;

async function addLocalMembers(count: number) {
  for (let i = 0; i < count; i++) {
    serial++;
    const person = {
      first_name: `App${serial}`,
      last_name: `Member${serial}`,
      phone: `+1 555 1${serial}`,
      role: 'member',
    };
    const email = `app${serial}@crash-s5.test`;
    expected.set(email, person);
    await db.pool.query('insert into members (email, first_name, last_name, phone, role) values ($1, $2, $3, $4, $5)', [
      email,
      person.first_name,
      person.last_name,
      person.phone,
      person.role,
    ]);
  }
}

function addContacts(count: number) {
  for (let i = 0; i < count; i++) {
    serial++;
    const person = {
      first_name: `Hub${serial}`,
      last_name: `Contact${serial}`,
      phone: `+1 555 2${serial}`,
      role: 'guest',
    };
    const email = `hub${serial}@crash-s5.test`;
    expected.set(email, person);
    contacts.create({
      email,
      firstname: person.first_name,
      lastname: person.last_name,
      phone: person.phone,
      britepool_role: person.role,
    });
  }
}

/** The app renames members it has (ordered by email, so the seed replays the picks). */
async function renameLocally(count: number, round: number) {
  const { rows } = await db.pool.query<{ id: string; email: string }>(
    'select id::text as id, email from members order by email',
  );
  for (let i = 0; i < count && rows.length > 0; i++) {
    const { id, email } = workload.pick(rows);
    const person = expected.get(email)!;
    const field = workload.next() < 0.5 ? 'first_name' : 'last_name';
    person[field] = `${field === 'first_name' ? 'First' : 'Last'} r${round} ${i}`;
    await db.pool.query(`update members set ${field} = $2, updated_at = now() where id = $1`, [id, person[field]]);
  }
}

/** A person in HubSpot changes phones and roles of contacts that exist there. */
function editInHubSpot(count: number, round: number) {
  const live = contacts.live().sort((a, b) => String(a.properties.email).localeCompare(String(b.properties.email)));
  for (let i = 0; i < count && live.length > 0; i++) {
    const contact = workload.pick(live);
    const person = expected.get(String(contact.properties.email))!;
    if (workload.next() < 0.5) {
      person.phone = `+44 20 ${round}${i}${serial}`;
      contacts.update(contact.id, { phone: person.phone });
    } else {
      person.role = `role r${round} ${i}`;
      contacts.update(contact.id, { britepool_role: person.role });
    }
  }
}

describe('S5 two-way with the worker killed at random points', () => {
  it('ends with both sides holding the merged state, each person once', { timeout: 150_000 }, async () => {
    const started = Date.now();
    const integration = await db.prisma.integration.create({
      data: {
        name: 'Members ↔ HubSpot',
        type: 'HUBSPOT',
        direction: 'BIDIRECTIONAL',
        conflictStrategy: 'LATEST_WINS',
        baseUrl: server.url,
        settings: { requestsPerWindow: 1_000_000, windowMs: 10_000 },
        ...encryptedCredentials(keys.ring, { accessToken: HUBSPOT_TOKEN }),
      },
    });
    const resource = await saveResource(testEngineContext(db), s5MembersResource(integration.id));
    addContacts(40);
    await addLocalMembers(80);

    worker = crashableWorker({ DATABASE_URL: db.url, ENCRYPTION_KEYS: keys.spec, WORKER_CONCURRENCY: '2' });
    await worker.start();
    queue = await testQueue(db, db.url);
    const pull = () =>
      enqueueResourceSync(queue!.sender, { resourceId: resource.id, direction: 'pull', trigger: 'manual:test' });
    const outbox = async () =>
      (await db.pool.query<{ n: number }>('select count(*)::int as n from change_outbox')).rows[0]!.n;
    await pull();

    let killed = false;
    const killing = crashAtRandomRequests(worker, probe, random, {
      kills: RANDOM_KILLS,
      gap: [3, 12],
      timeoutMs: 60_000,
    });
    killing.then(
      () => (killed = true),
      () => (killed = true), // awaited below
    );
    for (let round = 0; round < ROUNDS || (!killed && round < ROUNDS + 20); round++) {
      await renameLocally(6, round);
      await addLocalMembers(3);
      editInHubSpot(6, round);
      addContacts(2);
      await pull();
      // Paced by the worker (dead or alive): the app's changes of about one round wait at most.
      await vi.waitFor(async () => expect(await outbox()).toBeLessThanOrEqual(12), { timeout: 60_000, interval: 20 });
    }
    const killPoints = await killing;
    const workloadMs = Date.now() - started;

    // The final run asked for once the app and HubSpot have stopped changing: a sync of the whole
    // integration (pull, then push), on its own queue. Pulls asked for during the run may still be
    // waiting: a restarted pg-boss skips the key of a job it saw active at start (the killed one)
    // until its next queue refresh, up to a minute; they are checked below not to be stuck.
    const last = await enqueueIntegrationSync(queue.sender, { integrationId: integration.id, trigger: 'manual:test' });
    expect(last.queued).toBe(true);

    type MemberRow = {
      email: string;
      first_name: string;
      last_name: string | null;
      phone: string | null;
      role: string | null;
    };
    const members = async () =>
      (
        await db.pool.query<MemberRow & { status: string }>(
          'select email, first_name, last_name, phone, role, status from members',
        )
      ).rows;
    const want = [...expected].map(([email, p]) => ({ email, ...p }));
    const mine = (rows: MemberRow[]) =>
      rows.map(({ email, first_name, last_name, phone, role }) => ({ email, first_name, last_name, phone, role }));
    const theirs = () =>
      contacts.live().map((c) => ({
        email: String(c.properties.email),
        first_name: String(c.properties.firstname),
        last_name: String(c.properties.lastname),
        phone: String(c.properties.phone),
        role: String(c.properties.britepool_role),
      }));
    const byEmail = <T extends { email: string }>(rows: T[]) =>
      [...rows].sort((a, b) => a.email.localeCompare(b.email));
    /** Who differs from the expected state on which side, for a failure message. */
    const differences = async () => {
      const local = new Map(mine(await members()).map((r) => [r.email, r]));
      const remote = new Map(theirs().map((r) => [r.email, r]));
      const lines: string[] = [];
      for (const w of want) {
        const l = local.get(w.email);
        const r = remote.get(w.email);
        if (JSON.stringify(l) !== JSON.stringify(w) || JSON.stringify(r) !== JSON.stringify(w))
          lines.push(`want ${JSON.stringify(w)}\n  app ${JSON.stringify(l)}\n  hub ${JSON.stringify(r)}`);
      }
      return `${lines.length} differ:\n${lines.slice(0, 8).join('\n')}`;
    };
    await vi
      .waitFor(
        async () => {
          expect(await queue!.states([last.jobId!])).toEqual({ [last.jobId!]: 'completed' });
          expect(await outbox()).toBe(0);
          expect(await runningExecutions(db)).toEqual([]);
          expect(byEmail(mine(await members()))).toEqual(byEmail(want));
          expect(byEmail(theirs())).toEqual(byEmail(want));
        },
        { timeout: 60_000, interval: 250 },
      )
      .catch(async (error: unknown) => {
        throw new Error(
          `seed ${SEED} did not settle: ${String(error).slice(0, 500)}\n${await differences()}\n${worker.output().slice(-6000)}`,
        );
      });

    // Each person once on each side, every mapping synced and pointing at a live contact.
    const all = await members();
    expect(all.every((m) => m.status === 'active')).toBe(true);
    expect(new Set(theirs().map((c) => c.email)).size).toBe(expected.size);
    expect(contacts.live()).toHaveLength(expected.size);
    const { rows: mappings } = await db.pool.query<{ external_id: string; status: string }>(
      'select external_id, status::text from integration_mappings where resource_id = $1',
      [resource.id],
    );
    expect(mappings.filter((m) => m.status !== 'SYNCED')).toEqual([]);
    expect(new Set(mappings.map((m) => m.external_id))).toEqual(new Set(contacts.live().map((c) => c.id)));
    expect(await db.prisma.conflictResolution.count({ where: { resourceId: resource.id, status: 'PENDING' } })).toBe(0);
    // No job is left active by a dead worker, and none ran out of retries.
    expect(await queue.stuck()).toEqual([]);
    const { rows: failed } = await db.pool.query(
      `select name, output from pgboss.job where name like 'sync.%' and state = 'failed'`,
    );
    expect(failed).toEqual([]);
    expect(worker.kills).toBe(RANDOM_KILLS);

    console.info(
      `crash-s5: seed ${SEED}, ${worker.kills} kills (${killPoints.join('; ')}), ${expected.size} people, ` +
        `${probe.counts.arrived} API requests, restarts ${worker.downtimesMs.join('/')} ms, ` +
        `workload done at ${workloadMs} ms, total ${Date.now() - started} ms`,
    );
  });
});
