// The F025 alerting rules ("Alerting Rules"), evaluated by the worker's health check every five
// minutes. Defaults follow the spec:
//
// | rule              | fires when                                                   | severity | cooldown |
// |-------------------|--------------------------------------------------------------|----------|----------|
// | HIGH_ERROR_RATE   | > 10 % of records failed in the last hour (≥ 20 processed)   | WARNING  | 60 min   |
// | INTEGRATION_DOWN  | integrations.consecutive_failures ≥ 3                        | CRITICAL | 30 min   |
// | SYNC_LAG          | last success older than 2 × the frequency (HOURLY: 120 min)  | WARNING  | 120 min  |
// | PENDING_CONFLICTS | more than 10 conflicts wait for review                       | INFO     | 180 min  |
//
// Paused and disabled integrations are skipped; SYNC_LAG applies to scheduled frequencies only
// (realtime and manual ones have no slot to miss) and to ACTIVE/DEGRADED integrations (an ERROR
// one is covered by INTEGRATION_DOWN). The cooldown is "minutes before re-alerting": an alert of
// the same rule and integration raised within it, open or already acknowledged, holds back a new
// one, so acknowledging does not re-arm the rule five minutes later. Channels per rule follow the
// spec (email for the first two, Slack for INTEGRATION_DOWN) plus the outgoing webhook for all.
import { z } from 'zod';
import type { AlertSeverity, Prisma } from '@syncbridge/db';
import { raiseAlert } from '../alerts.ts';
import type { EngineContext } from '../context.ts';
import { nowOf } from '../context.ts';
import { AppError } from '../errors.ts';
import { MAX_CONSECUTIVE_FAILURES } from '../schedule.ts';
import type { AlertChannelsConfig, AlertSender, ExternalChannel } from './channels.ts';
import { expectedIntervalMs, loadHealthMetrics, type HealthMetrics } from './load.ts';
import { deliverPendingAlerts, type AlertDelivery, type DeliverOptions } from './notify.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const ALERT_RULES = {
  highErrorRate: 'HIGH_ERROR_RATE',
  integrationDown: 'INTEGRATION_DOWN',
  syncLag: 'SYNC_LAG',
  pendingConflicts: 'PENDING_CONFLICTS',
} as const;

type RuleKey = keyof typeof ALERT_RULES;

const ZSeverity = z.enum(['INFO', 'WARNING', 'CRITICAL']);
const ZChannels = z.array(z.enum(['webhook', 'slack', 'email']));
const ZCooldownMs = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * HOUR);

/** The settings every rule has, with its own defaults. */
function common(defaults: { cooldownMs: number; severity: AlertSeverity; channels: ExternalChannel[] }) {
  return {
    enabled: z.boolean().default(true),
    cooldownMs: ZCooldownMs.default(defaults.cooldownMs),
    severity: ZSeverity.default(defaults.severity),
    /** External channels (the dashboard always shows the alert). */
    channels: ZChannels.default(defaults.channels),
  };
}

export const ZAlertRulesConfig = z
  .object({
    highErrorRate: z
      .object({
        ...common({ cooldownMs: 60 * MINUTE, severity: 'WARNING', channels: ['webhook', 'email'] }),
        /** Failed / processed records above which the rule fires (0–1). */
        threshold: z.number().min(0).max(1).default(0.1),
        windowMs: z
          .number()
          .int()
          .min(MINUTE)
          .max(24 * HOUR)
          .default(HOUR),
        /** Fewer processed records than this say nothing (one failure of two is not 50 %). */
        minSample: z.number().int().min(1).default(20),
      })
      .prefault({}),
    integrationDown: z
      .object({
        ...common({ cooldownMs: 30 * MINUTE, severity: 'CRITICAL', channels: ['webhook', 'slack', 'email'] }),
        threshold: z.number().int().min(1).default(MAX_CONSECUTIVE_FAILURES),
      })
      .prefault({}),
    syncLag: z
      .object({
        ...common({ cooldownMs: 120 * MINUTE, severity: 'WARNING', channels: ['webhook'] }),
        /** Fires when the last success is older than factor × the frequency's interval. */
        factor: z.number().min(1).max(100).default(2),
      })
      .prefault({}),
    pendingConflicts: z
      .object({
        ...common({ cooldownMs: 180 * MINUTE, severity: 'INFO', channels: ['webhook'] }),
        threshold: z.number().int().min(0).default(10),
      })
      .prefault({}),
  })
  .prefault({});

export type AlertRulesInput = z.input<typeof ZAlertRulesConfig>;
export type AlertRulesConfig = z.output<typeof ZAlertRulesConfig>;

export interface EvaluateAlertRulesOptions {
  rules?: AlertRulesInput;
  /** Channel configuration (or a sender, in tests); null/absent: the dashboard only. */
  channels?: AlertChannelsConfig | AlertSender | null;
  delivery?: Pick<DeliverOptions, 'sinceMs' | 'limit'>;
}

export interface RaisedAlert {
  rule: string;
  integrationId: string;
  alertId: string | null;
}

export interface AlertEvaluation {
  /** Integrations the rules looked at. */
  checked: number;
  raised: RaisedAlert[];
  /** Every alert notified in this pass: the ones just raised and any raised elsewhere since the last. */
  notified: AlertDelivery[];
}

interface Candidate {
  key: RuleKey;
  title: string;
  message: string;
  details: Prisma.InputJsonValue;
}

/** "3 h 5 min", "2 days 4 h", "45 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} days ${hours % 24} h` : `${days} days`;
}

/** What the rules say about one integration (pure; `now` is the evaluation time). */
export function matchRules(metrics: HealthMetrics, config: AlertRulesConfig, now: Date): Candidate[] {
  const out: Candidate[] = [];
  const { name } = metrics;
  const high = config.highErrorRate;
  if (high.enabled && metrics.recordsProcessed >= high.minSample) {
    const rate = metrics.recordsFailed / metrics.recordsProcessed;
    if (rate > high.threshold) {
      out.push({
        key: 'highErrorRate',
        title: `${name}: ${Math.round(rate * 1000) / 10}% of records failed in the last ${formatDuration(high.windowMs)}`,
        message: `${metrics.recordsFailed} of ${metrics.recordsProcessed} records failed (threshold ${high.threshold * 100}%).`,
        details: {
          errorRate: rate,
          failed: metrics.recordsFailed,
          processed: metrics.recordsProcessed,
          threshold: high.threshold,
          windowMs: high.windowMs,
        },
      });
    }
  }
  const down = config.integrationDown;
  if (down.enabled && metrics.consecutiveFailures >= down.threshold) {
    out.push({
      key: 'integrationDown',
      title: `${name}: ${metrics.consecutiveFailures} consecutive failed syncs`,
      message: `The last ${metrics.consecutiveFailures} syncs failed; see the integration's last error, fix the cause and resume it.`,
      details: { consecutiveFailures: metrics.consecutiveFailures, threshold: down.threshold },
    });
  }
  const lag = config.syncLag;
  const interval = expectedIntervalMs(metrics.frequency, metrics.integrationStatus);
  if (
    lag.enabled &&
    interval !== null &&
    (metrics.integrationStatus === 'ACTIVE' || metrics.integrationStatus === 'DEGRADED')
  ) {
    const reference = metrics.lastSuccessAt ?? metrics.createdAt;
    const ageMs = now.getTime() - reference.getTime();
    if (ageMs > lag.factor * interval) {
      out.push({
        key: 'syncLag',
        title: `${name}: no successful sync for ${formatDuration(ageMs)}`,
        message: `It should sync every ${formatDuration(interval)}; the last success was ${
          metrics.lastSuccessAt ? metrics.lastSuccessAt.toISOString() : 'never'
        }.`,
        details: {
          lastSuccessAt: metrics.lastSuccessAt?.toISOString() ?? null,
          ageMs,
          expectedIntervalMs: interval,
          factor: lag.factor,
        },
      });
    }
  }
  const conflicts = config.pendingConflicts;
  if (conflicts.enabled && metrics.pendingConflicts > conflicts.threshold) {
    out.push({
      key: 'pendingConflicts',
      title: `${name}: ${metrics.pendingConflicts} conflicts wait for review`,
      message: `${metrics.pendingConflicts} sync conflicts need a decision in the admin app (threshold ${conflicts.threshold}).`,
      details: { pending: metrics.pendingConflicts, threshold: conflicts.threshold },
    });
  }
  return out;
}

export function parseAlertRules(input: AlertRulesInput | undefined): AlertRulesConfig {
  const result = ZAlertRulesConfig.safeParse(input ?? {});
  if (!result.success) throw new AppError('VALIDATION', `Invalid alert rules: ${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * Evaluates every rule for every integration that is not paused or disabled, raises what fires
 * (through raiseAlert, honouring each rule's cooldown), then notifies the channels of every alert
 * not yet notified.
 */
export async function evaluateAlertRules(
  ctx: EngineContext,
  options: EvaluateAlertRulesOptions = {},
): Promise<AlertEvaluation> {
  const config = parseAlertRules(options.rules);
  const now = nowOf(ctx);
  const metrics = (await loadHealthMetrics(ctx, { windowMs: config.highErrorRate.windowMs })).filter(
    (m) => m.integrationStatus !== 'PAUSED' && m.integrationStatus !== 'DISABLED',
  );
  const raised: RaisedAlert[] = [];
  for (const m of metrics) {
    for (const candidate of matchRules(m, config, now)) {
      const settings = config[candidate.key];
      const ruleName = ALERT_RULES[candidate.key];
      if (settings.cooldownMs > 0) {
        const recent = await ctx.prisma.alert.findFirst({
          where: {
            integrationId: m.integrationId,
            rule: ruleName,
            createdAt: { gte: new Date(now.getTime() - settings.cooldownMs) },
          },
          select: { id: true },
        });
        if (recent) continue;
      }
      const created = await raiseAlert(ctx, {
        integrationId: m.integrationId,
        rule: ruleName,
        severity: settings.severity,
        title: candidate.title,
        message: candidate.message,
        details: candidate.details,
        cooldownMs: settings.cooldownMs,
      });
      if (!created) continue;
      const row = await ctx.prisma.alert.findFirst({
        where: { integrationId: m.integrationId, rule: ruleName, status: 'OPEN' },
        orderBy: { createdAt: 'desc' },
        select: { id: true },
      });
      raised.push({ rule: ruleName, integrationId: m.integrationId, alertId: row?.id ?? null });
    }
  }
  const routes = Object.fromEntries(
    (Object.keys(ALERT_RULES) as RuleKey[]).map((key) => [ALERT_RULES[key], config[key].channels]),
  );
  const notified = await deliverPendingAlerts(ctx, { channels: options.channels, routes, ...options.delivery });
  return { checked: metrics.length, raised, notified };
}
