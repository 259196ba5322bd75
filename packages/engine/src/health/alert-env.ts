// The alert channels' configuration from an app's environment, parsed like crypto-env.ts: fields
// to spread into the app's z.object (values are never echoed in errors), cross-field checks that
// run even when unrelated variables are wrong, and one function building the channel config.
import { z } from 'zod';
import {
  ZAlertChannelsConfig,
  ZHttpUrl,
  ZMailbox,
  ZSmtpUrl,
  ZStandardWebhookSecret,
  type AlertChannelsConfig,
} from './channels.ts';

function recipients(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Fields to spread into an app's z.object({...}); all optional (no channel: the dashboard only). */
export const alertEnvFields = {
  /** Outgoing webhook receiving every alert, signed per Standard Webhooks. */
  ALERT_WEBHOOK_URL: ZHttpUrl.optional(),
  /** `whsec_` + base64 of 24–64 random bytes. */
  ALERT_WEBHOOK_SECRET: ZStandardWebhookSecret.optional(),
  /** Slack (or compatible) incoming-webhook URL. */
  ALERT_SLACK_WEBHOOK_URL: ZHttpUrl.optional(),
  /** smtp://user:pass@host:587 or smtps://user:pass@host:465. */
  ALERT_SMTP_URL: ZSmtpUrl.optional(),
  ALERT_EMAIL_FROM: ZMailbox.optional(),
  /** Comma-separated recipients. */
  ALERT_EMAIL_TO: z
    .string()
    .check((ctx) => {
      const list = recipients(ctx.value);
      if (list.length === 0 || list.length > 50 || list.some((entry) => !ZMailbox.safeParse(entry).success)) {
        ctx.issues.push({ code: 'custom', message: 'must be 1–50 comma-separated email addresses', input: '' });
      }
    })
    .optional(),
  /** Public base URL of the admin app, for links in alerts. */
  ALERT_DASHBOARD_URL: ZHttpUrl.optional(),
};

export interface AlertEnv {
  ALERT_WEBHOOK_URL?: string | undefined;
  ALERT_WEBHOOK_SECRET?: string | undefined;
  ALERT_SLACK_WEBHOOK_URL?: string | undefined;
  ALERT_SMTP_URL?: string | undefined;
  ALERT_EMAIL_FROM?: string | undefined;
  ALERT_EMAIL_TO?: string | undefined;
  ALERT_DASHBOARD_URL?: string | undefined;
}

/** Cross-field checks run when every ALERT_ field is well-formed (their own issues aside). */
function alertFieldsValid(payload: {
  issues: readonly { path?: readonly PropertyKey[]; params?: Record<string, unknown> }[];
}): boolean {
  return !payload.issues.some(
    (issue) => String(issue.path?.[0] ?? '').startsWith('ALERT_') && !issue.params?.alertCrossField,
  );
}

/** [set, then this one is required too]. */
const REQUIRED_WITH: [keyof AlertEnv, keyof AlertEnv][] = [
  ['ALERT_WEBHOOK_URL', 'ALERT_WEBHOOK_SECRET'],
  ['ALERT_WEBHOOK_SECRET', 'ALERT_WEBHOOK_URL'],
  ['ALERT_SMTP_URL', 'ALERT_EMAIL_FROM'],
  ['ALERT_SMTP_URL', 'ALERT_EMAIL_TO'],
  ['ALERT_EMAIL_FROM', 'ALERT_SMTP_URL'],
  ['ALERT_EMAIL_TO', 'ALERT_SMTP_URL'],
];

/** Adds the cross-field checks: the webhook needs its secret, email needs SMTP, sender and recipients. */
export function refineAlertEnv<S extends z.ZodType<AlertEnv>>(schema: S): S {
  let refined = schema;
  for (const [set, needed] of REQUIRED_WITH) {
    refined = refined.refine((env) => !env[set] || Boolean(env[needed]), {
      path: [needed],
      message: `is required with ${set}`,
      params: { alertCrossField: true },
      when: alertFieldsValid,
    });
  }
  return refined;
}

/** The channel configuration an environment describes; null when it configures no channel. */
export function alertChannelsFromEnv(env: AlertEnv): AlertChannelsConfig | null {
  const config = ZAlertChannelsConfig.parse({
    webhook:
      env.ALERT_WEBHOOK_URL && env.ALERT_WEBHOOK_SECRET
        ? { url: env.ALERT_WEBHOOK_URL, secret: env.ALERT_WEBHOOK_SECRET }
        : undefined,
    slack: env.ALERT_SLACK_WEBHOOK_URL ? { url: env.ALERT_SLACK_WEBHOOK_URL } : undefined,
    email:
      env.ALERT_SMTP_URL && env.ALERT_EMAIL_FROM && env.ALERT_EMAIL_TO
        ? { smtpUrl: env.ALERT_SMTP_URL, from: env.ALERT_EMAIL_FROM, to: recipients(env.ALERT_EMAIL_TO) }
        : undefined,
    dashboardUrl: env.ALERT_DASHBOARD_URL,
  });
  return config.webhook || config.slack || config.email ? config : null;
}

/** The endpoints the alert channels connect to (for an outbound allowlist), without credentials. */
export function alertEndpoints(env: AlertEnv): string[] {
  return [env.ALERT_WEBHOOK_URL, env.ALERT_SLACK_WEBHOOK_URL, env.ALERT_SMTP_URL]
    .filter((url): url is string => Boolean(url))
    .map((url) => {
      const parsed = new URL(url);
      return `${parsed.protocol}//${parsed.host}`;
    });
}
