// Where an alert goes besides the dashboard (the alerts row itself, always): an outgoing webhook
// signed per Standard Webhooks 1.0, a Slack-compatible incoming webhook, and email over SMTP.
// Each send has its own timeout; a failing channel is reported to the caller and never stops the
// others. Error texts pass through `describe`, which removes every configured secret (webhook
// secret, URLs, SMTP user and password) before anything is logged.
import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';

export type ExternalChannel = 'webhook' | 'slack' | 'email';
export type AlertChannel = 'dashboard' | ExternalChannel;
export const EXTERNAL_CHANNELS: readonly ExternalChannel[] = ['webhook', 'slack', 'email'];

const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** `whsec_` + base64 of 24–64 random bytes (the spec's symmetric secret serialisation). */
export const ZStandardWebhookSecret = z.string().check((ctx) => {
  const match = WHSEC.exec(ctx.value);
  const bytes = match ? Buffer.from(match[1]!, 'base64').length : 0;
  if (bytes < 24 || bytes > 64) {
    // Never echo the value: it is the secret.
    ctx.issues.push({ code: 'custom', message: 'must be whsec_ followed by base64 of 24–64 bytes', input: '' });
  }
});

// fetch refuses URLs with credentials (and would put them in its error message): the webhook is
// authenticated by its signature, Slack by the token in its path.
export const ZHttpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((url) => !new URL(url).username && !new URL(url).password, { message: 'must not contain credentials' });
export const ZMailbox = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .refine((value) => /^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/.test(value), {
    message: 'must be an email address, optionally as "Name <address>"',
  });

export const ZSmtpUrl = z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' });

export const ZAlertChannelsConfig = z.object({
  /** Outgoing webhook: every alert, as a Standard Webhooks `alert.raised` event. */
  webhook: z.object({ url: ZHttpUrl, secret: ZStandardWebhookSecret }).optional(),
  /** Slack (or compatible) incoming webhook URL. */
  slack: z.object({ url: ZHttpUrl }).optional(),
  /** SMTP: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. */
  email: z
    .object({
      smtpUrl: ZSmtpUrl,
      from: ZMailbox,
      to: z.array(ZMailbox).min(1).max(50),
    })
    .optional(),
  /** Public base URL of the admin app, for "view details" links. */
  dashboardUrl: ZHttpUrl.optional(),
  /** Per send, per channel. */
  timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});

export type AlertChannelsInput = z.input<typeof ZAlertChannelsConfig>;
export type AlertChannelsConfig = z.output<typeof ZAlertChannelsConfig>;

/** An alert as the channels render it. */
export interface AlertMessage {
  id: string;
  rule: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  status: string;
  title: string;
  message: string;
  details: unknown;
  createdAt: Date;
  integration: { id: string; name: string; status: string; lastSuccessAt: Date | null } | null;
}

// ───────────── Standard Webhooks ─────────────

/**
 * `v1,<base64 HMAC-SHA256>` over `${id}.${timestamp}.${body}`, keyed with the base64-decoded part of
 * the `whsec_` secret. https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export function signStandardWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const match = WHSEC.exec(secret);
  if (!match) throw new Error('The webhook secret is not a whsec_ secret.');
  const key = Buffer.from(match[1]!, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

function alertLink(dashboardUrl: string | undefined): string | null {
  return dashboardUrl ? `${dashboardUrl.replace(/\/+$/, '')}/alerts` : null;
}

/** The event body: `type`, `timestamp` (when the alert was raised) and `data`, as the spec recommends. */
export function webhookBody(alert: AlertMessage, dashboardUrl?: string): string {
  return JSON.stringify({
    type: 'alert.raised',
    timestamp: alert.createdAt.toISOString(),
    data: {
      id: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      status: alert.status,
      title: alert.title,
      message: alert.message,
      details: alert.details ?? null,
      integration: alert.integration && {
        id: alert.integration.id,
        name: alert.integration.name,
        status: alert.integration.status,
      },
      url: alertLink(dashboardUrl),
    },
  });
}

// ───────────── Slack ─────────────

/** Slack mrkdwn needs &, < and > escaped (https://api.slack.com/reference/surfaces/formatting#escaping). */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SEVERITY_EMOJI = { INFO: ':information_source:', WARNING: ':warning:', CRITICAL: ':rotating_light:' } as const;

/** `text` for notifications and plain clients, `blocks` for the formatted message. */
export function slackPayload(alert: AlertMessage, dashboardUrl?: string) {
  const headline = `${SEVERITY_EMOJI[alert.severity]} [${alert.severity}] ${slackEscape(alert.title)}`;
  const link = alertLink(dashboardUrl);
  const facts = [
    alert.integration ? `Integration: *${slackEscape(alert.integration.name)}* (${alert.integration.status})` : null,
    `Rule: ${alert.rule}`,
    link ? `<${link}|View in Syncbridge>` : null,
  ].filter(Boolean);
  return {
    text: `${headline}\n${slackEscape(alert.message)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${headline}*\n${slackEscape(alert.message)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: facts.join(' · ') }] },
    ],
  };
}

// ───────────── Email ─────────────

/** Subject and plain-text body after the spec's "Admin Notifications" template. */
export function emailContent(alert: AlertMessage, dashboardUrl?: string): { subject: string; text: string } {
  const subject = alert.integration
    ? `[Syncbridge] Integration Alert: ${alert.integration.name} - ${alert.severity}`
    : `[Syncbridge] Alert: ${alert.title} - ${alert.severity}`;
  const link = alertLink(dashboardUrl);
  const lines = [
    ...(alert.integration
      ? [
          `Integration: ${alert.integration.name}`,
          `Status: ${alert.integration.status}`,
          `Last Successful Sync: ${alert.integration.lastSuccessAt?.toISOString() ?? 'never'}`,
        ]
      : []),
    `Alert: ${alert.title}`,
    `Rule: ${alert.rule}`,
    `Severity: ${alert.severity}`,
    `Raised: ${alert.createdAt.toISOString()}`,
    '',
    alert.message,
    ...(link ? ['', `View Details: ${link}`] : []),
    '',
    '---',
    'This is an automated alert from Syncbridge.',
  ];
  // One line: a name with a line break must not start a new header.
  return { subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 250), text: lines.join('\n') };
}

// ───────────── Sending ─────────────

export interface AlertSender {
  /** The channels with a configuration. */
  readonly configured: readonly ExternalChannel[];
  /** Sends one alert on one channel; rejects on failure or after the timeout. */
  send(channel: ExternalChannel, alert: AlertMessage): Promise<void>;
  /** An error's text with every configured secret replaced. */
  describe(error: unknown): string;
  /** Where a channel sends, without credentials or paths (for logs). */
  target(channel: ExternalChannel): string;
  close(): void;
}

class ChannelError extends Error {
  override name = 'ChannelError';
}

/** Every string a log line must not contain, longest first (so a URL goes before its parts). */
function secretsOf(config: AlertChannelsConfig): string[] {
  const found = new Set<string>();
  const add = (value: string | undefined | null) => {
    if (!value || value.length < 4) return;
    found.add(value);
    try {
      found.add(decodeURIComponent(value));
    } catch {
      // Not percent-encoded.
    }
  };
  for (const url of [config.webhook?.url, config.slack?.url, config.email?.smtpUrl]) {
    if (!url) continue;
    add(url);
    const parsed = new URL(url);
    add(parsed.username);
    add(parsed.password);
    // Incoming-webhook URLs carry their token in the path (and sometimes the query).
    if (parsed.pathname.length > 1) add(parsed.pathname);
    add(parsed.search.slice(1));
  }
  if (config.webhook) {
    add(config.webhook.secret);
    add(config.webhook.secret.slice('whsec_'.length));
  }
  return [...found].sort((a, b) => b.length - a.length);
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChannelError(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs JSON; 2xx is success, anything else (redirects included, per the spec) a failure. */
async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Syncbridge-Alerts/1', ...headers },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Read (and drop) the body so the connection can be reused; it is never logged.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) {
    throw new ChannelError(`${what} answered HTTP ${response.status}`);
  }
}

export function createAlertSender(config: AlertChannelsConfig, options: { now?: () => Date } = {}): AlertSender {
  const secrets = secretsOf(config);
  const configured = EXTERNAL_CHANNELS.filter((channel) => config[channel] !== undefined);
  const timeoutMs = config.timeoutMs;
  let mailer: Transporter | null = null;

  function describe(error: unknown): string {
    let text = error instanceof Error ? error.message : String(error);
    const cause =
      error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
    if (cause && typeof cause.message === 'string') text += ` (${cause.message})`;
    for (const secret of secrets) text = text.split(secret).join('[redacted]');
    return text.replace(/[\r\n]+/g, ' ').slice(0, 500);
  }

  async function send(channel: ExternalChannel, alert: AlertMessage): Promise<void> {
    switch (channel) {
      case 'webhook': {
        const webhook = config.webhook;
        if (!webhook) throw new ChannelError('webhook is not configured');
        const body = webhookBody(alert, config.dashboardUrl);
        // The alert id is stable across attempts: receivers use webhook-id as the idempotency key.
        const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
        await postJson(
          webhook.url,
          body,
          {
            'webhook-id': alert.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signStandardWebhook(webhook.secret, alert.id, timestamp, body),
          },
          timeoutMs,
          'webhook',
        );
        return;
      }
      case 'slack': {
        const slack = config.slack;
        if (!slack) throw new ChannelError('slack is not configured');
        await postJson(slack.url, JSON.stringify(slackPayload(alert, config.dashboardUrl)), {}, timeoutMs, 'slack');
        return;
      }
      case 'email': {
        const email = config.email;
        if (!email) throw new ChannelError('email is not configured');
        mailer ??= nodemailer.createTransport({
          url: email.smtpUrl,
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs,
          logger: false,
          debug: false,
        });
        const { subject, text } = emailContent(alert, config.dashboardUrl);
        await withTimeout(
          mailer.sendMail({
            from: email.from,
            to: email.to,
            subject,
            text,
            headers: { 'X-Syncbridge-Alert': alert.id },
          }),
          timeoutMs,
          'email',
        );
        return;
      }
    }
  }

  return {
    configured,
    send,
    describe,
    target(channel) {
      if (channel === 'webhook' && config.webhook) return hostOf(config.webhook.url);
      if (channel === 'slack' && config.slack) return hostOf(config.slack.url);
      if (channel === 'email' && config.email) return hostOf(config.email.smtpUrl);
      return 'unconfigured';
    },
    close() {
      mailer?.close();
      mailer = null;
    },
  };
}
