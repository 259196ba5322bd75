// Notification of alerts through the external channels. Alerts are raised all over the engine
// (a failed run, polling stopped, schema drift, mass deletes, the rules in alert-rules.ts), so
// delivery does not follow the raising: each pass claims the OPEN alerts not yet notified —
// recording `details.notification` in the same statement, under SKIP LOCKED, so two workers
// never notify one alert twice — sends them, and records per channel what happened. A claimed
// alert is notified at most once: a crash between claim and send loses that notification, never
// doubles it (the dashboard still shows the alert).
import type { AlertSeverity } from '@syncbridge/db';
import type { EngineContext } from '../context.ts';
import { nowOf } from '../context.ts';
import {
  createAlertSender,
  type AlertChannel,
  type AlertChannelsConfig,
  type AlertMessage,
  type AlertSender,
  type ExternalChannel,
} from './channels.ts';

/** Channels per severity for alerts whose rule has no route of its own. */
export const SEVERITY_CHANNELS: Record<AlertSeverity, readonly ExternalChannel[]> = {
  CRITICAL: ['webhook', 'slack', 'email'],
  WARNING: ['webhook', 'email'],
  INFO: ['webhook'],
};

export type DeliveryOutcome = 'shown' | 'delivered' | 'failed' | 'skipped';

export interface AlertDelivery {
  alertId: string;
  rule: string;
  integrationId: string | null;
  channels: Partial<Record<AlertChannel, DeliveryOutcome>>;
}

export interface DeliverOptions {
  /** A channel configuration, a sender built from one (tests), or null for the dashboard only. */
  channels?: AlertChannelsConfig | AlertSender | null;
  /** External channels per rule; other rules go by severity (SEVERITY_CHANNELS). */
  routes?: Partial<Record<string, readonly ExternalChannel[]>>;
  /** Only alerts raised this recently are notified (default 24 h): turning channels on does not replay history. */
  sinceMs?: number;
  /** At most this many alerts per pass (default 50); the rest wait for the next one. */
  limit?: number;
}

/** The external channels an alert goes to, among the configured ones. */
export function channelsForAlert(
  rule: string,
  severity: AlertSeverity,
  configured: readonly ExternalChannel[],
  routes: DeliverOptions['routes'] = {},
): ExternalChannel[] {
  const wanted = routes[rule] ?? SEVERITY_CHANNELS[severity];
  return configured.filter((channel) => wanted.includes(channel));
}

interface ClaimedRow {
  id: string;
  integration_id: string | null;
  rule: string;
  severity: AlertSeverity;
  status: string;
  title: string;
  message: string;
  details: Record<string, unknown>;
  created_at: Date;
}

async function claimAlerts(ctx: EngineContext, since: Date, limit: number, claimedAt: Date): Promise<ClaimedRow[]> {
  // Details that are not an object (an array, a string) are kept under "value".
  const { rows } = await ctx.pool.query<ClaimedRow>(
    `with due as (
       select id from alerts
        where status = 'OPEN' and created_at >= $1
          and (details is null or jsonb_typeof(details) <> 'object' or not (details ? 'notification'))
        order by created_at, id
        limit $2
        for update skip locked)
     update alerts a
        set details = (case when a.details is null or jsonb_typeof(a.details) = 'null' then '{}'::jsonb
                            when jsonb_typeof(a.details) = 'object' then a.details
                            else jsonb_build_object('value', a.details) end)
                      || jsonb_build_object('notification', jsonb_build_object('claimedAt', $3::timestamptz))
       from due
      where a.id = due.id
     returning a.id, a.integration_id, a.rule, a.severity::text as severity, a.status::text as status,
               a.title, a.message, a.details, a.created_at`,
    [since, limit, claimedAt],
  );
  return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
}

/** Claims the OPEN alerts not yet notified and sends each to its channels; one report per alert. */
export async function deliverPendingAlerts(ctx: EngineContext, options: DeliverOptions = {}): Promise<AlertDelivery[]> {
  const now = nowOf(ctx);
  const since = new Date(now.getTime() - (options.sinceMs ?? 24 * 3_600_000));
  const claimed = await claimAlerts(ctx, since, options.limit ?? 50, now);
  if (claimed.length === 0) return [];

  const source = options.channels ?? null;
  const owned = source !== null && !('send' in source);
  const sender: AlertSender | null =
    source === null ? null : 'send' in source ? source : createAlertSender(source, { now: ctx.now });
  const integrationIds = [...new Set(claimed.map((a) => a.integration_id).filter((id): id is string => id !== null))];
  const { rows: integrations } = await ctx.pool.query<{
    id: string;
    name: string;
    status: string;
    last_success_at: Date | null;
  }>('select id, name, status::text as status, last_success_at from integrations where id = any($1::uuid[])', [
    integrationIds,
  ]);
  const byId = new Map(integrations.map((i) => [i.id, i]));
  // A channel that failed once in this pass is not tried again in it: a dead SMTP server costs one
  // timeout per pass, not one per alert.
  const failedChannels = new Set<ExternalChannel>();
  const reports: AlertDelivery[] = [];
  try {
    for (const row of claimed) {
      const { notification: _claim, ...details } = row.details;
      const integration = row.integration_id ? byId.get(row.integration_id) : undefined;
      const alert: AlertMessage = {
        id: row.id,
        rule: row.rule,
        severity: row.severity,
        status: row.status,
        title: row.title,
        message: row.message,
        details,
        createdAt: row.created_at,
        integration: integration
          ? {
              id: integration.id,
              name: integration.name,
              status: integration.status,
              lastSuccessAt: integration.last_success_at,
            }
          : null,
      };
      const report: AlertDelivery = {
        alertId: row.id,
        rule: row.rule,
        integrationId: row.integration_id,
        channels: { dashboard: 'shown' },
      };
      const targets = sender ? channelsForAlert(row.rule, row.severity, sender.configured, options.routes) : [];
      await Promise.all(
        targets.map(async (channel) => {
          if (failedChannels.has(channel)) {
            report.channels[channel] = 'skipped';
            return;
          }
          const log = { alertId: row.id, rule: row.rule, channel, target: sender!.target(channel) };
          try {
            await sender!.send(channel, alert);
            report.channels[channel] = 'delivered';
            ctx.logger.info(log, 'alert delivered');
          } catch (error) {
            failedChannels.add(channel);
            report.channels[channel] = 'failed';
            ctx.logger.warn({ ...log, error: sender!.describe(error) }, 'alert channel failed');
          }
        }),
      );
      await ctx.pool.query(
        `update alerts set details = jsonb_set(details, '{notification}', $2::jsonb) where id = $1`,
        [row.id, JSON.stringify({ claimedAt: now.toISOString(), channels: report.channels })],
      );
      reports.push(report);
    }
  } finally {
    if (owned) sender?.close();
  }
  return reports;
}
