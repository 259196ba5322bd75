// Health from the database, the F025 alert rules (raised once, cooldowns on an injected clock) and
// the alert channels against real listeners: an HTTP server checking the Standard Webhooks
// signature itself, a Slack-style receiver and an smtp-server instance.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationStatus, JobStatus, SyncFrequency } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { raiseAlert } from '../src/alerts.ts';
import type { EngineContext } from '../src/context.ts';
import { evaluateAlertRules } from '../src/health/alert-rules.ts';
import { createAlertSender, ZAlertChannelsConfig, type AlertChannelsInput } from '../src/health/channels.ts';
import { loadHealth, loadHealthHistory } from '../src/health/load.ts';
import { deliverPendingAlerts } from '../src/health/notify.ts';
import { computeHealthScore } from '../src/health/score.ts';
import { engineContext, memoryLogger } from './support.ts';

const db = useTestDatabase();
const MIN = 60_000;
const HOUR = 60 * MIN;

let clock = new Date();
const { logger, lines } = memoryLogger();
let ctx: EngineContext;

beforeAll(() => {
  ctx = engineContext(db, { now: () => clock, logger });
});

beforeEach(async () => {
  clock = new Date();
  lines.length = 0;
  await db.pool.query('delete from alerts');
  await db.pool.query('delete from integrations');
});

async function integration(
  name: string,
  data: Partial<{
    status: IntegrationStatus;
    frequency: SyncFrequency;
    consecutiveFailures: number;
    lastSuccessAt: Date | null;
    createdAt: Date;
  }> = {},
): Promise<string> {
  const row = await db.prisma.integration.create({
    data: { name, type: 'GENERIC_REST', frequency: 'REALTIME', ...data },
    select: { id: true },
  });
  return row.id;
}

async function run(
  integrationId: string,
  status: JobStatus,
  completedAt: Date,
  counts: { processed?: number; failed?: number } = {},
) {
  await db.prisma.jobExecution.create({
    data: {
      integrationId,
      jobType: 'SCHEDULED_SYNC',
      status,
      processed: counts.processed ?? 0,
      succeeded: (counts.processed ?? 0) - (counts.failed ?? 0),
      failed: counts.failed ?? 0,
      startedAt: new Date(completedAt.getTime() - 1000),
      completedAt,
      createdAt: new Date(completedAt.getTime() - 1000),
    },
  });
}

async function request(integrationId: string, durationMs: number, createdAt: Date) {
  await db.prisma.syncLog.create({
    data: {
      integrationId,
      operation: 'BULK_SYNC',
      direction: 'PUSH',
      resourceType: 'TASK',
      status: 'SUCCESS',
      recordsProcessed: 10,
      recordsSucceeded: 10,
      durationMs,
      createdAt,
    },
  });
}

async function conflicts(integrationId: string, count: number, status: 'PENDING' | 'RESOLVED' = 'PENDING') {
  await db.prisma.conflictResolution.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      integrationId,
      resourceType: 'TASK',
      internalId: `${status}-${i}`,
      externalId: `x-${status}-${i}`,
      localData: {},
      externalData: {},
      status,
    })),
  });
}

const ago = (ms: number) => new Date(clock.getTime() - ms);

describe('loadHealth', () => {
  it('measures runs, errors, request times and freshness over the window and scores them', async () => {
    const id = await integration('Board', { frequency: 'HOURLY', lastSuccessAt: ago(90 * MIN) });
    const other = await integration('Other');
    await run(id, 'COMPLETED', ago(1 * HOUR), { processed: 40 });
    await run(id, 'COMPLETED', ago(2 * HOUR), { processed: 30 });
    await run(id, 'COMPLETED', ago(3 * HOUR), { processed: 20 });
    await run(id, 'PARTIAL', ago(4 * HOUR), { processed: 10, failed: 5 });
    // Outside the window, still running, waiting for a confirmation, another integration: not counted.
    await run(id, 'FAILED', ago(30 * HOUR), { processed: 500, failed: 500 });
    await run(id, 'RUNNING', ago(MIN), { processed: 100, failed: 100 });
    await run(id, 'PENDING_CONFIRMATION', ago(MIN), { processed: 100, failed: 100 });
    await run(other, 'FAILED', ago(HOUR), { processed: 100, failed: 100 });
    await request(id, 1_000, ago(HOUR));
    await request(id, 3_000, ago(5 * HOUR));
    await request(id, 99_999, ago(25 * HOUR));
    await conflicts(id, 2);
    await conflicts(id, 3, 'RESOLVED');

    const [health] = await loadHealth(ctx, { integrationId: id });
    expect(health?.metrics).toMatchObject({
      runs: 4,
      completedRuns: 3,
      recordsProcessed: 100,
      recordsFailed: 5,
      requests: 2,
      avgResponseMs: 2_000,
      pendingConflicts: 2,
    });
    expect(health?.inputs).toEqual({
      successRate: 0.75,
      avgResponseMs: 2_000,
      errorRate: 0.05,
      syncAgeMs: 90 * MIN,
      expectedIntervalMs: HOUR,
    });
    // 0.4 × 75 + 0.2 × 88.9 + 0.3 × 75 + 0.1 × 75
    expect(health?.score).toBeCloseTo(77.8, 1);
    expect(health?.score).toBe(computeHealthScore(health!.inputs).score);
    expect(health?.status).toBe('DEGRADED');
    expect(health?.components.successRate).toMatchObject({ value: 0.75, score: 75, status: 'WARN' });

    // A shorter window sees only the newest run and request.
    const [recent] = await loadHealth(ctx, { integrationId: id, windowMs: 90 * MIN });
    expect(recent?.inputs).toMatchObject({ successRate: 1, errorRate: 0, avgResponseMs: 1_000 });

    const all = await loadHealth(ctx);
    expect(all.map((h) => h.name)).toEqual(['Board', 'Other']);
    expect(all[1]?.inputs).toMatchObject({ successRate: 0, errorRate: 1, avgResponseMs: null });
    // Realtime, failing everything: 0.2 × 100 (no request timed) + 0.1 × 100 (no schedule) = 30.
    expect(all[1]?.score).toBe(30);
    await expect(loadHealth(ctx, { integrationId: '00000000-0000-4000-8000-00000000dead' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('builds an hourly history aligned to the hour with success rate, average and median latency', async () => {
    clock = new Date('2031-05-06T12:30:00.000Z');
    const id = await integration('History');
    const at = (time: string) => new Date(`2031-05-06T${time}:00.000Z`);
    await run(id, 'COMPLETED', at('10:15'));
    await run(id, 'FAILED', at('11:10'), { processed: 4, failed: 4 });
    await run(id, 'COMPLETED', at('11:40'), { processed: 4 });
    await run(id, 'COMPLETED', at('09:59')); // before the first bucket
    for (const [time, ms] of [
      ['10:20', 100],
      ['10:25', 300],
      ['10:26', 200],
      ['10:27', 1_000],
      ['12:05', 50],
    ] as const) {
      await request(id, ms, at(time));
    }

    const history = await loadHealthHistory(ctx, id, { hours: 3, bucketMinutes: 60 });
    expect(history.from).toEqual(at('10:00'));
    expect(history.to).toEqual(at('13:00'));
    expect(history.buckets.map((b) => b.start)).toEqual([at('10:00'), at('11:00'), at('12:00')]);
    expect(history.buckets[0]).toMatchObject({
      runs: 1,
      successRate: 1,
      requests: 4,
      avgLatencyMs: 400,
      p50LatencyMs: 250,
    });
    expect(history.buckets[1]).toMatchObject({
      runs: 2,
      completedRuns: 1,
      successRate: 0.5,
      errorRate: 0.5,
      requests: 0,
      avgLatencyMs: null,
      p50LatencyMs: null,
    });
    expect(history.buckets[2]).toMatchObject({ runs: 0, successRate: null, avgLatencyMs: 50, p50LatencyMs: 50 });

    const fine = await loadHealthHistory(ctx, id, { hours: 1, bucketMinutes: 15 });
    expect(fine.buckets).toHaveLength(4);
    expect(fine.to).toEqual(at('12:45'));
    await expect(loadHealthHistory(ctx, id, { hours: 1000 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(loadHealthHistory(ctx, '00000000-0000-4000-8000-00000000dead')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('alert rules', () => {
  async function world() {
    const down = await integration('Down', {
      status: 'DEGRADED',
      frequency: 'HOURLY',
      consecutiveFailures: 3,
      lastSuccessAt: ago(5 * HOUR),
    });
    const conflicted = await integration('Conflicted');
    await conflicts(conflicted, 11);
    const noisy = await integration('Noisy');
    await run(noisy, 'PARTIAL', ago(10 * MIN), { processed: 40, failed: 10 });
    const small = await integration('Small sample');
    await run(small, 'PARTIAL', ago(10 * MIN), { processed: 10, failed: 5 });
    const paused = await integration('Paused', {
      status: 'PAUSED',
      frequency: 'HOURLY',
      consecutiveFailures: 5,
      lastSuccessAt: ago(50 * HOUR),
    });
    await conflicts(paused, 20);
    const punctual = await integration('Punctual', { frequency: 'HOURLY', lastSuccessAt: ago(30 * MIN) });
    const never = await integration('Never', { frequency: 'DAILY', lastSuccessAt: null, createdAt: ago(72 * HOUR) });
    return { down, conflicted, noisy, small, paused, punctual, never };
  }

  const summary = (raised: { rule: string; integrationId: string }[], names: Record<string, string>) =>
    raised.map((r) => `${names[r.integrationId]}:${r.rule}`).sort();

  it('raise once per condition, then wait for each rule cooldown, acknowledged or not', async () => {
    const ids = await world();
    const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));

    const first = await evaluateAlertRules(ctx);
    expect(first.checked).toBe(6); // the paused one is skipped
    expect(summary(first.raised, names)).toEqual([
      'conflicted:PENDING_CONFLICTS',
      'down:INTEGRATION_DOWN',
      'down:SYNC_LAG',
      'never:SYNC_LAG',
      'noisy:HIGH_ERROR_RATE',
    ]);
    const stored = await db.prisma.alert.findMany({ orderBy: { rule: 'asc' } });
    expect(stored).toHaveLength(5);
    expect(stored.every((a) => first.raised.some((r) => r.alertId === a.id))).toBe(true);
    const downAlert = stored.find((a) => a.rule === 'INTEGRATION_DOWN')!;
    expect(downAlert).toMatchObject({
      severity: 'CRITICAL',
      status: 'OPEN',
      title: 'Down: 3 consecutive failed syncs',
    });
    expect(stored.find((a) => a.rule === 'HIGH_ERROR_RATE')).toMatchObject({
      severity: 'WARNING',
      title: 'Noisy: 25% of records failed in the last 1 h',
      details: expect.objectContaining({ failed: 10, processed: 40 }),
    });
    expect(stored.find((a) => a.integrationId === ids.never)?.message).toContain('the last success was never');
    // Without channels the dashboard is the only one, and every alert is marked as notified.
    expect(first.notified).toHaveLength(5);
    expect(first.notified.every((n) => JSON.stringify(n.channels) === '{"dashboard":"shown"}')).toBe(true);

    // Same conditions, same time: nothing new, nothing notified twice.
    const second = await evaluateAlertRules(ctx);
    expect(second.raised).toEqual([]);
    expect(second.notified).toEqual([]);
    expect(await db.prisma.alert.count()).toBe(5);

    // Acknowledged 10 minutes later: still within INTEGRATION_DOWN's 30 minutes, so no new alert.
    await db.prisma.alert.update({ where: { id: downAlert.id }, data: { status: 'ACKNOWLEDGED' } });
    clock = new Date(clock.getTime() + 10 * MIN);
    expect((await evaluateAlertRules(ctx)).raised).toEqual([]);

    // 31 minutes on: INTEGRATION_DOWN (30 min) fires again; SYNC_LAG (120), conflicts (180) and the
    // error rate (60) do not.
    clock = new Date(clock.getTime() + 21 * MIN);
    const later = await evaluateAlertRules(ctx);
    expect(summary(later.raised, names)).toEqual(['down:INTEGRATION_DOWN']);
    expect(later.notified.map((n) => n.alertId)).toEqual([later.raised[0]!.alertId]);

    // Two and a half hours on: SYNC_LAG again for both, and for the once punctual one (3 h since its
    // last success); the failing run has left the error-rate hour; the conflicts' 3 h are not over.
    clock = new Date(clock.getTime() + 120 * MIN);
    const much = await evaluateAlertRules(ctx);
    expect(summary(much.raised, names)).toEqual([
      'down:INTEGRATION_DOWN',
      'down:SYNC_LAG',
      'never:SYNC_LAG',
      'punctual:SYNC_LAG',
    ]);
  });

  it('takes thresholds and cooldowns from the options', async () => {
    const ids = await world();
    const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    const strict = await evaluateAlertRules(ctx, {
      rules: {
        highErrorRate: { minSample: 5, threshold: 0.3 },
        integrationDown: { enabled: false },
        syncLag: { factor: 100 },
        pendingConflicts: { threshold: 11 },
      },
    });
    // 50 % of 10 records passes the smaller sample; 25 % of 40 is under the higher threshold.
    expect(summary(strict.raised, names)).toEqual(['small:HIGH_ERROR_RATE']);

    const noCooldown = { rules: { pendingConflicts: { threshold: 5, cooldownMs: 0, severity: 'CRITICAL' as const } } };
    const once = await evaluateAlertRules(ctx, noCooldown);
    expect(summary(once.raised, names)).toContain('conflicted:PENDING_CONFLICTS');
    const twice = await evaluateAlertRules(ctx, noCooldown);
    expect(summary(twice.raised, names)).toEqual(['conflicted:PENDING_CONFLICTS']);
    expect(await db.prisma.alert.count({ where: { rule: 'PENDING_CONFLICTS', severity: 'CRITICAL' } })).toBe(2);
    await expect(evaluateAlertRules(ctx, { rules: { syncLag: { factor: 0 } } })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});

// ───────────── channels against real listeners ─────────────

interface Captured {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Mode = 'ok' | 'fail' | 'hang';

async function httpListener() {
  const requests: Captured[] = [];
  const modes = new Map<string, Mode>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const mode = modes.get(path) ?? 'ok';
      if (mode === 'hang') return; // never answers: the sender's timeout must end it
      res.writeHead(mode === 'ok' ? 200 : 500, { 'content-type': 'text/plain' }).end(mode === 'ok' ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    modes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SMTP_USER = 'alerts';
const SMTP_PASSWORD = `smtp-${randomBytes(8).toString('hex')}`;

async function smtpListener() {
  const messages: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Header value and body of a raw message, quoted-printable decoded. */
function parseMail(raw: string): { subject: string; body: string } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/m.exec(unfolded)?.[1] ?? '';
  let body = rest.join('\r\n\r\n');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(unfolded)) {
    body = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return { subject, body };
}

/** The Standard Webhooks check, written from the spec independently of the sender. */
function verifyStandardWebhook(secret: string, headers: IncomingMessage['headers'], body: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

describe('alert channels', () => {
  let http: Awaited<ReturnType<typeof httpListener>>;
  let smtp: Awaited<ReturnType<typeof smtpListener>>;
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const slackToken = `T0${randomBytes(6).toString('hex')}/B0${randomBytes(6).toString('hex')}/${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    http = await httpListener();
    smtp = await smtpListener();
  });
  afterAll(async () => {
    await http?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    http.requests.length = 0;
    http.modes.clear();
    smtp.messages.length = 0;
  });

  function channels(overrides: Partial<{ smtpPassword: string }> = {}): AlertChannelsInput {
    return {
      webhook: { url: `${http.base}/hooks/alerts`, secret: webhookSecret },
      slack: { url: `${http.base}/services/${slackToken}` },
      email: {
        smtpUrl: `smtp://${SMTP_USER}:${overrides.smtpPassword ?? SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
        from: 'Syncbridge <alerts@example.com>',
        to: ['ops@example.com', 'oncall@example.com'],
      },
      dashboardUrl: 'https://sync.example.com/',
      timeoutMs: 1_000,
    };
  }

  const secrets = () => [
    webhookSecret,
    webhookSecret.slice('whsec_'.length),
    slackToken,
    slackToken.split('/')[2]!,
    SMTP_PASSWORD,
    'wrong-password-xyz',
  ];

  function expectNoSecretsLogged() {
    const logged = lines.join('\n');
    for (const secret of secrets()) expect(logged).not.toContain(secret);
  }

  it('sends a raised alert to the webhook (signed), Slack and email, and records the outcome', async () => {
    const id = await integration('Asana <tasks>', { consecutiveFailures: 4, lastSuccessAt: ago(2 * HOUR) });
    const config = ZAlertChannelsConfig.parse(channels());
    const result = await evaluateAlertRules(ctx, { channels: config });
    expect(result.raised).toHaveLength(1);
    const alertId = result.raised[0]!.alertId!;
    expect(result.notified).toEqual([
      {
        alertId,
        rule: 'INTEGRATION_DOWN',
        integrationId: id,
        channels: { dashboard: 'shown', webhook: 'delivered', slack: 'delivered', email: 'delivered' },
      },
    ]);

    // Standard Webhooks: id, timestamp (from the injected clock) and a signature the receiver can check.
    const hook = http.requests.find((r) => r.path === '/hooks/alerts')!;
    expect(hook.headers['webhook-id']).toBe(alertId);
    expect(hook.headers['webhook-timestamp']).toBe(String(Math.floor(clock.getTime() / 1000)));
    expect(hook.headers['content-type']).toBe('application/json');
    expect(verifyStandardWebhook(webhookSecret, hook.headers, hook.body)).toBe(true);
    expect(verifyStandardWebhook(webhookSecret, hook.headers, hook.body.replace('CRITICAL', 'INFO'))).toBe(false);
    expect(verifyStandardWebhook(`whsec_${randomBytes(32).toString('base64')}`, hook.headers, hook.body)).toBe(false);
    const event = JSON.parse(hook.body);
    expect(event).toMatchObject({
      type: 'alert.raised',
      data: {
        id: alertId,
        rule: 'INTEGRATION_DOWN',
        severity: 'CRITICAL',
        integration: { id, name: 'Asana <tasks>' },
        url: 'https://sync.example.com/alerts',
      },
    });
    expect(event.data.details).toEqual({ consecutiveFailures: 4, threshold: 3 });

    // Slack: text plus blocks, with mrkdwn's characters escaped.
    const slack = http.requests.find((r) => r.path.startsWith('/services/'))!;
    const message = JSON.parse(slack.body);
    expect(message.text).toContain('[CRITICAL] Asana &lt;tasks&gt;: 4 consecutive failed syncs');
    expect(message.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(JSON.stringify(message.blocks)).toContain('<https://sync.example.com/alerts|View in Syncbridge>');

    // Email through SMTP with authentication.
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['ops@example.com', 'oncall@example.com']);
    const mail = parseMail(smtp.messages[0]!.raw);
    expect(mail.subject).toBe('[Syncbridge] Integration Alert: Asana <tasks> - CRITICAL');
    expect(mail.body).toContain('Alert: Asana <tasks>: 4 consecutive failed syncs');
    expect(mail.body).toContain(`Last Successful Sync: ${ago(2 * HOUR).toISOString()}`);
    expect(mail.body).toContain('View Details: https://sync.example.com/alerts');

    const stored = await db.prisma.alert.findUniqueOrThrow({ where: { id: alertId } });
    expect((stored.details as { notification: { channels: unknown } }).notification.channels).toEqual({
      dashboard: 'shown',
      webhook: 'delivered',
      slack: 'delivered',
      email: 'delivered',
    });
    expect(lines.filter((l) => l.includes('"alert delivered"'))).toHaveLength(3);
    expectNoSecretsLogged();

    // Delivered once: the next pass sends nothing.
    expect((await evaluateAlertRules(ctx, { channels: config })).notified).toEqual([]);
    expect(http.requests).toHaveLength(2);
  });

  it('routes by rule and severity, and also notifies alerts raised elsewhere in the engine', async () => {
    const id = await integration('Sheets');
    await raiseAlert(ctx, {
      integrationId: id,
      rule: 'SCHEMA_DRIFT',
      severity: 'WARNING',
      title: 'Drift',
      message: 'x',
    });
    await raiseAlert(ctx, { rule: 'SYSTEM', severity: 'INFO', title: 'Info', message: 'y', details: ['a', 'b'] });
    await conflicts(id, 11);
    const result = await evaluateAlertRules(ctx, { channels: ZAlertChannelsConfig.parse(channels()) });
    const byRule = Object.fromEntries(result.notified.map((n) => [n.rule, n.channels]));
    expect(byRule).toEqual({
      // Spec routes: conflicts go to the dashboard (and the webhook); a WARNING by severity adds email.
      PENDING_CONFLICTS: { dashboard: 'shown', webhook: 'delivered' },
      SCHEMA_DRIFT: { dashboard: 'shown', webhook: 'delivered', email: 'delivered' },
      SYSTEM: { dashboard: 'shown', webhook: 'delivered' },
    });
    expect(http.requests.filter((r) => r.path.startsWith('/services/'))).toHaveLength(0);
    expect(smtp.messages).toHaveLength(1);
    expect(parseMail(smtp.messages[0]!.raw).subject).toBe('[Syncbridge] Integration Alert: Sheets - WARNING');
    // Non-object details are kept under "value" next to the notification record.
    const system = await db.prisma.alert.findFirstOrThrow({ where: { rule: 'SYSTEM' } });
    expect(system.details).toMatchObject({ value: ['a', 'b'], notification: { channels: { webhook: 'delivered' } } });
    const systemHook = http.requests.map((r) => JSON.parse(r.body)).find((e) => e.data.rule === 'SYSTEM');
    expect(systemHook.data).toMatchObject({ integration: null, details: { value: ['a', 'b'] } });
  });

  it('a failing or hanging channel does not stop the others, and is not retried within the pass', async () => {
    http.modes.set('/hooks/alerts', 'hang');
    http.modes.set(`/services/${slackToken}`, 'fail');
    const a = await integration('First', { consecutiveFailures: 3 });
    const b = await integration('Second', { consecutiveFailures: 3 });
    const started = Date.now();
    const result = await evaluateAlertRules(ctx, { channels: ZAlertChannelsConfig.parse(channels()) });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.notified.map((n) => n.integrationId).sort()).toEqual([a, b].sort());
    const [first, second] = result.notified;
    expect(first?.channels).toEqual({ dashboard: 'shown', webhook: 'failed', slack: 'failed', email: 'delivered' });
    expect(second?.channels).toEqual({ dashboard: 'shown', webhook: 'skipped', slack: 'skipped', email: 'delivered' });
    expect(smtp.messages).toHaveLength(2);
    expect(http.requests.filter((r) => r.path === '/hooks/alerts')).toHaveLength(1);

    const failures = lines.filter((l) => l.includes('"alert channel failed"')).map((l) => JSON.parse(l));
    expect(failures.map((f) => f.channel).sort()).toEqual(['slack', 'webhook']);
    expect(failures.find((f) => f.channel === 'slack')?.error).toBe('slack answered HTTP 500');
    expect(failures.find((f) => f.channel === 'webhook')?.error).toMatch(/abort|timeout/i);
    expectNoSecretsLogged();
  });

  it('an SMTP login failure is logged without the password while webhook and Slack deliver', async () => {
    await integration('Third', { consecutiveFailures: 3 });
    const result = await evaluateAlertRules(ctx, {
      channels: ZAlertChannelsConfig.parse(channels({ smtpPassword: 'wrong-password-xyz' })),
    });
    expect(result.notified[0]?.channels).toEqual({
      dashboard: 'shown',
      webhook: 'delivered',
      slack: 'delivered',
      email: 'failed',
    });
    expect(smtp.messages).toHaveLength(0);
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'alert channel failed');
    expect(failure).toMatchObject({ channel: 'email', target: `smtp://127.0.0.1:${smtp.port}` });
    expect(failure.error).toMatch(/auth|login|535/i);
    expectNoSecretsLogged();
  });

  it('removes configured secrets from error texts and refuses bad configurations', () => {
    const config = ZAlertChannelsConfig.parse(channels());
    const sender = createAlertSender(config);
    const leaky = new Error(
      `POST ${config.slack!.url} failed; smtp ${config.email!.smtpUrl}; key ${webhookSecret}; pass=${SMTP_PASSWORD}`,
    );
    const text = sender.describe(leaky);
    for (const secret of secrets()) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(sender.configured).toEqual(['webhook', 'slack', 'email']);

    const bad = ZAlertChannelsConfig.safeParse({
      webhook: { url: 'http://user:pw@example.com/hook', secret: 'whsec_tooshort' },
      slack: { url: 'ftp://example.com' },
      email: { smtpUrl: 'http://example.com', from: 'nobody', to: [] },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['email.from', 'email.smtpUrl', 'email.to', 'slack.url', 'webhook.secret', 'webhook.url']);
    expect(JSON.stringify(bad.error!.issues)).not.toContain('whsec_tooshort');
  });

  it('sends nothing but the dashboard when no channel is configured', async () => {
    await raiseAlert(ctx, { rule: 'SYSTEM', severity: 'CRITICAL', title: 'x', message: 'y' });
    const reports = await deliverPendingAlerts(ctx, { channels: ZAlertChannelsConfig.parse({}) });
    expect(reports[0]?.channels).toEqual({ dashboard: 'shown' });
    expect(http.requests).toHaveLength(0);
  });
});
